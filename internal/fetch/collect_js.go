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

// collecting is set while a collection is scheduled.
var collecting atomic.Bool

// collectSoon schedules a collection in collectDelay, unless one is scheduled already; a fetch
// that ends before it starts is covered by it.
func collectSoon() {
	if collecting.CompareAndSwap(false, true) {
		time.AfterFunc(collectDelay, func() {
			collecting.Store(false)
			runtime.GC() // the finalizers then release the JavaScript values
		})
	}
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
