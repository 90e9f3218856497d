//go:build js && wasm

package main

import (
	"runtime"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/parse"
	"github.com/ssewasm/eventsource/internal/protocol"
	"github.com/ssewasm/eventsource/internal/wasmabi"
)

// batchHandler hands what an EventSource fires to the shim in batches of records
// (internal/protocol): one call of deliver per network chunk, whatever the number of events in
// it. The data of a big event, and every piece of a long one, is not copied into the batch: it
// comes beside it, as the batch's last field. The batch that ends a network chunk goes back as
// the result of the read loop's call into Go (wasmabi.Reply) when the chunk came that way: no
// call at all. Others go in a call of deliver, which decodes them from Go's memory
// (wasmabi.Text), so that no JavaScript string is made for them on Go's side, which would stay
// in memory until a collection.
type batchHandler struct {
	deliver safejs.Value
	onPanic func(error)
	batch   protocol.Batch
}

func (h *batchHandler) Opened(origin string) {
	h.batch.Open(origin)
	h.send(nil, false)
}

// RawData makes the handler a core.RawDataHandler: the data of messages is decoded by the
// shim's TextDecoder, which is what the parser would do, and the fields of a batch are separated
// by CR, an ASCII byte, which ends whatever a decoder has started. So the parser need not decode
// it too.
func (h *batchHandler) RawData() {}

// Piece hands the start of a long message's data to the shim, which keeps it for the message.
func (h *batchHandler) Piece(piece []byte) {
	if h.batch.Len() != 0 {
		h.send(nil, false) // the records before it go first
	}
	h.batch.Piece()
	h.send(piece, false)
}

func (h *batchHandler) DropPieces() { h.batch.DropPieces() }

func (h *batchHandler) Message(ev *parse.Event) {
	big := len(ev.Data) >= bigData
	if big && h.batch.Len() != 0 {
		h.send(nil, false) // the records before it go first
	}
	h.batch.Message(ev.Type, ev.LastEventID, ev.Data, big)
	if big {
		h.send(ev.Data, false)
	} else if h.batch.Size() >= flushAt {
		h.send(nil, false)
	}
}

// bigData is the size from which an event's data is handed over on its own.
const bigData = 64 << 10

// flushAt is the size from which a batch is delivered before the end of its network chunk, so
// that a large chunk of small events does not make a batch of its size.
const flushAt = 256 << 10

func (h *batchHandler) Error(e *core.Error) {
	retry := time.Duration(-1)
	if e.WillRetry {
		retry = max(e.RetryIn, 0)
	}
	h.batch.Error(string(e.Reason), e.Status, e.StatusText, retry, e.Err)
	h.send(nil, false)
}

// Flush delivers the records gathered since the last flush, if any: the core calls it at the
// end of each network chunk, the last thing done for the chunk, so the batch may go back as the
// result of the read loop's call (wasmabi.Reply).
func (h *batchHandler) Flush() {
	if h.batch.Len() != 0 {
		h.send(nil, true)
	}
}

// send delivers the records gathered, with last beside them if it is not empty. With reply, and
// no last, the batch may go back as the result of the read loop's call; else it goes in a call
// of deliver(at, r, lastAt, lastR), which decodes the batch and last from Go's memory during
// the call (wasmabi.Text).
func (h *batchHandler) send(last []byte, reply bool) {
	buf := h.batch.Bytes()
	var err error
	if !reply || len(last) != 0 || !wasmabi.Reply(buf) {
		at, r := wasmabi.Text(buf)
		lastAt, lastR := wasmabi.Text(last)
		_, err = h.deliver.Invoke(at, r, lastAt, lastR)
		runtime.KeepAlive(buf)
		runtime.KeepAlive(last)
	} // else the loop decodes the reply before Go runs again, so the buffer may be reused
	h.batch.Reset()
	if err != nil && h.onPanic != nil {
		h.onPanic(err)
	}
}

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
	h.batch.Reset()
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
