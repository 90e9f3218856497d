//go:build js && wasm

package fetch

import (
	"context"
	"errors"
	"io"

	"github.com/hack-pad/safejs"
)

// bodyReader reads a response body's ReadableStream through one reader, chunk by chunk.
type bodyReader struct {
	ctx     context.Context
	reader  safejs.Value
	funcs   *thenFuncs
	ctrl    *abortController
	pending bool   // a read() promise is outstanding
	buf     []byte // the current chunk
	rest    []byte // what of it Read has not returned yet
	done    bool
}

func newBodyReader(ctx context.Context, body safejs.Value, ctrl *abortController) (*bodyReader, error) {
	reader, err := body.Call("getReader")
	if err != nil {
		return nil, err
	}
	funcs, err := newThenFuncs()
	if err != nil {
		return nil, err
	}
	return &bodyReader{ctx: ctx, reader: reader, funcs: funcs, ctrl: ctrl}, nil
}

// Read returns the rest of the current chunk, or reads the next one: one read() call, one
// callback and one copy into a reused buffer per chunk.
func (b *bodyReader) Read(p []byte) (int, error) {
	if len(b.rest) == 0 {
		if err := b.next(); err != nil {
			return 0, err
		}
	}
	n := copy(p, b.rest)
	b.rest = b.rest[n:]
	return n, nil
}

func (b *bodyReader) next() error {
	if b.done {
		return io.EOF
	}
	for len(b.rest) == 0 {
		promise, err := b.reader.Call("read")
		if err != nil {
			return err
		}
		if err := b.funcs.then(promise); err != nil {
			return err
		}
		b.pending = true
		var r settled
		select {
		case r = <-b.funcs.results:
			b.pending = false
		case <-b.ctx.Done():
			return b.ctx.Err()
		}
		if !r.ok {
			return jsError("read", r.reason)
		}
		done, err := r.value.Get("done")
		if err != nil {
			return err
		}
		if isDone, _ := done.Bool(); isDone {
			b.done = true
			return io.EOF
		}
		value, err := r.value.Get("value")
		if err != nil {
			return err
		}
		n, err := value.Length()
		if err != nil {
			return err
		}
		if cap(b.buf) < n {
			b.buf = make([]byte, n)
		}
		b.buf = b.buf[:n]
		if _, err := safejs.CopyBytesToGo(b.buf, value); err != nil {
			return errors.Join(errors.New("eventsource: reading the body"), err)
		}
		b.rest = b.buf
	}
	return nil
}

// Close aborts the fetch and releases the callbacks once no read is outstanding.
func (b *bodyReader) Close() error {
	b.ctrl.stop()
	if b.pending {
		// The abort rejects the outstanding read() soon; release after it has reported.
		go func() {
			<-b.funcs.results
			b.funcs.release()
		}()
	} else {
		b.funcs.release()
	}
	return nil
}
