//go:build js && wasm

package fetch

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// stream is a ReadableStream whose controller the test drives.
type stream struct {
	value, ctrl safejs.Value
	start       *jsfunc.Func
}

func newStream(t *testing.T) *stream {
	t.Helper()
	s := &stream{}
	var err error
	s.start, err = jsfunc.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		s.ctrl = jsfunc.Arg0(args)
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.start.Release)
	source, err := safejs.ValueOf(map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	if err := source.Set("start", s.start.Value()); err != nil {
		t.Fatal(err)
	}
	ctor, err := safejs.Global().Get("ReadableStream")
	if err != nil {
		t.Fatal(err)
	}
	if s.value, err = ctor.New(source); err != nil {
		t.Fatal(err)
	}
	return s
}

// enqueue adds a chunk (a Uint8Array of text) to the stream.
func (s *stream) enqueue(t *testing.T, text string) {
	t.Helper()
	ctor, err := safejs.Global().Get("Uint8Array")
	if err != nil {
		t.Fatal(err)
	}
	chunk, err := ctor.New(len(text))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := safejs.CopyBytesToJS(chunk, []byte(text)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ctrl.Call("enqueue", chunk); err != nil {
		t.Fatal(err)
	}
}

// collect streams b to its outcome and returns the chunks, joined by "|", and the outcome.
func collect(t *testing.T, b interface {
	Stream(*cancel.Scope, func([]byte)) error
}) (string, error) {
	t.Helper()
	timeout, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	var got []string
	err := b.Stream(cancel.New(timeout), func(chunk []byte) { got = append(got, string(chunk)) })
	return strings.Join(got, "|"), err
}

func newTestReaderBody(t *testing.T, s *stream) *readerBody {
	t.Helper()
	ctrl, err := newAbortController(cancel.Root(), safejs.Undefined())
	if err != nil {
		t.Fatal(err)
	}
	b, err := newReaderBody(s.value, ctrl)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestReaderBodyKeepsChunksBeforeAnError checks what the reads kept pending are for: chunks
// that arrive together with the stream's error (enqueued, then the stream errored, in one
// go, as Chromium does when a connection breaks right after its last bytes) reach the
// consumer, up to readsAhead of them; erroring a ReadableStream discards the chunks queued in
// it, so with one read pending only the first would.
func TestReaderBodyKeepsChunksBeforeAnError(t *testing.T) {
	s := newStream(t)
	b := newTestReaderBody(t, s)
	for _, c := range []string{"a", "b", "c", "d"} {
		s.enqueue(t, c)
	}
	errCtor, _ := safejs.Global().Get("Error")
	broken, _ := errCtor.New("connection broke")
	if _, err := s.ctrl.Call("error", broken); err != nil {
		t.Fatal(err)
	}
	got, err := collect(t, b)
	if got != "a|b|c|d" {
		t.Errorf("chunks: got %q, want a|b|c|d", got)
	}
	var jsErr *jsfunc.Error
	if !errors.As(err, &jsErr) || !strings.Contains(jsErr.Message, "connection broke") {
		t.Errorf("outcome: got %v, want the stream's error", err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestReaderBodyEnd checks chunks read before Stream, chunks after, the end, and that Close
// releases the callbacks.
func TestReaderBodyEnd(t *testing.T) {
	before := jsfunc.LiveFuncs()
	s := newStream(t)
	b := newTestReaderBody(t, s)
	s.enqueue(t, "early")
	done := make(chan struct{})
	var got string
	var err error
	go func() {
		defer close(done)
		got, err = collect(t, b)
	}()
	time.Sleep(10 * time.Millisecond) // the early chunk is read, then Stream waits
	s.enqueue(t, "late")
	if _, err := s.ctrl.Call("close"); err != nil {
		t.Fatal(err)
	}
	<-done
	if got != "early|late" || err != io.EOF {
		t.Errorf("got %q, %v; want early|late, io.EOF", got, err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for jsfunc.LiveFuncs() != before+1 && time.Now().Before(deadline) { // the stream's start stays
		time.Sleep(5 * time.Millisecond)
	}
	if n := jsfunc.LiveFuncs(); n != before+1 {
		t.Errorf("live Funcs after Close: %d, want %d", n, before+1)
	}
}

// TestReaderBodyCloseWhileReading checks that Close ends Stream (the abort rejects the reads)
// and releases the callbacks.
func TestReaderBodyCloseWhileReading(t *testing.T) {
	before := jsfunc.LiveFuncs()
	s := newStream(t)
	b := newTestReaderBody(t, s)
	done := make(chan error)
	go func() {
		_, err := collect(t, b)
		done <- err
	}()
	time.Sleep(10 * time.Millisecond)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err == nil || err == io.EOF {
			t.Errorf("Stream after Close: %v, want an error", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("Stream did not return after Close")
	}
	deadline := time.Now().Add(2 * time.Second)
	for jsfunc.LiveFuncs() != before+1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := jsfunc.LiveFuncs(); n != before+1 {
		t.Errorf("live Funcs after Close: %d, want %d", n, before+1)
	}
}
