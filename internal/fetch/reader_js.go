//go:build js && wasm

package fetch

import (
	"io"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// readsAhead is how many read()s a readerBody keeps pending.
const readsAhead = 4

// readerBody is a body that Go reads itself (no read loop in the page: the Go API in wasm),
// with readsAhead read()s pending from the moment the response exists. When a connection
// breaks right after its last bytes, Chromium can hand several chunks to the stream and then
// error it in one go, and erroring a ReadableStream throws away the chunks queued in it: only
// reads already pending get them (the shim's loop keeps as many pending, for the same reason:
// js/shim/body.js). The reads settle in order, each in a call of onRead or onFailed, which
// hands its chunk to the consumer at once, or keeps it until Stream is called.
type readerBody struct {
	reader           safejs.Value
	ctrl             *abortController
	onRead, onFailed *jsfunc.Func

	mu       sync.Mutex
	outcome  outcome
	consume  func([]byte) // set by Stream once the chunks read before it are consumed
	early    [][]byte     // chunks read before Stream
	buf      []byte       // the buffer of the chunk being consumed
	pending  int          // read()s not settled
	closed   bool
	released bool
}

func newReaderBody(body safejs.Value, ctrl *abortController) (*readerBody, error) {
	reader, err := body.Call("getReader")
	if err != nil {
		return nil, err
	}
	b := &readerBody{reader: reader, ctrl: ctrl, outcome: newOutcome()}
	if b.onRead, err = jsfunc.FuncOf(b.read, b.fail); err != nil {
		return nil, err
	}
	if b.onFailed, err = jsfunc.FuncOf(b.failed, b.fail); err != nil {
		b.onRead.Release()
		return nil, err
	}
	b.mu.Lock()
	b.readLocked()
	b.mu.Unlock()
	return b, nil
}

// readLocked calls read() until readsAhead are pending, unless the body has ended or is closed.
func (b *readerBody) readLocked() {
	for b.pending < readsAhead && !b.outcome.ended && !b.closed {
		promise, err := b.reader.Call("read")
		if err == nil {
			_, err = promise.Call("then", b.onRead.Value(), b.onFailed.Value())
		}
		if err != nil {
			b.outcome.endLocked(err)
			return
		}
		b.pending++
	}
}

// read is a read()'s fulfilment callback: a chunk, or the end of the body.
func (b *readerBody) read(_ safejs.Value, args []safejs.Value) any {
	b.mu.Lock()
	b.pending--
	if b.closed || b.outcome.ended {
		b.releaseIfDoneLocked()
		b.mu.Unlock()
		return nil
	}
	value, err := jsfunc.Arg0(args).Get("value")
	if err == nil && value.IsUndefined() {
		err = io.EOF
	}
	var data []byte
	if err == nil {
		buf := b.buf
		if b.consume == nil {
			buf = nil // kept until Stream: a buffer of its own
		}
		data, err = copyChunk(buf, value)
	}
	if err != nil {
		b.outcome.endLocked(err)
		b.releaseIfDoneLocked()
		b.mu.Unlock()
		return nil
	}
	b.readLocked() // the next read() goes out first
	consume := b.consume
	if consume == nil {
		b.early = append(b.early, data)
		b.mu.Unlock()
		return nil
	}
	b.buf = data
	b.mu.Unlock()
	consume(data)
	return nil
}

// failed is a read()'s rejection callback: the stream broke, or the fetch was aborted.
func (b *readerBody) failed(_ safejs.Value, args []safejs.Value) any {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pending--
	b.outcome.endLocked(jsError("read", jsfunc.Arg0(args)))
	b.releaseIfDoneLocked()
	return nil
}

// fail handles a panic in a callback (the consumer's, in read).
func (b *readerBody) fail(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.outcome.failLocked(err) // read has counted its read() as settled
	b.releaseIfDoneLocked()
}

// Stream hands each chunk to consume, first those read before it, then each in read()'s
// callback as it arrives, and returns once the body has ended (io.EOF), broken, or ctx is
// done.
func (b *readerBody) Stream(ctx *cancel.Scope, consume func([]byte)) error {
	defer streaming()() // a collection waits meanwhile (see collectWhenQuiet)
	for {
		b.mu.Lock()
		if b.consume != nil {
			b.mu.Unlock()
			return errStreamedTwice
		}
		if len(b.early) == 0 {
			b.consume = consume // from now on, read calls it
			b.mu.Unlock()
			break
		}
		data := b.early[0]
		b.early = b.early[1:]
		b.mu.Unlock()
		consume(data)
	}
	return b.outcome.wait(ctx, &b.mu)
}

// Close aborts the fetch, which rejects the pending reads, and releases the callbacks once
// none is pending.
func (b *readerBody) Close() error {
	b.ctrl.stop()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	b.early = nil
	if b.pending > 0 {
		// Not always does the abort settle them: Node.js 20 leaves reads pending when a fetch
		// whose body was read to its end is aborted. Releasing the reader's lock rejects them
		// (Streams standard, ReadableStreamDefaultReaderRelease).
		_, _ = b.reader.Call("releaseLock")
	}
	b.releaseIfDoneLocked()
	return nil
}

// releaseIfDoneLocked releases the callbacks once the body has ended or is closed and no read
// is pending: none can be called any more.
func (b *readerBody) releaseIfDoneLocked() {
	if b.released || b.pending > 0 || !(b.closed || b.outcome.ended) {
		return
	}
	b.released = true
	b.onRead.Release()
	b.onFailed.Release()
	collectSoon() // the JavaScript values of the fetch are garbage now
}
