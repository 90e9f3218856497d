//go:build unix

package main

import (
	"strconv"
)

// A stream is a pre-built event-stream body and what a client must receive from it.
type stream struct {
	body []byte
	// write is how many bytes the server writes per flush; 0 writes the body at once.
	write int
	want  tally
}

// A tally sums up the message events a client received, enough to tell a wrong answer from
// the right one cheaply.
type tally struct {
	N     int    `json:"n"`     // message events
	Sum   int    `json:"sum"`   // total length of their data (bytes: all data here is ASCII)
	First string `json:"first"` // signature of the first event's data
	Last  string `json:"last"`  // signature of the last event's data
}

// add counts one event's data.
func (t *tally) add(data string) {
	if t.N == 0 {
		t.First = signature(data)
	}
	t.N++
	t.Sum += len(data)
	t.Last = signature(data)
}

// signature abbreviates data as the page does: its first 40 bytes, its length and its last
// 40 bytes.
func signature(data string) string {
	k := min(40, len(data))
	return data[:k] + "|" + strconv.Itoa(len(data)) + "|" + data[len(data)-k:]
}

const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// appendPayload appends size letters to b, starting seed letters into the alphabet.
func appendPayload(b []byte, size, seed int) []byte {
	for i := range size {
		b = append(b, letters[(i+seed)%len(letters)])
	}
	return b
}

// manyEvents returns n events of size bytes of data each: the event's index, zero-padded to
// 8 digits (cut to size), then letters. The server writes it write bytes at a time (0: at once).
func manyEvents(n, size, write int) *stream {
	s := &stream{write: write}
	ev := make([]byte, 0, size+8)
	s.body = make([]byte, 0, n*(size+8))
	for i := range n {
		ev = append(ev[:0], "data: "...)
		idx := strconv.Itoa(100000000 + i%100000000)[1:]
		ev = append(ev, idx[:min(len(idx), size)]...)
		ev = appendPayload(ev, size-min(len(idx), size), i)
		s.want.add(string(ev[len("data: "):]))
		ev = append(ev, "\n\n"...)
		s.body = append(s.body, ev...)
	}
	return s
}

// bigEvent returns one event of size bytes of data, sent as data lines of line bytes each
// (which the client joins with LF, adding size/line-1 bytes), or as one line if line is 0.
func bigEvent(size, line int) *stream {
	if line == 0 {
		line = size
	}
	s := &stream{body: make([]byte, 0, size+size/line*8+2)}
	for i := 0; i < size/line; i++ {
		s.body = append(s.body, "data: "...)
		s.body = appendPayload(s.body, line, i)
		s.body = append(s.body, '\n')
	}
	s.body = append(s.body, '\n')
	// The data is every line's payload, joined with LF.
	data := make([]byte, 0, size+size/line)
	for i := 0; i < size/line; i++ {
		if i > 0 {
			data = append(data, '\n')
		}
		data = appendPayload(data, line, i)
	}
	s.want.add(string(data))
	return s
}
