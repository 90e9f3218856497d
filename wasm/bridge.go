//go:build js && wasm

package main

import (
	"errors"
	"runtime"
	"sync"
	"unsafe"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/fetch"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

var errMissingBridge = errors.New("no bridge object: load eventsource.wasm with eventsource.js")

// bridge serves the shim's EventSource objects: the shim calls open when one is constructed
// (or, for those constructed before the wasm was ready, as soon as it is) and close on close().
type bridge struct {
	js      safejs.Value
	mu      sync.Mutex
	sources map[int]*source
	funcs   []*jsfunc.Func // open, close, stop, online, suspend and resume, never released: they live as long as the page
	loop    safejs.Value   // the shim's readLoop (fetch.Transport.ReadLoop), if it has one
	request safejs.Value   // the shim's request (fetch.Transport.Request), if it has one
}

// source is an open EventSource's connection and what closes it.
type source struct {
	src   *core.Source
	scope *cancel.Scope // cancelled by close()
}

func newBridge(js safejs.Value) *bridge {
	loop, _ := js.Get("readLoop")
	request, _ := js.Get("request")
	return &bridge{js: js, sources: make(map[int]*source), loop: loop, request: request}
}

// install sets bridge.open, bridge.close, bridge.stop, bridge.online, bridge.suspend and
// bridge.resume, and calls bridge.ready().
func (b *bridge) install() error {
	served = b
	for name, fn := range map[string]func([]safejs.Value) (any, error){"open": b.open, "close": b.close, "stop": b.stop, "online": b.online,
		"suspend": b.suspend, "resume": b.resume} {
		f, err := jsfunc.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
			result, err := fn(args)
			if err != nil {
				return err.Error() // the shim reports it
			}
			return result
		}, b.report)
		if err != nil {
			return err
		}
		b.funcs = append(b.funcs, f)
		if err := b.js.Set(name, f.Value()); err != nil {
			return err
		}
	}
	_, err := b.js.Call("ready")
	return err
}

// report hands an internal error (a recovered panic) to the shim, which logs it.
func (b *bridge) report(err error) { _, _ = b.js.Call("report", err.Error()) }

// open(id, url, withCredentials, deliver, options, started, abort, reply, link) starts the connection
// of an EventSource whose URL and options the shim has already checked. deliver receives its
// event batches (see batch.go) from calls of Go, reply those that the read loop receives as the
// result of its call into Go (fetch.Transport.Reply); options are the extensions of the init
// dictionary (see options.go); started and abort, when not undefined, are the promise and
// AbortController of the first request, which the shim started in the constructor; link gives
// each fetch a signal that close() aborts too, at once (fetch.Transport.Link).
func (b *bridge) open(args []safejs.Value) (any, error) {
	if len(args) != 9 {
		return nil, errors.New("open: want 9 arguments")
	}
	id, err := args[0].Int()
	if err != nil {
		return nil, err
	}
	url, err := args[1].String()
	if err != nil {
		return nil, err
	}
	withCredentials, err := args[2].Truthy()
	if err != nil {
		return nil, err
	}
	cfg, err := config(url, withCredentials, args[4])
	if err != nil {
		return nil, err
	}
	scope := cancel.Root()
	h := &batchHandler{deliver: args[3], onPanic: b.report}
	transport := &fetch.Transport{}
	if !args[5].IsUndefined() {
		transport = fetch.Started(args[5], args[6])
	}
	transport.ReadLoop, transport.Reply, transport.Link, transport.Request = b.loop, args[7], args[8], b.request
	// The parser needs bytes only once they end a line; the idle timeout needs every chunk.
	transport.HoldLines = cfg.IdleTimeout == 0
	src := core.NewSource(cfg, transport, h)
	b.mu.Lock()
	b.sources[id] = &source{src: src, scope: scope}
	b.mu.Unlock()
	// The callback must not block: the connection runs on its own goroutine until it fails or
	// close() cancels it, and then leaves nothing behind.
	go func() {
		defer func() {
			b.mu.Lock()
			delete(b.sources, id)
			b.mu.Unlock()
			scope.Cancel(nil)
		}()
		defer h.recoverPanic()
		src.Run(scope)
	}()
	return nil, nil
}

// close(id) closes an EventSource: its fetch is aborted and a pending reconnection cancelled.
func (b *bridge) close(args []safejs.Value) (any, error) {
	if len(args) != 1 {
		return nil, errors.New("close: want 1 argument")
	}
	id, err := args[0].Int()
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	s := b.sources[id]
	delete(b.sources, id)
	b.mu.Unlock()
	if s != nil {
		s.scope.Cancel(nil)
	}
	return nil, nil
}

// stop() is the page's window.stop(), which aborts the fetches of the document: every source
// whose fetch is in progress fails (core.Source.Abort).
func (b *bridge) stop([]safejs.Value) (any, error) {
	b.each((*core.Source).Abort)
	return nil, nil
}

// online() is the page's "online" event after an "offline" one: the sources that wait to
// re-establish their connection under a retry policy reconnect at once (core.Source.Wake).
func (b *bridge) online([]safejs.Value) (any, error) {
	b.each((*core.Source).Wake)
	return nil, nil
}

// suspend() is the page's entry into the back/forward cache: every source's fetch, or its
// reconnection delay, ends without an event (core.Source.Suspend).
func (b *bridge) suspend([]safejs.Value) (any, error) {
	b.each((*core.Source).Suspend)
	return nil, nil
}

// resume() is the page's restore from the back/forward cache: every source reconnects at once
// (core.Source.Resume).
func (b *bridge) resume([]safejs.Value) (any, error) {
	b.each((*core.Source).Resume)
	return nil, nil
}

// each calls f with every open source's connection.
func (b *bridge) each(f func(*core.Source)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range b.sources {
		f(s.src)
	}
}

// served is the bridge, for eventsource_stats.
var served *bridge

// stats holds what eventsource_stats reports.
var stats [5]float64

// exportStats is eventsource_stats(): it returns the address of five float64 that tell what the
// Go side holds, for tests that check that closed sources leave nothing behind, and for
// benchmarks: sources, funcs, goroutines, gcs (garbage collections so far) and heap (bytes of
// Go heap in use); sources is -1 while another call holds the table. It is an export, not a
// js.Func, so that reading it leaves no JavaScript value behind in Go's table of them, which
// the shim's stats count too.
//
//go:wasmexport eventsource_stats
func exportStats() uint32 {
	n := -1
	if b := served; b != nil && b.mu.TryLock() {
		n = len(b.sources)
		b.mu.Unlock()
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	stats = [5]float64{float64(n), float64(jsfunc.LiveFuncs()), float64(runtime.NumGoroutine()), float64(m.NumGC), float64(m.HeapInuse)}
	return uint32(uintptr(unsafe.Pointer(&stats)))
}
