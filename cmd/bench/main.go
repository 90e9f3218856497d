//go:build unix

// Command bench measures the polyfill against the browser's own EventSource in headless
// Chromium (make bench): throughput of small and 1 KiB events, big events, a stream cut into
// 7-byte flushes, latency, startup, memory, and the size of the files it ships. The files are
// served as a site would serve them, brotli-compressed (internal/webfiles); on loopback that
// makes the wasm arrive later than it would uncompressed. The polyfill's startup is also split
// at the wasm's arrival.
//
// Each workload runs -reps times per implementation, interleaved (native, polyfill, native,
// ...), each run in a fresh tab. Every run checks that exactly the events sent arrived, or it
// fails, and then bench exits with status 1. Progress goes to stderr; the medians, and their
// ratios polyfill/native, go to stdout as a markdown table; -json writes every sample.
//
// With -soak (make soak) it runs an endurance test instead (soak.go): for each implementation,
// in one page, -soak-n connect/close cycles and as many server-side connection drops with
// reconnections, each phase within -soak-timeout; it reports the events received, duplicates,
// gaps, connections and the memory before and after each phase, and fails nothing.
//
// Usage:
//
//	go run ./cmd/bench -dist web [-quick] [-reps N] [-only REGEX] [-json FILE]
//	go run ./cmd/bench -dist web -soak [-soak-n N] [-soak-timeout D] [-json FILE]
//	go run ./cmd/bench -packages
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/ssewasm/eventsource/internal/browser"
)

// params sizes the workloads.
type params struct {
	Reps          int           `json:"reps"`
	Timeout       time.Duration `json:"timeoutNs"`     // of each run
	SmallEvents   int           `json:"smallEvents"`   // tp-64's, of 64 B
	LargeEvents   int           `json:"largeEvents"`   // tp-1k's, of 1 KiB
	BigMiB        []int         `json:"bigMiB"`        // sizes of the big events
	ChunkedEvents int           `json:"chunkedEvents"` // of 64 B, written ChunkWrite bytes per flush
	ChunkWrite    int           `json:"chunkWrite"`
	LatencyEvents int           `json:"latencyEvents"` // one per LatencyEvery
	LatencyEvery  time.Duration `json:"latencyEveryNs"`
	MemoryEvents  int           `json:"memoryEvents"`  // of 64 B
	MemoryRepeats int           `json:"memoryRepeats"` // streams after the first, in the same page
	// Option is the option the polyfill's sources get ("worker" or "shared", or none): the
	// engine runs in a dedicated or a shared worker, and the CPU figures are the page's main
	// thread's (the memory ones the page's).
	Option string `json:"option,omitempty"`
}

var (
	fullParams = params{
		Reps: 5, SmallEvents: 100_000, LargeEvents: 10_000, BigMiB: []int{8, 32},
		ChunkedEvents: 10_000, ChunkWrite: 7,
		LatencyEvents: 200, LatencyEvery: 20 * time.Millisecond,
		MemoryEvents: 100_000, MemoryRepeats: 3,
	}
	quickParams = params{
		Reps: 3, SmallEvents: 30_000, LargeEvents: 3_000, BigMiB: []int{2, 8},
		ChunkedEvents: 3_000, ChunkWrite: 7,
		LatencyEvents: 50, LatencyEvery: 20 * time.Millisecond,
		MemoryEvents: 30_000, MemoryRepeats: 3,
	}
)

// bench is one benchmark run.
type bench struct {
	p       params
	srv     *server
	browser context.Context // the browser's chromedp context
	ids     int             // the last /ticks stream id
	floor   bool            // the startup floor is built (floor.go)
}

