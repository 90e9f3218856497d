//go:build unix

package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
)

// chromiumFlags are Chromium's switches, besides a fresh --user-data-dir: headless, no
// background work of its own, and no throttling of timers or renderers in any tab.
var chromiumFlags = []string{
	"headless", "no-sandbox", "disable-gpu", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync",
	"disable-background-timer-throttling", "disable-renderer-backgrounding",
	"disable-backgrounding-occluded-windows",
}

// errTimeout marks a measurement that ran out of time.
var errTimeout = errors.New("timed out")

// startChromium starts headless Chromium from bin with a fresh profile, within timeout. It
// returns the browser's chromedp context, its version, and a func that stops it and removes the
// profile.
func startChromium(ctx context.Context, bin string, timeout time.Duration) (context.Context, string, func(), error) {
	profile, err := os.MkdirTemp("", "ssewasm-bench-")
	if err != nil {
		return nil, "", nil, fmt.Errorf("chromium profile: %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(bin), chromedp.UserDataDir(profile)}
	for _, f := range chromiumFlags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	stop := func() {
		cancelBrowser()
		cancelAlloc()
		if err := os.RemoveAll(profile); err != nil {
			fmt.Fprintf(os.Stderr, "bench: removing the chromium profile: %v\n", err)
		}
	}
	// The first call starts the browser, which lives as long as that call's context: bound
	// the start with a timer, not with that context.
	watchdog := time.AfterFunc(timeout, cancelAlloc)
	v, err := chromedp.CallBrowser(bctx, cdpbrowser.GetVersion, cdp.Empty{})
	if !watchdog.Stop() && err == nil {
		err = fmt.Errorf("%w after %v", errTimeout, timeout)
	}
	if err != nil {
		stop()
		return nil, "", nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	return bctx, v.Product, stop, nil
}

// inTab runs fn in a fresh tab of the browser and closes the tab. fn's context ends after
// timeout. chromedp turns on the Network, DOM, CSS and Log domains in every tab; inTab turns
// them off first: with Network on, DevTools records every EventSource message, and native
// EventSource runs about 8 times slower.
func inTab(browser context.Context, timeout time.Duration, fn func(ctx context.Context) error) error {
	tctx, cancel := context.WithTimeout(browser, timeout)
	defer cancel()
	ctx, closeTab := chromedp.NewContext(tctx)
	defer closeTab()
	err := disableDomains(ctx)
	if err == nil {
		err = fn(ctx)
	}
	if err != nil && errors.Is(tctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w after %v: %v", errTimeout, timeout, err)
	}
	return err
}

func disableDomains(ctx context.Context) error {
	for _, c := range []cdp.Command[cdp.Empty, cdp.Empty]{network.Disable, dom.Disable, css.Disable, log.Disable} {
		if _, err := chromedp.Call(ctx, c, cdp.Empty{}); err != nil {
			return fmt.Errorf("%s: %w", c.Method, err)
		}
	}
	return nil
}

// eval evaluates expr in the tab's page, awaiting it if it is a promise, and decodes its value.
func eval[T any](ctx context.Context, expr string) (T, error) {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		return v, fmt.Errorf("evaluating %.60q: %w", expr, err)
	}
	return v, nil
}

// metric returns one of the Performance domain's metrics, which must be enabled.
func metric(ctx context.Context, name string) (float64, error) {
	m, err := chromedp.Call(ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		return 0, fmt.Errorf("Performance.getMetrics: %w", err)
	}
	for _, x := range m.Metrics {
		if x.Name == name {
			return x.Value, nil
		}
	}
	return 0, fmt.Errorf("Performance.getMetrics: no %s", name)
}

// heapAfterGC collects garbage twice and returns the JS heap's used size in bytes.
func heapAfterGC(ctx context.Context) (float64, error) {
	for range 2 {
		if _, err := chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			return 0, fmt.Errorf("HeapProfiler.collectGarbage: %w", err)
		}
	}
	return metric(ctx, "JSHeapUsedSize")
}
