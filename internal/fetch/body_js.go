//go:build js && wasm

package fetch

import (
	"context"
	"io"
	"math/bits"
	"sync"

	"github.com/hack-pad/safejs"
)

// readAhead is how many chunks a body reads ahead of its consumer.
const readAhead = 8

// bodyReader reads a response body's ReadableStream, through the shim's read loop (see
// Transport.ReadLoop) once Stream is called, else through a reader. With a reader, it keeps a
// read() outstanding while fewer than readAhead chunks wait for the consumer, issuing the next
// one from the callback of the last: a chunk then never waits in the stream's queue, where an
// error of the stream (the connection breaking) would discard it unread, and the consumer rarely
// waits for a round trip. Once Stream is called (the Source does), each chunk is handed to the
// consumer in that callback instead of being queued. The callbacks are made once per body, not
// per chunk.
type bodyReader struct {
	ctx    context.Context
	body   safejs.Value // the ReadableStream
	reader safejs.Value // its reader, once Go reads it (not with the loop)
	loop   safejs.Value // the shim's read loop, or undefined (see Transport.ReadLoop)
	reply  safejs.Value // Transport.Reply
	ctrl   *abortController
	onOK   *Func
	onErr  *Func
	chunks chan chunk  // chunks read and not yet consumed
	free   chan []byte // consumed chunk buffers, for reuse

	mu       sync.Mutex
	consume  func([]byte) // set by Stream: the callback hands each chunk to it
	panicked error        // a callback panicked (see fail)
	reading  bool         // a read() is outstanding
	looping  bool         // the read loop runs: it keeps a read() outstanding until the body ends
	ended    bool         // the end or an error has been queued: read no more
	closed   bool         // Close was called: release the callbacks once no read is outstanding
	released bool

	locked  bool   // reader is set
	loopID  int32  // the body's number for the read loop (export_js.go), 0 before it runs
	loopBuf []byte // the buffer into which the read loop copies each chunk

	cur, rest []byte // the chunk being consumed, and what of it is left
}

// chunk is one outcome of read(): data, or the end (io.EOF), or an error.
type chunk struct {
	data []byte
	err  error
}

func newBodyReader(ctx context.Context, body safejs.Value, ctrl *abortController, loop, reply safejs.Value) (*bodyReader, error) {
	b := &bodyReader{
		ctx: ctx, body: body, loop: loop, reply: reply, ctrl: ctrl,
		chunks: make(chan chunk, readAhead+1),
		free:   make(chan []byte, readAhead+1),
	}
	var err error
	if b.onOK, err = FuncOf(b.resolved, b.fail); err != nil {
		return nil, err
	}
	if b.onErr, err = FuncOf(b.rejected, b.fail); err != nil {
		b.onOK.Release()
		return nil, err
	}
	if loop.Type() != safejs.TypeFunction {
		b.mu.Lock()
		b.readLocked()
		b.mu.Unlock()
	} // else the loop starts with Stream, in the same task
	return b, nil
}

// readLocked calls read() unless one is outstanding, the body has ended, or enough chunks wait.
func (b *bodyReader) readLocked() {
	if b.reading || b.ended || b.closed || len(b.chunks) >= readAhead {
		return
	}
	if b.consume != nil && !b.locked && b.loop.Type() == safejs.TypeFunction {
		// Every chunk goes to the consumer at once: the loop may read without bound.
		b.loopID = registerLoop(b)
		if _, err := b.loop.Invoke(b.body, b.loopID, b.onOK.Value(), b.onErr.Value(), b.reply, b.ctrl.signal); err != nil {
			b.endLocked(chunk{err: err})
			return
		}
		b.reading, b.looping = true, true
		return
	}
	var err error
	if !b.locked {
		if b.reader, err = b.body.Call("getReader"); err != nil {
			b.endLocked(chunk{err: err})
			return
		}
		b.locked = true
	}
	promise, err := b.reader.Call("read")
	if err == nil {
		_, err = promise.Call("then", b.onOK.Value(), b.onErr.Value())
	}
	if err != nil {
		b.endLocked(chunk{err: err})
		return
	}
	b.reading = true
}

// endLocked queues the last outcome of the body.
func (b *bodyReader) endLocked(c chunk) {
	b.ended = true
	b.chunks <- c // never blocks: at most readAhead chunks plus this one are queued
}

// resolved is read()'s fulfilment callback: it copies the chunk into Go and reads on. Once
// Stream has set the consumer, it hands the chunk over itself, so that the chunk is parsed
// in this callback, without a hand-over to the goroutine that called Stream.
func (b *bodyReader) resolved(_ safejs.Value, args []safejs.Value) any {
	if arg0(args).IsNull() {
		return nil // the read loop wakes the goroutines (see export_js.go)
	}
	value, err := arg0(args).Get("value")
	done := err == nil && value.IsUndefined()
	b.mu.Lock()
	if !b.settledLocked(done) {
		b.mu.Unlock()
		return nil
	}
	var data []byte
	if err == nil && !done {
		data, err = b.copyChunk(value)
	}
	switch {
	case err != nil:
		b.endLocked(chunk{err: err})
	case done:
		b.endLocked(chunk{err: io.EOF})
	case b.consume != nil:
		b.readLocked() // the next read() goes out first; it settles after this callback
		consume := b.consume
		b.mu.Unlock()
		consume(data)
		b.recycle(data)
		return nil
	default:
		b.chunks <- chunk{data: data}
		b.readLocked()
	}
	b.mu.Unlock()
	return nil
}

// rejected is read()'s rejection callback: the stream broke (or was aborted).
func (b *bodyReader) rejected(_ safejs.Value, args []safejs.Value) any {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.settledLocked(true) {
		return nil
	}
	b.endLocked(chunk{err: jsError("read", arg0(args))})
	return nil
}

