//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// startup measures the time from navigation start to the first message of a source that the
// page opens at once. For the polyfill it splits that time at the arrival of the wasm: before,
// the download; after, what the module's compilation has left to do, its instantiation, Go's
// start and the first message.
func startup(ctx context.Context, b *bench, w *workload, impl string) ([]measure, error) {
	if err := b.open(ctx, impl, "startup"); err != nil {
		return nil, err
	}
	r, err := startupResult(ctx)
	if err != nil {
		return nil, err
	}
	ms := []measure{{"nav→1st message ms", r.T}}
	switch {
	case impl != "polyfill":
	case r.WasmEnd >= 0:
		ms = append(ms, measure{"nav→wasm received ms", r.WasmEnd}, measure{"wasm received→1st message ms", r.T - r.WasmEnd})
	case b.p.Option == "":
		// (With an option, the first message may come from an engine worker that runs already,
		// a shared one kept from an earlier tab, before the page's own wasm has arrived.)
		return nil, errors.New("startup: the page has no resource timing of the wasm")
	}
	if impl == "polyfill" && b.floor {
		// The floor, in the same tab: the smallest safejs program, then the browser's own
		// EventSource (floor.go).
		if err := chromedp.Do(ctx, chromedp.Navigate(b.srv.url+"/floor/page")); err != nil {
			return nil, fmt.Errorf("loading the floor: %w", err)
		}
		f, err := startupResult(ctx)
		if err != nil {
			return nil, fmt.Errorf("floor: %w", err)
		}
		ms = append(ms, measure{"floor: nav→1st message ms", f.T}, measure{"floor: nav→wasm received ms", f.WasmEnd}, measure{"polyfill - floor ms", r.T - f.T})
	}
	return ms, nil
}

// startupSecondTab measures startup in a second tab while a first one, whose source has
// received its first message, stays open: the files are in the HTTP cache then, and with the
// shared option (-shared) the shared worker runs already, so a source of the second tab starts
// a connection there without waiting for the tab's own wasm. (The shared worker is kept a while
// after its last tab goes, so with -shared the first tab of a rep finds it running too.)
func startupSecondTab(ctx context.Context, b *bench, w *workload, impl string) ([]measure, error) {
	if err := b.open(ctx, impl, "startup"); err != nil {
		return nil, err
	}
	if _, err := startupResult(ctx); err != nil {
		return nil, fmt.Errorf("first tab: %w", err)
	}
	second, closeTab := chromedp.NewContext(ctx)
	defer closeTab()
	if err := disableDomains(second); err != nil {
		return nil, err
	}
	if err := b.open(second, impl, "startup"); err != nil {
		return nil, err
	}
	r, err := startupResult(second)
	if err != nil {
		return nil, fmt.Errorf("second tab: %w", err)
	}
	return []measure{{"2nd tab nav→1st message ms", r.T}}, nil
}

// startupWarm measures startup on a return visit: the page is loaded once, its polyfill files
// served to be kept (/cached/: as the README's "Serving it" says), then again 3 s later in the
// same tab, when the files come from the HTTP cache (the shim after a 304) and, once V8 has
// cached the wasm's compiled code (it does so for a streaming compile of a cached response, a
// while after the code was last optimized), the module from V8's code cache.
//
// For the polyfill it also measures the floor's return visit the same way (its files served as
// the polyfill's are for this row: floorHandler).
func startupWarm(ctx context.Context, b *bench, w *workload, impl string) ([]measure, error) {
	r, err := returnVisit(ctx, func() error { return b.open(ctx, impl, "warm") })
	if err != nil {
		return nil, err
	}
	ms := []measure{{"warm nav→1st message ms", r.T}}
	if impl == "polyfill" && r.WasmEnd >= 0 {
		ms = append(ms, measure{"warm nav→wasm received ms", r.WasmEnd})
	}
	if impl == "polyfill" && b.floor {
		f, err := returnVisit(ctx, func() error { return chromedp.Do(ctx, chromedp.Navigate(b.srv.url+"/floor/page?mode=warm")) })
		if err != nil {
			return nil, fmt.Errorf("floor: %w", err)
		}
		ms = append(ms, measure{"floor: warm nav→1st message ms", f.T}, measure{"floor: warm nav→wasm received ms", f.WasmEnd}, measure{"warm polyfill - floor ms", r.T - f.T})
	}
	return ms, nil
}

// returnVisit loads a startup page with open, waits 3 s, loads it again, and returns the second
// visit's startupResult.
func returnVisit(ctx context.Context, open func() error) (startupTimes, error) {
	if err := open(); err != nil {
		return startupTimes{}, err
	}
	if _, err := startupResult(ctx); err != nil {
		return startupTimes{}, fmt.Errorf("first visit: %w", err)
	}
	select {
	case <-time.After(3 * time.Second):
	case <-ctx.Done():
		return startupTimes{}, ctx.Err()
	}
	if err := open(); err != nil {
		return startupTimes{}, err
	}
	r, err := startupResult(ctx)
	if err != nil {
		return startupTimes{}, fmt.Errorf("return visit: %w", err)
	}
	return r, nil
}

// startupTimes is what a startup page's bench.startup resolves with: when its first message
// came, and its wasm (-1 without it), in ms since navigation start.
type startupTimes struct {
	T       float64 `json:"t"`
	WasmEnd float64 `json:"wasmEnd"`
	Data    string  `json:"data"`
	Error   string  `json:"error"`
}

// startupResult waits for the open startup page's startupTimes.
func startupResult(ctx context.Context) (startupTimes, error) {
	r, err := eval[startupTimes](ctx, "bench.startup")
	switch {
	case err != nil:
		return r, err
	case r.Error != "":
		return r, fmt.Errorf("startup: %s", r.Error)
	case r.Data != "hello":
		return r, fmt.Errorf("startup: got data %q, want \"hello\"", r.Data)
	}
	return r, nil
}
