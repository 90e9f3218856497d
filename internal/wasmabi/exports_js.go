//go:build js && wasm

package wasmabi

import (
	"sync"
	"unsafe"
)

// The shim's read loop (internal/fetch's Transport.ReadLoop) hands each chunk of a body to Go without a js.Func:
// a call of a js.Func from JavaScript costs tens of microseconds (an event object, half a dozen
// property reads into Go, a finalizer per JavaScript value, a round of the scheduler), which is
// more than the chunk's parsing. Instead the loop calls functions that the module exports, with
// numbers only:
//
//	at = eventsource_chunk_buffer(id, n)  // the address of a Go buffer of n bytes, 0 if none
//	r = eventsource_chunk(id, n)          // Go consumes n bytes that the loop copied to at
//
// id is the body's number, which Go gave the loop. The loop asks for a buffer once, and copies
// each chunk into the module's memory at its address, a large chunk in parts of at most n
// bytes; where the body allows it (internal/fetch's Transport.HoldLines), a small chunk with
// no line break stays there without a call, and the next one is copied after it, until the
// buffer is full or a chunk with a line break comes: eventsource_chunk then has them all. When
// there is no buffer (the body is closing, or has failed), the loop hands the chunk to the
// body's fulfilled callback instead, as it does with the end of the body.
//
// When eventsource_chunk returns a negative r, goroutines have work to do (the consumer failed,
// say) and the loop calls fulfilled(null), which runs them. A positive r tells of what the
// consumer handed back with [Reply], at the address eventsource_reply() returns: r>>1 is its
// length, and r&1 says that it is short and all ASCII. The loop decodes it as UTF-8 (a short
// ASCII reply with String.fromCharCode, which costs a quarter of what TextDecoder does when the
// page has been idle: a reply per event that arrives alone), keeping a leading BOM, which is
// data here, and passes the string to the Transport's Reply function, once the call has
// returned. That saves the consumer a call into JavaScript per chunk (handing the events parsed
// from it to the page, say).
//
// An exported function runs on the stack of the goroutine that paused, and must not block: the
// runtime would take a blocked call for the program waiting for an event and return to
// JavaScript before the function has finished. So these take locks with TryLock only, and the
// consumer they call (core's parser and the shim's batch handler) only computes and calls into
// JavaScript.

// A Loop is a body that the shim's read loop reads (internal/fetch's loopBody), as the exports
// see it. Neither method may block: they run inside an export (see above).
type Loop interface {
	// Buffer returns a buffer of n bytes into which the loop copies the chunks that fit, or
	// nil when they are to go to the body's fulfilled callback instead (the body is closing, or
	// has failed, or is busy).
	Buffer(n int) []byte
	// Chunk hands the first n bytes of that buffer to the body's consumer, which may Reply.
	// It reports false when goroutines have work to do (the consumer panicked, say); the loop
	// then wakes them.
	Chunk(n int) bool
}

// The loops, by the number handed to the shim's loop, and the reply of the consumer that runs
// inside eventsource_chunk: the package's state, which the exports, called by number from
// JavaScript, need.
var (
	loopMu   sync.Mutex
	loops    = make(map[int32]Loop)
	loopLast int32

	replying bool   // a consumer runs inside eventsource_chunk
	replied  []byte // its reply, if it made one
)

// Register gives l a number for the read loop, by which the exports find it.
func Register(l Loop) int32 {
	loopMu.Lock()
	defer loopMu.Unlock()
	for {
		loopLast++
		if loopLast <= 0 {
			loopLast = 1
		}
		if loops[loopLast] == nil {
			loops[loopLast] = l
			return loopLast
		}
	}
}

// Unregister forgets the number of a loop that has ended (0: none).
func Unregister(id int32) {
	if id == 0 {
		return
	}
	loopMu.Lock()
	delete(loops, id)
	loopMu.Unlock()
}

// lookup returns the loop numbered id, or nil if there is none or the table is busy.
func lookup(id int32) Loop {
	if !loopMu.TryLock() {
		return nil
	}
	defer loopMu.Unlock()
	return loops[id]
}

// chunkBuffer is eventsource_chunk_buffer: it returns the address of a buffer of n bytes into
// which the loop copies the chunks of body id that fit, or 0 if they are to go to fulfilled.
//
//go:wasmexport eventsource_chunk_buffer
func chunkBuffer(id, n int32) uint32 {
	l := lookup(id)
	if l == nil || n <= 0 {
		return 0
	}
	buf := l.Buffer(int(n))
	if buf == nil {
		return 0
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(buf))))
}

// chunkWritten is eventsource_chunk: the loop has copied n bytes of body id into the buffer that
// chunkBuffer returned; they go to the consumer. It returns -1 when goroutines are to run (the
// loop then calls fulfilled(null)), else what replyResult says of the consumer's reply (0 for
// none).
//
//go:wasmexport eventsource_chunk
func chunkWritten(id, n int32) int32 {
	l := lookup(id)
	if l == nil || n < 0 {
		return -1 // not reached: nothing else runs while the loop calls
	}
	replying, replied = true, nil
	ok := l.Chunk(int(n))
	replying = false
	if !ok {
		replied = nil
		return -1
	}
	return replyResult(replied)
}

// Reply hands p back to the read loop as the outcome of the chunk being consumed, when the
// consumer runs inside the loop's call of eventsource_chunk (see above): the loop passes p,
// decoded as UTF-8, to the Transport's Reply function once the call has returned. p must not
// change until then, and must be the last thing the consumer hands on for the chunk: what it
// hands on otherwise (with a call into JavaScript) arrives before p. Reply reports false, and p
// is not taken, outside such a call, when p is empty or 1 GiB long, or when the call has a reply
// already.
func Reply(p []byte) bool {
	if !replying || replied != nil || len(p) == 0 || len(p) >= maxReply {
		return false
	}
	replied = p
	return true
}

// replyAddress is eventsource_reply: the address of the reply of the last eventsource_chunk.
//
//go:wasmexport eventsource_reply
func replyAddress() uint32 {
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(replied))))
}

// Text returns where p is in the module's memory and textResult's r for it, for a JavaScript
// function that decodes p from there as the read loop decodes a reply (see above), during the
// call that passes them. Text passed so costs no JavaScript string made by wasm_exec.js, which
// Go's table of JavaScript values would hold until a collection, and whose decoder drops a
// leading BOM. p must stay unchanged and reachable until the call returns.
func Text(p []byte) (addr uint32, r int) {
	if len(p) == 0 {
		return 0, 0
	}
	return uint32(uintptr(unsafe.Pointer(unsafe.SliceData(p)))), textResult(p)
}