// settledLocked records that the outstanding read() has settled; last says that the body
// ended with it (done, or the read failed), which also ends the read loop. It reports false,
// having released the callbacks once no read can settle any more, when the body is closed or
// has ended and nothing more is to be done.
func (b *bodyReader) settledLocked(last bool) bool {
	if last {
		b.looping = false
	}
	b.reading = b.looping // in the loop, the next read() is already outstanding
	if b.closed {
		if !b.reading {
			b.releaseLocked()
		}
		return false
	}
	return !b.ended
}

// fail handles a panic in a callback as a broken body; Stream panics again with it, in its
// caller's goroutine, since the panic may have been the consumer's.
func (b *bodyReader) fail(err error) {
	if !b.mu.TryLock() {
		b.mu.Unlock() // the panic came while resolved held the lock
		b.mu.Lock()
	}
	defer b.mu.Unlock()
	b.reading = false
	b.panicked = err
	if !b.ended {
		b.endLocked(chunk{err: err})
	}
}

// copyChunk copies a chunk (a Uint8Array) into a Go buffer. It crosses into JavaScript as
// few times as it can: the chunk's length is only asked for when it may not fit the buffer.
func (b *bodyReader) copyChunk(value safejs.Value) ([]byte, error) {
	buf := b.buffer(0)
	n, err := safejs.CopyBytesToGo(buf[:cap(buf)], value)
	if err != nil {
		return nil, err
	}
	if n == cap(buf) {
		// The chunk may be larger than the buffer: copy it again into one of its size.
		if n, err = value.Length(); err != nil {
			return nil, err
		}
		if n > cap(buf) {
			buf = b.buffer(n)[:n]
			if n, err = safejs.CopyBytesToGo(buf, value); err != nil {
				return nil, err
			}
		}
	}
	unpin(n)
	return buf[:n], nil
}

// buffer returns a chunk buffer of capacity at least n: a consumed one if it is large enough,
// else a new one, rounded up to a power of two so that the chunks after it fit too (a new
// buffer for every larger chunk would leave garbage, and a collection that runs while chunks
// are parsed slows the parsing).
func (b *bodyReader) buffer(n int) []byte {
	select {
	case buf := <-b.free:
		if cap(buf) >= n {
			return buf
		}
	default:
	}
	if n <= minChunkBuffer {
		return make([]byte, minChunkBuffer)
	}
	return make([]byte, n, 1<<bits.Len(uint(n-1)))
}

// recycle offers a consumed chunk's buffer for the next chunks.
func (b *bodyReader) recycle(buf []byte) {
	select {
	case b.free <- buf[:0]:
	default:
	}
}

// minChunkBuffer is the size of a new chunk buffer; one that a chunk outgrows is replaced by
// one of the chunk's size.
const minChunkBuffer = 64 << 10

// Read returns the rest of the current chunk, or waits for the next one.
func (b *bodyReader) Read(p []byte) (int, error) {
	if len(b.rest) == 0 {
		if b.cur != nil {
			b.recycle(b.cur)
			b.cur = nil
		}
		c, err := b.next(b.ctx)
		if err != nil {
			return 0, err
		}
		b.cur, b.rest = c, c
	}
	n := copy(p, b.rest)
	b.rest = b.rest[n:]
	return n, nil
}

// next waits for the next chunk queued, or the end.
func (b *bodyReader) next(ctx context.Context) ([]byte, error) {
	b.mu.Lock()
	b.readLocked() // a body that has a read loop has not read yet
	b.mu.Unlock()
	var c chunk
	select {
	case c = <-b.chunks:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if c.err != nil {
		b.chunks <- c // the end stays the end
		b.mu.Lock()
		panicked := b.panicked
		b.mu.Unlock()
		if panicked != nil {
			panic(panicked)
		}
		return nil, c.err
	}
	b.mu.Lock()
	b.readLocked() // resume reading ahead if it had stopped
	b.mu.Unlock()
	return c.data, nil
}

// Stream hands each chunk to consume until the body ends, breaks or ctx is done
// (core.Streamer): first the chunks read ahead, then each in read()'s callback as it arrives.
func (b *bodyReader) Stream(ctx context.Context, consume func([]byte)) error {
	for {
		b.mu.Lock()
		if len(b.chunks) == 0 {
			// Under the lock, with nothing queued: from now on resolved calls consume.
			b.consume = consume
			b.readLocked()
			b.mu.Unlock()
			break
		}
		b.mu.Unlock()
		c, err := b.next(ctx)
		if err != nil {
			return err
		}
		consume(c)
	}
	_, err := b.next(ctx) // only the end is queued now
	return err
}

// Close aborts the fetch and releases the callbacks once no read is outstanding (the abort
// rejects an outstanding read soon, and its callback then releases them).
func (b *bodyReader) Close() error {
	b.ctrl.stop()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	if !b.reading {
		b.releaseLocked()
		return nil
	}
	// The abort settles the outstanding read(), whose callback releases them. Not always: Node.js
	// 20 leaves a read pending when a fetch whose body was read to its end is aborted. Releasing
	// the reader's lock rejects it (Streams standard, ReadableStreamDefaultReaderRelease; where
	// the lock cannot be released with a read pending, the abort is enough). The read loop
	// settles through the abort signal.
	if b.locked && !b.looping {
		_, _ = b.reader.Call("releaseLock")
	}
	return nil
}

func (b *bodyReader) releaseLocked() {
	if !b.released {
		b.released = true
		unregisterLoop(b.loopID)
		b.onOK.Release()
		b.onErr.Release()
		collectSoon() // the JavaScript values of the fetch are garbage now
	}
}
