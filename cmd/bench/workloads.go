//go:build unix

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"
)

// A workload is one kind of measurement. Each run is in a fresh tab.
type workload struct {
	name string
	// async makes the page's message listener an async function, which costs the polyfill a
	// task per event (see settle in js/shim/events.js).
	async bool
	// newStream builds the body it reads at /events/{name}, if any.
	newStream func() *stream
	stream    *stream
	run       func(ctx context.Context, b *bench, w *workload, impl string) ([]measure, error)
}

// A measure is one metric's value from one run.
type measure struct {
	metric string
	value  float64
}

// workloads returns every workload that p sizes, in the order they run.
func workloads(p params) []*workload {
	many := func(n, size, write int) func() *stream {
		return func() *stream { return manyEvents(n, size, write) }
	}
	ws := []*workload{
		{name: "tp-64", newStream: many(p.SmallEvents, 64, 0), run: throughput},
		{name: "tp-1k", newStream: many(p.LargeEvents, 1024, 0), run: throughput},
		{name: "tp-64-async", newStream: many(p.SmallEvents/10, 64, 0), run: throughput, async: true},
	}
	for _, mib := range p.BigMiB {
		for _, shape := range []struct {
			name string
			line int
		}{{"lines", 1024}, {"line", 0}} {
			ws = append(ws, &workload{
				name:      fmt.Sprintf("big-%dm-%s", mib, shape.name),
				newStream: func() *stream { return bigEvent(mib<<20, shape.line) },
				run:       big,
			})
		}
	}
	return append(ws,
		&workload{name: fmt.Sprintf("chunked-%d", p.ChunkWrite), newStream: many(p.ChunkedEvents, 64, p.ChunkWrite), run: throughput},
		&workload{name: "latency", run: latency},
		&workload{name: "startup", run: startup},
		&workload{name: "startup-2nd-tab", run: startupSecondTab},
		&workload{name: "startup-warm", run: startupWarm},
		&workload{name: "memory", newStream: many(p.MemoryEvents, 64, 0), run: memory},
	)
}

// pageResult is what the page's bench.run resolves with (see harness.js). Times are
// performance.now() values in ms.
type pageResult struct {
	Error    string    `json:"error"`
	TimedOut bool      `json:"timedOut"`
	Tally    tally     `json:"tally"`
	TOpen    float64   `json:"tOpen"`
	TFirst   float64   `json:"tFirst"`
	TLast    float64   `json:"tLast"`
	Lat      []float64 `json:"lat"`
}

// open loads the page for impl (with mode, if any), waits until it is ready and enables the
// Performance domain.
func (b *bench) open(ctx context.Context, impl, mode string) error {
	url := b.srv.url + "/page?impl=" + impl + "&mode=" + mode
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("loading %s: %w", url, err)
	}
	if mode == "startup" {
		return nil
	}
	if _, err := eval[chromedp.Void](ctx, "bench.ready"); err != nil {
		return err
	}
	if _, err := chromedp.Call(ctx, performance.Enable, performance.EnableParams{}); err != nil {
		return fmt.Errorf("Performance.enable: %w", err)
	}
	return nil
}

// read runs one source on path in the open page until n messages arrived.
func read(ctx context.Context, path string, n int, latency, async bool) (pageResult, error) {
	args, _ := json.Marshal([]any{path, n, latency, async})
	r, err := eval[pageResult](ctx, "bench.run(..."+string(args)+")")
	switch {
	case err != nil:
		return r, err
	case r.TimedOut:
		return r, fmt.Errorf("%s: %w: %s", path, errTimeout, r.Error)
	case r.Error != "":
		return r, fmt.Errorf("%s: %s", path, r.Error)
	}
	return r, nil
}

// check returns an error unless the page got exactly the events sent.
func check(path string, got, want tally) error {
	if got != want {
		return fmt.Errorf("%s: wrong events: got %+v, want %+v", path, got, want)
	}
	return nil
}

// readWant reads a pre-built stream's messages from path and checks them.
func readWant(ctx context.Context, path string, want tally, async bool) (pageResult, error) {
	r, err := read(ctx, path, want.N, false, async)
	if err == nil {
		err = check(path, r.Tally, want)
	}
	return r, err
}

// readStream opens impl's page, reads w's stream once and returns the page's result and the
// main thread's CPU time over the stream, in ms.
func (b *bench) readStream(ctx context.Context, w *workload, impl string) (pageResult, float64, error) {
	if err := b.open(ctx, impl, ""); err != nil {
		return pageResult{}, 0, err
	}
	cpu0, err := metric(ctx, "ThreadTime")
	if err != nil {
		return pageResult{}, 0, err
	}
	r, err := readWant(ctx, "/events/"+w.name, w.stream.want, w.async)
	if err != nil {
		return r, 0, err
	}
	cpu1, err := metric(ctx, "ThreadTime")
	return r, (cpu1 - cpu0) * 1e3, err
}

