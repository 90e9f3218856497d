//go:build js && wasm

package fetch

import (
	"fmt"
	"io"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/jsfunc"
	"github.com/ssewasm/eventsource/internal/wasmabi"
)

// loopBody is a body read by the shim's read loop (Transport.ReadLoop), which Stream starts:
// the loop keeps several read()s pending and hands each chunk to the consumer through the
// module's exports (internal/wasmabi), without a call of a Go function; the end of the body
// goes to fulfilled, a failure or the fetch's abort to rejected.
type loopBody struct {
	body, loop, reply safejs.Value
	holdLines         bool // Transport.HoldLines
	ctrl              *abortController
	fulfilled         *jsfunc.Func
	rejected          *jsfunc.Func

	mu       sync.Mutex
	outcome  outcome
	consume  func([]byte) // set by Stream
	id       int32        // the body's number for the exports, 0 before Stream
	buf      []byte       // where the loop copies each chunk (Buffer)
	running  bool         // the loop runs: its callbacks may still be called
	closed   bool
	released bool
}

func newLoopBody(body safejs.Value, ctrl *abortController, loop, reply safejs.Value, holdLines bool) (*loopBody, error) {
	b := &loopBody{body: body, loop: loop, reply: reply, holdLines: holdLines, ctrl: ctrl, outcome: newOutcome()}
	var err error
	if b.fulfilled, err = jsfunc.FuncOf(b.onFulfilled, b.fail); err != nil {
		return nil, err
	}
	if b.rejected, err = jsfunc.FuncOf(b.onRejected, b.fail); err != nil {
		b.fulfilled.Release()
		return nil, err
	}
	return b, nil
}

// Stream starts the loop, which hands each chunk to consume, and returns once the body has
// ended (io.EOF), broken, or ctx is done.
func (b *loopBody) Stream(ctx *cancel.Scope, consume func([]byte)) error {
	defer streaming()() // a collection waits meanwhile (see collectWhenQuiet)
	b.mu.Lock()
	if b.consume != nil {
		b.mu.Unlock()
		return errStreamedTwice
	}
	b.consume = consume
	if b.closed {
		b.outcome.endLocked(errBodyClosed)
	} else {
		b.id = wasmabi.Register(b)
		b.running = true
		if _, err := b.loop.Invoke(b.body, b.id, b.fulfilled.Value(), b.rejected.Value(), b.reply, b.ctrl.signal, b.holdLines); err != nil {
			b.running = false
			b.outcome.endLocked(err)
		}
	}
	b.mu.Unlock()
	return b.outcome.wait(ctx, &b.mu)
}

// onFulfilled is the loop's callback for the end of the body ({done: true}), for a chunk that it
// could not copy into Go's buffer ({value}: see chunkBuffer), and, with null, for a wake-up:
// goroutines have work to do, which they do once this returns.
func (b *loopBody) onFulfilled(_ safejs.Value, args []safejs.Value) any {
	result := jsfunc.Arg0(args)
	if result.IsNull() {
		return nil
	}
	value, err := result.Get("value")
	b.mu.Lock()
	switch {
	case err != nil:
		b.outcome.endLocked(err)
	case value.IsUndefined(): // done
		b.running = false
		b.outcome.endLocked(io.EOF)
		b.releaseIfDoneLocked()
	case !b.closed && !b.outcome.ended:
		data, err := copyChunk(nil, value)
		if err != nil {
			b.outcome.endLocked(err)
			break
		}
		consume := b.consume
		b.mu.Unlock()
		consume(data)
		return nil
	}
	b.mu.Unlock()
	return nil
}

// onRejected is the loop's callback for a failure of the body, or the fetch's abort.
func (b *loopBody) onRejected(_ safejs.Value, args []safejs.Value) any {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.running = false
	b.outcome.endLocked(jsError("read", jsfunc.Arg0(args)))
	b.releaseIfDoneLocked()
	return nil
}

// Buffer is wasmabi.Loop's: the buffer into which the loop copies the chunks that fit, or nil
// when the body is closing or has failed, or another goroutine holds it (the chunk then goes to
// onFulfilled).
func (b *loopBody) Buffer(n int) []byte {
	if !b.mu.TryLock() {
		return nil
	}
	defer b.mu.Unlock()
	if b.closed || b.outcome.ended || b.consume == nil {
		return nil
	}
	if cap(b.buf) < n {
		b.buf = make([]byte, n)
	}
	return b.buf[:n]
}

// Chunk is wasmabi.Loop's: the loop copied n bytes into the buffer; they go to the consumer. A
// body that is closing or has failed drops what comes after. It reports false when the
// consumer panicked (the panic fails the body; Stream panics again with it).
func (b *loopBody) Chunk(n int) (ok bool) {
	if !b.mu.TryLock() {
		return false // not reached: nothing else runs while the loop calls
	}
	if b.closed || b.outcome.ended || b.consume == nil || n > cap(b.buf) {
		b.mu.Unlock()
		return true
	}
	data, consume := b.buf[:n], b.consume
	b.mu.Unlock()
	defer func() {
		if p := recover(); p != nil {
			b.fail(fmt.Errorf("eventsource: panic in callback: %v", p))
			ok = false
		}
	}()
	consume(data)
	return true
}

// fail handles a panic in a callback (the consumer's, in onFulfilled or Chunk).
func (b *loopBody) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.outcome.failLocked(err)
}

// Close aborts the fetch, which ends the loop (its callbacks then release themselves), and
// releases the callbacks at once if the loop does not run.
func (b *loopBody) Close() error {
	b.ctrl.stop()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.releaseIfDoneLocked()
	return nil
}

// releaseIfDoneLocked releases the callbacks once the body is closed or the loop has ended,
// whichever is last to matter: no callback can come after either with the loop not running.
func (b *loopBody) releaseIfDoneLocked() {
	if b.released || b.running {
		return
	}
	b.released = true
	wasmabi.Unregister(b.id)
	b.fulfilled.Release()
	b.rejected.Release()
	collectSoon() // the JavaScript values of the fetch are garbage now
}