// report is what -json writes.
type report struct {
	Chromium string     `json:"chromium"`
	Dist     string     `json:"dist"`
	Started  time.Time  `json:"started"`
	Params   params     `json:"params"`
	Results  *results   `json:"results"`
	Sizes    []fileSize `json:"sizes,omitempty"`
	// FloorSize is that of the startup floor's wasm, built as the polyfill's is.
	FloorSize *fileSize `json:"floorSize,omitempty"`
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run() error {
	dist := flag.String("dist", "web", "the built polyfill: eventsource.js and what it loads")
	reps := flag.Int("reps", 0, "repetitions per workload and implementation (default 5, 3 with -quick)")
	quick := flag.Bool("quick", false, "smaller workloads and 3 repetitions")
	only := flag.String("only", "", "run only the workloads whose name matches this regexp (sizes is one)")
	jsonFile := flag.String("json", "", "write every sample, the medians and the parameters to this file")
	chromium := flag.String("chromium", "", "Chromium's binary (default $CHROMIUM or /usr/bin/chromium)")
	timeout := flag.Duration("timeout", 60*time.Second, "time limit of each run")
	soak := flag.Bool("soak", false, "run the endurance test (connect/close cycles and server-side drops) instead")
	soakN := flag.Int("soak-n", 2000, "with -soak: cycles, and drops, per implementation")
	soakTimeout := flag.Duration("soak-timeout", 5*time.Minute, "with -soak: time limit of each phase")
	worker := flag.Bool("worker", false, "give the polyfill's sources the worker option (its CPU figures are then the page's main thread's)")
	shared := flag.Bool("shared", false, "give the polyfill's sources the shared option (its CPU figures are then the page's main thread's)")
	packages := flag.Bool("packages", false, "print the function bodies of the polyfill's Go side and of the startup floor by package instead (unstripped builds)")
	flag.Parse()
	if *packages {
		table, err := packageTable(context.Background(), 30)
		if err != nil {
			return err
		}
		fmt.Printf("Function bodies by package (bytes, unstripped, before wasm-opt): the polyfill's Go side (./wasm) and the startup floor (cmd/bench/floor)\n\n%s", table)
		return nil
	}

	p := fullParams
	if *quick {
		p = quickParams
	}
	if *reps > 0 {
		p.Reps = *reps
	}
	p.Timeout = *timeout
	switch {
	case *worker && *shared:
		return errors.New("-worker and -shared: give one")
	case *worker:
		p.Option = "worker"
	case *shared:
		p.Option = "shared"
	}
	onlyRe, err := regexp.Compile(*only)
	if err != nil {
		return fmt.Errorf("-only: %w", err)
	}
	if _, err := os.Stat(filepath.Join(*dist, "eventsource.js")); err != nil {
		return fmt.Errorf("-dist: %w (run make build)", err)
	}
	if *soak {
		if *soakN < 1 || *soakTimeout <= 0 {
			return errors.New("-soak-n and -soak-timeout must be positive")
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
		defer stop()
		sp := soakParams{
			N: *soakN, PhaseTimeout: *soakTimeout, CycleTimeout: soakCycleTimeout, Settle: soakSettle,
			Linger: soakLinger, RetryMs: soakRetryMs, RetryPause: soakRetryPause,
		}
		return runSoak(ctx, *chromium, *dist, *jsonFile, sp, *timeout)
	}

	var ws []*workload
	streams := map[string]*stream{"warmup": manyEvents(1000, 64, 0)}
	for _, w := range workloads(p) {
		if onlyRe.MatchString(w.name) {
			if w.newStream != nil {
				w.stream = w.newStream()
				streams[w.name] = w.stream
			}
			ws = append(ws, w)
		}
	}
	rep := report{Dist: *dist, Started: time.Now(), Params: p, Results: &results{}}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	// The startup floor (floor.go), for the startup rows and beside the sizes.
	sizes := onlyRe.MatchString("sizes")
	floor := ""
	if sizes || slices.ContainsFunc(ws, func(w *workload) bool { return w.name == "startup" || w.name == "startup-warm" }) {
		dir, err := os.MkdirTemp("", "bench-floor")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		if size, err := buildFloor(ctx, dir); err != nil {
			fmt.Fprintf(os.Stderr, "bench: no startup floor: %v\n", err)
		} else {
			floor = dir
			fmt.Fprintf(os.Stderr, "bench: startup floor (cmd/bench/floor): %d bytes of wasm\n", size)
		}
	}
	if sizes {
		if rep.Sizes, err = distSizes(*dist); err != nil {
			return err
		}
		if floor != "" {
			if rep.FloorSize, err = sizeOf(filepath.Join(floor, "floor.wasm")); err != nil {
				return err
			}
		}
	}
	if len(ws) > 0 {
		if rep.Chromium, err = runWorkloads(ctx, *chromium, *dist, floor, p, ws, rep.Results, streams); err != nil {
			return err
		}
	}
	rep.Results.finish(p.BigMiB)

	mode := ""
	if p.Option != "" {
		mode = " with the " + p.Option + " option (CPU: the page's main thread)"
	}
	fmt.Printf("Polyfill (%s)%s vs native EventSource, %s, median of %d, ratio = polyfill/native\n\n", *dist, mode, rep.Chromium, p.Reps)
	fmt.Print(rep.Results.table())
	if rep.Sizes != nil {
		fmt.Printf("\nSizes of %s (bytes)\n\n%s", *dist, sizesTable(rep.Sizes))
		if f := rep.FloorSize; f != nil {
			fmt.Printf("\nThe startup floor (cmd/bench/floor), built alike: floor.wasm %d raw, %d gzip, %d brotli\n", f.Raw, f.Gzip, f.Brotli)
		}
	}
	if *jsonFile != "" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			err = os.WriteFile(*jsonFile, append(data, '\n'), 0o644)
		}
		if err != nil {
			return fmt.Errorf("writing -json: %w", err)
		}
	}
	if n := len(rep.Results.Errors); n > 0 {
		fmt.Printf("\nFailures:\n\n- %s\n", strings.Join(rep.Results.Errors, "\n- "))
		return fmt.Errorf("%d runs failed", n)
	}
	return ctx.Err()
}