// throughput measures events/s from the first message to the last, and the main thread's CPU.
func throughput(ctx context.Context, b *bench, w *workload, impl string) ([]measure, error) {
	r, cpu, err := b.readStream(ctx, w, impl)
	if err != nil {
		return nil, err
	}
	n := float64(w.stream.want.N)
	if r.TLast <= r.TFirst || r.TOpen < 0 {
		return nil, fmt.Errorf("no open event, or no time between the first and last message")
	}
	// An implementation that parses a whole network chunk before it dispatches any of its
	// events gets its first message late: the rate from open counts that time too.
	return []measure{
		{"events/s", (n - 1) / (r.TLast - r.TFirst) * 1e3},
		{"events/s from open", n / (r.TLast - r.TOpen) * 1e3},
		{"CPU ms", cpu},
		{"CPU µs/event", cpu * 1e3 / n},
	}, nil
}

// big measures the time from open to the one big message.
func big(ctx context.Context, b *bench, w *workload, impl string) ([]measure, error) {
	r, cpu, err := b.readStream(ctx, w, impl)
	if err != nil {
		return nil, err
	}
	if r.TOpen < 0 {
		return nil, fmt.Errorf("no open event")
	}
	return []measure{{"open→message ms", r.TLast - r.TOpen}, {"CPU ms", cpu}}, nil
}

// latency measures receive - send times of events sent one per period.
func latency(ctx context.Context, b *bench, w *workload, impl string) ([]measure, error) {
	if err := b.open(ctx, impl, ""); err != nil {
		return nil, err
	}
	b.ids++
	id := fmt.Sprint(b.ids)
	n := b.p.LatencyEvents
	path := fmt.Sprintf("/ticks?id=%s&n=%d&every=%s", id, n, b.p.LatencyEvery)
	r, err := read(ctx, path, n, true, false)
	if err == nil {
		// The server counts an event before it sends it: its tally is complete by now.
		err = check(path, r.Tally, b.srv.sentTally(id))
	}
	if err != nil {
		return nil, err
	}
	return []measure{{"p50 ms", percentile(r.Lat, 50)}, {"p99 ms", percentile(r.Lat, 99)}}, nil
}

// memory measures the JS heap during and after a stream, and for the polyfill its wasm
// memory after that stream and after each of MemoryRepeats more in the same page, and what its
// Go side holds then.
func memory(ctx context.Context, b *bench, w *workload, impl string) ([]measure, error) {
	if err := b.open(ctx, impl, "memory"); err != nil {
		return nil, err
	}
	base, err := heapAfterGC(ctx)
	if err != nil {
		return nil, err
	}
	// Sample the heap while the stream runs. The page answers between its tasks, so the peak
	// is approximate.
	sampling, stop := context.WithCancel(ctx)
	peakc := make(chan float64)
	go func() {
		peak := base
		for ; sampling.Err() == nil; time.Sleep(20 * time.Millisecond) {
			if v, err := metric(sampling, "JSHeapUsedSize"); err == nil {
				peak = max(peak, v)
			}
		}
		peakc <- peak
	}()
	path, want := "/events/"+w.name, w.stream.want
	_, err = readWant(ctx, path, want, false)
	stop()
	peak := <-peakc
	if err != nil {
		return nil, err
	}
	after, err := heapAfterGC(ctx)
	if err != nil {
		return nil, err
	}
	ms := []measure{{"heap peak MiB", (peak - base) / (1 << 20)}, {"heap retained KiB", (after - base) / (1 << 10)}}
	if impl != "polyfill" {
		return ms, nil
	}
	for i := 1; i <= 1+b.p.MemoryRepeats; i++ {
		if i > 1 {
			if _, err := readWant(ctx, path, want, false); err != nil {
				return nil, err
			}
		}
		mem, err := eval[float64](ctx, "bench.wasmMem()")
		if err != nil {
			return nil, err
		}
		if mem < 0 {
			return nil, fmt.Errorf("no wasm memory seen (wasmhook.js caught no instance exporting mem)")
		}
		ms = append(ms, measure{fmt.Sprintf("wasm MiB after stream %d", i), mem / (1 << 20)})
		// What wasm_exec.js holds for Go: a value per event or per stream here would be a leak.
		st, err := eval[struct{ Values float64 }](ctx, "bench.stats()")
		if err != nil {
			return nil, err
		}
		ms = append(ms, measure{fmt.Sprintf("JS values held by Go after stream %d", i), st.Values})
		if i > 1 {
			// What stays after the first stream is partly the page's one-time cost of running
			// the polyfill (compiled code, tables); what grows from stream to stream is a leak.
			heap, err := heapAfterGC(ctx)
			if err != nil {
				return nil, err
			}
			ms = append(ms, measure{fmt.Sprintf("heap retained KiB after stream %d", i), (heap - base) / (1 << 10)})
		}
	}
	st, err := eval[struct{ Sources, Funcs, Goroutines float64 }](ctx, "bench.stats()")
	if err != nil {
		return nil, err
	}
	return append(ms,
		measure{"Go sources after close", st.Sources},
		measure{"Go funcs after close", st.Funcs},
		measure{"goroutines after close", st.Goroutines},
	), nil
}
