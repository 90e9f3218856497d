//go:build js && wasm

package fetch

import (
	"errors"
	"math/bits"
	"sync"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
)

// newBody returns the body of a response, a ReadableStream: read by the shim's read loop when
// the Transport has one (loopBody), else by Go (ReadInGo). Either way each chunk goes to the
// consumer as it arrives, in the callback that brings it (core.Body's Stream).
func (t *Transport) newBody(body safejs.Value, ctrl *abortController) (core.Body, error) {
	if t.ReadLoop.Type() == safejs.TypeFunction {
		return newLoopBody(body, ctrl, t.ReadLoop, t.Reply, t.HoldLines)
	}
	if t.ReadInGo != nil {
		return t.ReadInGo(body, ctrl)
	}
	return nil, errNoReader
}

// errNoReader is the error of a response whose Transport has no way to read its body.
var errNoReader = errors.New("eventsource: the transport has no reader of response bodies (ReadLoop or ReadInGo)")

// ReadInGo reads a response body in Go (readerBody): the Go API's Transport.ReadInGo.
func ReadInGo(body safejs.Value, ctrl *abortController) (core.Body, error) {
	return newReaderBody(body, ctrl)
}

// Stream's errors when it is called again, or after Close.
var (
	errStreamedTwice = errors.New("eventsource: a body is streamed once")
	errBodyClosed    = errors.New("eventsource: the body is closed")
)

// outcome is how a body ended: what Stream returns once the body is read. It is guarded by the
// body's mutex.
type outcome struct {
	done     chan error // the end (io.EOF) or the failure, sent once; and errWaitEnded (buffered)
	ended    bool       // done has been sent
	panicked error      // a callback panicked (see fail): Stream panics with it
}

func newOutcome() outcome { return outcome{done: make(chan error, 2)} }

// endLocked records the body's end or failure, unless it has one already.
func (o *outcome) endLocked(err error) {
	if !o.ended {
		o.ended = true
		o.done <- err
	}
}

// failLocked records a panic of a callback (the consumer's, perhaps) as the body's failure;
// Stream panics again with it, in its caller's goroutine.
func (o *outcome) failLocked(err error) {
	if o.panicked == nil {
		o.panicked = err
	}
	o.endLocked(err)
}

// errWaitEnded is what the end of wait's ctx sends on done: one channel for both, rather than
// a select of two (see cancel.Notifier).
var errWaitEnded = errors.New("the wait's context ended")

// wait waits for the body's outcome, or ctx; mu guards o. It is called once.
func (o *outcome) wait(ctx *cancel.Scope, mu *sync.Mutex) error {
	stop := ctx.AfterFunc(func() { o.done <- errWaitEnded })
	err := <-o.done
	if err == errWaitEnded {
		return ctx.Err()
	}
	stop()
	mu.Lock()
	panicked := o.panicked
	mu.Unlock()
	if panicked != nil {
		panic(panicked)
	}
	return err
}

// copyChunk copies a chunk (a Uint8Array) into buf, or a larger buffer when it does not fit,
// and returns it. It crosses into JavaScript as few times as it can: the chunk's length is
// only asked for when it may not fit.
func copyChunk(buf []byte, value safejs.Value) ([]byte, error) {
	if cap(buf) == 0 {
		buf = make([]byte, minChunkBuffer)
	}
	n, err := safejs.CopyBytesToGo(buf[:cap(buf)], value)
	if err != nil {
		return nil, err
	}
	if n == cap(buf) {
		// The chunk may be larger than the buffer: copy it again into one of its size, rounded
		// up to a power of two so that the chunks after it fit too.
		if n, err = value.Length(); err != nil {
			return nil, err
		}
		if n > cap(buf) {
			buf = make([]byte, n, 1<<bits.Len(uint(n-1)))
			if n, err = safejs.CopyBytesToGo(buf, value); err != nil {
				return nil, err
			}
		}
	}
	unpin(n)
	return buf[:n], nil
}

// minChunkBuffer is the size of a new chunk buffer; one that a chunk outgrows is replaced by
// one of the chunk's size.
const minChunkBuffer = 64 << 10