// runWorkloads starts the server and Chromium, and runs the workloads into res, with the
// startup floor built into the directory floor, if not "". It returns Chromium's version.
func runWorkloads(ctx context.Context, bin, dist, floor string, p params, ws []*workload, res *results, streams map[string]*stream) (string, error) {
	srv, err := newServer(dist, streams, p.Timeout*4/5)
	if err != nil {
		return "", err
	}
	defer srv.close()
	srv.option = p.Option
	if bin == "" {
		if bin = browser.Chromium.Find(); bin == "" {
			return "", errors.New("chromium not found: install it or give -chromium")
		}
	}
	bctx, version, stopBrowser, err := startChromium(ctx, bin, p.Timeout)
	if err != nil {
		return "", err
	}
	defer stopBrowser()
	b := &bench{p: p, srv: srv, browser: bctx}
	if floor != "" {
		h, err := floorHandler(floor, dist)
		if err != nil {
			return version, err
		}
		srv.mu.Lock()
		srv.floor = h
		srv.mu.Unlock()
		b.floor = true
	}
	fmt.Fprintf(os.Stderr, "bench: %s, serving %s on %s, %d reps\n", version, dist, srv.url, p.Reps)

	for _, impl := range impls {
		err := inTab(bctx, p.Timeout, func(ctx context.Context) error {
			if err := b.open(ctx, impl, ""); err != nil {
				return err
			}
			_, err := readWant(ctx, "/events/warmup", streams["warmup"].want, false)
			return err
		})
		if err != nil {
			return version, fmt.Errorf("warm-up of %s: %w", impl, err)
		}
	}
	for _, w := range ws {
		failures := map[string]int{}
		for rep := 1; rep <= p.Reps; rep++ {
			for _, impl := range impls {
				if ctx.Err() != nil {
					return version, ctx.Err()
				}
				if failures[impl] >= 2 {
					continue
				}
				start := time.Now()
				var ms []measure
				err := inTab(bctx, p.Timeout, func(ctx context.Context) error {
					var err error
					ms, err = w.run(ctx, b, w, impl)
					return err
				})
				tag := fmt.Sprintf("[%s %d/%d] %-8s", w.name, rep, p.Reps, impl)
				if err != nil {
					failures[impl]++
					if errors.Is(err, errTimeout) {
						failures[impl] = 2 // skip its other reps: they would time out too
					}
					res.Errors = append(res.Errors, fmt.Sprintf("%s %s (rep %d): %v", w.name, impl, rep, err))
					fmt.Fprintf(os.Stderr, "%s FAILED: %v\n", tag, err)
					continue
				}
				res.add(w.name, impl, ms)
				var parts []string
				for _, m := range ms {
					parts = append(parts, m.metric+" "+formatValue(m.value, true))
				}
				fmt.Fprintf(os.Stderr, "%s %s (%.1fs)\n", tag, strings.Join(parts, ", "), time.Since(start).Seconds())
			}
		}
	}
	return version, nil
}
