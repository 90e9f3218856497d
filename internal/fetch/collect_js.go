//go:build js && wasm

package fetch

import (
	"runtime"
	"sync/atomic"
	"time"
)

// Every JavaScript value that Go has held (a Response, a ReadableStream, a promise, a string
// passed to a call, the arguments of a callback) stays referenced from wasm_exec.js's table of
// values until Go's garbage collector finalizes the Go value that held it. Go's collector runs
// when Go's own heap has grown, and knows nothing of the JavaScript memory it keeps alive: a
// page whose sources come and go, or whose chunks Go reads through read(), allocates little in
// Go, and would keep every response and chunk. So a collection is forced when a fetch ends, and
// after every pinLimit bytes of chunks read through read().

// collectDelay is how long after the end of a fetch the collection runs: long enough for the
// goroutines that held its values to have let go of them and for fetches that end together
// (the sources of a page that closes them all) to share it, and in a task of its own, not in
// the call that ended the fetch (close(), say).
const collectDelay = 100 * time.Millisecond

// A collection holds up the page's main thread, which the Go side shares: a few ms, and the
// first one of a page about ten times as long, as the browser compiles the collector's code then
// (at its first call). So while a body is being read (another source's stream is live: its next
// event would wait) the collection waits, looking again every collectDelay, until none is, or
// until collectMaxFetches fetches have ended since the last one, or collectMaxWait has passed
// since the first of them: the JavaScript values of those fetches (their responses, streams,
// promises), and Go's garbage, are what it costs meanwhile. (In make soak's 500 connect/close
// cycles, with 16 the wasm memory grew to 6.5 MiB, against 6.0 when every fetch had its
// collection, and 8.0 with 64.)
const collectMaxFetches = 16

var collectMaxWait = 10 * time.Second // a variable for the tests

var (
	collecting   atomic.Bool  // a collection is scheduled
	collectSince time.Time    // when the first fetch it is for ended (guarded by collecting)
	ended        atomic.Int32 // the fetches that have ended since the last collection
	reading      atomic.Int32 // the bodies being read (Stream has started and not returned)
)

// collectSoon schedules a collection, for a fetch that has ended, unless one is scheduled
// already; a fetch that ends before it starts is covered by it.
func collectSoon() {
	ended.Add(1)
	if collecting.CompareAndSwap(false, true) {
		collectSince = time.Now()
		time.AfterFunc(collectDelay, collectWhenQuiet)
	}
}

// collectWhenQuiet runs the scheduled collection, unless it is to wait (see collectMaxWait).
func collectWhenQuiet() {
	if reading.Load() > 0 && ended.Load() < collectMaxFetches && time.Since(collectSince) < collectMaxWait {
		time.AfterFunc(collectDelay, collectWhenQuiet)
		return
	}
	ended.Store(0)
	collecting.Store(false)
	runtime.GC() // the finalizers then release the JavaScript values
}

// streaming counts a body being read until the returned func is called.
func streaming() (done func()) {
	reading.Add(1)
	return func() { reading.Add(-1) }
}

// unpin accounts for a chunk of n bytes that JavaScript handed to Go through read(). The read
// loop of the shim hands chunks over without a JavaScript value (see internal/wasmabi); read()'s
// chunks are Uint8Arrays, which stay in memory until a collection, and Go allocates so little
// per chunk that one may not come for gigabytes of them. So a collection is forced once the
// chunks read since the last one reach pinLimit bytes.
func unpin(n int) {
	if pinned.Add(int64(n)) >= pinLimit {
		pinned.Store(0)
		runtime.GC()
	}
}

// pinned counts the bytes of chunks read since the last forced collection.
var pinned atomic.Int64

// pinLimit is how many bytes of chunks may wait for a collection.
const pinLimit = 16 << 20
