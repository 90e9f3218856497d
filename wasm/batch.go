//go:build js && wasm

package main

import (
	"runtime"
	"strconv"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/fetch"
	"github.com/ssewasm/eventsource/internal/parse"
)

// batchHandler hands what an EventSource fires to the shim in batches: one call of deliver per
// network chunk, whatever the number of events in it, because each crossing from Go to
// JavaScript costs about as much as a whole event in the browser's own EventSource.
//
// A batch is one string of fields separated by CR, which no field can contain (CR ends a line
// of the stream, and the status text of a response cannot hold one), followed by the record
// kinds, one letter per record:
//
//	d  a message event of type "message" with the lastEventId of the message record before
//	   it ("" before the first): data
//	m  a message event: type ("" for "message"), lastEventId, data
//	p  a piece of the data of the next message record, which comes first (core.PieceHandler):
//	   data
//	x  the pieces received since the last message record belong to no message: drop them
//	o  the connection is open: the origin of the messages that follow
//	e  an error event: reason, status, statusText, retry delay in ms ("" when the
//	   connection failed and readyState becomes CLOSED), message (the underlying error)
//
// The shim splits it with one String.prototype.split and dispatches the records in order. The
// data of a big event is not copied into the batch: it comes on its own, and the shim appends
// it to the fields. The batch that ends a network chunk goes back as the result of the read
// loop's call into Go (fetch.Reply) when the chunk came that way: no call at all. Others go in
// a call of deliver, which decodes them from Go's memory (fetch.Text), so that no JavaScript
// string is made for them on Go's side, which would stay in memory until a collection.
type batchHandler struct {
	deliver safejs.Value
	onPanic func(error)
	buf     []byte // the fields
	kinds   []byte // the record kinds
	lastID  string // the lastEventId of the last message record
}

func (h *batchHandler) Opened(origin string) {
	h.field(origin)
	h.kinds = append(h.kinds, 'o')
	h.send(nil, false)
}

// RawData makes the handler a core.RawDataHandler: the data of messages is decoded by the
// shim's TextDecoder, which is what the parser would do, and the fields of a batch are separated
// by CR, an ASCII byte, which ends whatever a decoder has started. So the parser need not decode
// it too.
func (h *batchHandler) RawData() {}

// Piece hands the start of a long message's data to the shim, which keeps it for the message.
// Like a big event's data, it is not copied into the batch.
func (h *batchHandler) Piece(piece []byte) {
	if len(h.kinds) != 0 {
		h.send(nil, false) // the records before it go first
	}
	h.kinds = append(h.kinds, 'p')
	h.send(piece, false)
}

func (h *batchHandler) DropPieces() { h.kinds = append(h.kinds, 'x') }

func (h *batchHandler) Message(ev *parse.Event) {
	big := len(ev.Data) >= bigData
	if big && len(h.kinds) != 0 {
		h.send(nil, false) // the records before it go first
	}
	kind := byte('d')
	if len(ev.Type) != 0 || ev.LastEventID != h.lastID {
		kind = 'm'
		h.lastID = ev.LastEventID
		h.buf = append(h.buf, ev.Type...)
		h.buf = append(h.buf, '\r')
		h.buf = append(h.buf, ev.LastEventID...)
		h.buf = append(h.buf, '\r')
	}
	h.kinds = append(h.kinds, kind)
	if big {
		// A big event's data is not copied into the batch: it goes on its own in the call of
		// deliver, as the record's last field.
		h.send(ev.Data, false)
		return
	}
	h.buf = append(h.buf, ev.Data...)
	h.buf = append(h.buf, '\r')
	if len(h.buf) >= flushAt {
		h.send(nil, false)
	}
}

// bigData is the size from which an event's data is handed over on its own.
const bigData = 64 << 10

// flushAt is the size from which a batch is delivered before the end of its network chunk, so
// that a large chunk of small events does not make a batch of its size.
const flushAt = 256 << 10

func (h *batchHandler) Error(e *core.Error) {
	h.field(string(e.Reason))
	h.field(strconv.Itoa(e.Status))
	h.field(e.StatusText)
	retry := ""
	if e.WillRetry {
		retry = strconv.FormatInt(e.RetryIn.Milliseconds(), 10)
	}
	h.field(retry)
	msg := ""
	if e.Err != nil {
		msg = strings.ReplaceAll(e.Err.Error(), "\r", " ")
	}
	h.field(msg)
	h.kinds = append(h.kinds, 'e')
	h.send(nil, false)
}

func (h *batchHandler) field(s string) {
	h.buf = append(h.buf, s...)
	h.buf = append(h.buf, '\r')
}

// Flush delivers the records gathered since the last flush, if any: the core calls it at the
// end of each network chunk, the last thing done for the chunk, so the batch may go back as the
// result of the read loop's call (fetch.Reply).
func (h *batchHandler) Flush() {
	if len(h.kinds) != 0 {
		h.send(nil, true)
	}
}

// send delivers the records gathered, the last field of the last one being last if it is not
// empty (JavaScript appends it to the fields). With reply, and no last, the batch may go back
// as the result of the read loop's call; else it goes in a call of deliver(at, r, lastAt,
// lastR), which decodes the batch and last from Go's memory during the call (fetch.Text).
func (h *batchHandler) send(last []byte, reply bool) {
	h.buf = append(h.buf, h.kinds...)
	var err error
	if !reply || len(last) != 0 || !fetch.Reply(h.buf) {
		at, r := fetch.Text(h.buf)
		lastAt, lastR := fetch.Text(last)
		_, err = h.deliver.Invoke(at, r, lastAt, lastR)
		runtime.KeepAlive(last)
	} // else the loop decodes the reply before Go runs again, so h.buf may be reused
	h.buf, h.kinds = h.buf[:0], h.kinds[:0]
	if err != nil && h.onPanic != nil {
		h.onPanic(err)
	}
	// Do not keep the memory of an unusually large batch (a big event) for the next ones.
	if cap(h.buf) > maxKeep {
		h.buf = nil
	}
}

// maxKeep is the largest batch buffer kept between batches.
const maxKeep = 1 << 20

// recoverPanic turns a panic of the connection's goroutine into a failed connection and a
// report to the shim, so that it never takes the page's other EventSources down with it.
func (h *batchHandler) recoverPanic() {
	r := recover()
	if r == nil {
		return
	}
	err := &panicError{r}
	if h.onPanic != nil {
		h.onPanic(err)
	}
	h.buf, h.kinds = h.buf[:0], h.kinds[:0]
	h.Error(&core.Error{Reason: core.ReasonInternal, Err: err})
}

type panicError struct{ v any }

func (p *panicError) Error() string {
	if err, ok := p.v.(error); ok {
		return "panic: " + err.Error()
	}
	if s, ok := p.v.(string); ok {
		return "panic: " + s
	}
	return "panic"
}
