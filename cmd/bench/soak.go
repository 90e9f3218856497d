//go:build unix

package main

// The endurance mode (-soak, make soak): for each implementation, in one page, N connect/close
// cycles, then N server-side connection drops with reconnections, with the JS heap (and for the
// polyfill what its Go side holds) before and after each phase. It reports what it sees; it
// passes or fails nothing.

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/heapprofiler"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ssewasm/eventsource/internal/browser"
)

//go:embed soak.js
var soakJS string

// soakPhases are the phases, in the order each page runs them.
var soakPhases = []string{"cycles", "drops"}

const (
	// soakCycleTimeout bounds one connect/close cycle in the page: a cycle whose message has
	// not come by then is a gap, and the next one starts.
	soakCycleTimeout = 5 * time.Second
	// soakSettle is how long the page idles after a phase before its end figures are taken, so
	// that closed connections and their goroutines have wound down.
	soakSettle = time.Second
	// soakLinger is how long after the end figures the server's responses still open may take
	// to close before they count as lingering.
	soakLinger = 10 * time.Second
	// soakRetryMs is the reconnection time the drop endpoint sets (its retry field).
	soakRetryMs = 1
	// soakRetryPause is how long the drop endpoint waits after sending the retry field alone, to
	// a request without Last-Event-ID, before it sends the event and drops the connection: the
	// field must not be lost with the event (see drop), or the client waits its default
	// reconnection time (3 s) until an event comes through.
	soakRetryPause = 50 * time.Millisecond
)

// soakParams sizes the endurance run.
type soakParams struct {
	N            int           `json:"n"`              // cycles, and drops, per implementation
	PhaseTimeout time.Duration `json:"phaseTimeoutNs"` // of each phase
	CycleTimeout time.Duration `json:"cycleTimeoutNs"`
	Settle       time.Duration `json:"settleNs"`
	Linger       time.Duration `json:"lingerNs"`
	RetryMs      int           `json:"retryMs"`
	RetryPause   time.Duration `json:"retryPauseNs"`
}

// soakReport is what -json writes in -soak mode.
type soakReport struct {
	Chromium string        `json:"chromium"`
	Dist     string        `json:"dist"`
	Started  time.Time     `json:"started"`
	Params   soakParams    `json:"params"`
	Results  []*soakResult `json:"results"`
	Errors   []string      `json:"errors,omitempty"`
}

// A soakResult is one phase of one implementation.
type soakResult struct {
	Phase string `json:"phase"`
	Impl  string `json:"impl"`
	soakPage
	Server soakCount    `json:"server"`
	Start  soakSnapshot `json:"start"`
	End    soakSnapshot `json:"end"`
}

// soakPage is the page's account of a phase (see soak.js).
type soakPage struct {
	N             int     `json:"n"`
	Done          int     `json:"done"`       // cycles done; drops: the last id received
	Events        int     `json:"events"`     // messages received
	Duplicates    int     `json:"duplicates"` // messages received again
	Gaps          int     `json:"gaps"`       // ids never received (drops: skipped)
	Errors        int     `json:"errors"`     // error events
	Wrong         int     `json:"wrong"`      // messages whose data or lastEventId was not their id
	Late          int     `json:"late"`       // cycles: messages after close()
	CycleTimeouts int     `json:"cycleTimeouts"`
	MaxMs         float64 `json:"maxMs"` // the longest cycle, or time from one new event to the next
	Failure       string  `json:"failure"`
	TimedOut      bool    `json:"timedOut"`
	Finished      bool    `json:"finished"`
	Ms            float64 `json:"ms"` // the phase's duration in the page
}

// A soakSnapshot is the page's memory at one moment, after a forced garbage collection.
type soakSnapshot struct {
	JSHeapUsed  float64  `json:"jsHeapUsed"`  // bytes (Runtime.getHeapUsage)
	JSHeapTotal float64  `json:"jsHeapTotal"` // bytes
	Go          *goStats `json:"go,omitempty"`
	WasmMemory  float64  `json:"wasmMemory"` // bytes of the polyfill's linear memory; -1: not seen
}

// goStats is what EventSource[Symbol.for("ssewasm.stats")]() returns.
type goStats struct {
	Sources    float64 `json:"sources"`
	Funcs      float64 `json:"funcs"`
	Goroutines float64 `json:"goroutines"`
	GCs        float64 `json:"gcs"`
	Heap       float64 `json:"heap"`   // bytes of Go heap in use
	Values     float64 `json:"values"` // JS values Go holds
}

// runSoak runs the endurance mode: it starts the server and Chromium, runs both phases for each
// implementation, prints the tables, and writes jsonFile if it is not empty. Only a failure to
// run (no Chromium, a page that cannot load) is an error; what the phases see is reported.
func runSoak(ctx context.Context, bin, dist, jsonFile string, p soakParams, startTimeout time.Duration) error {
	rep := soakReport{Dist: dist, Started: time.Now(), Params: p}
	srv, err := newServer(dist, nil, p.PhaseTimeout)
	if err != nil {
		return err
	}
	defer srv.close()
	if bin == "" {
		if bin = browser.Chromium.Find(); bin == "" {
			return errors.New("chromium not found: install it or give -chromium")
		}
	}
	bctx, version, stopBrowser, err := startChromium(ctx, bin, startTimeout)
	if err != nil {
		return err
	}
	defer stopBrowser()
	rep.Chromium = version
	b := &bench{srv: srv, browser: bctx}
	fmt.Fprintf(os.Stderr, "bench: soak, %s, serving %s on %s, %d cycles and %d drops per implementation\n", version, dist, srv.url, p.N, p.N)

	// Both phases, their snapshots and settling, with room to spare.
	tabTimeout := time.Duration(len(soakPhases)) * (p.PhaseTimeout + time.Minute)
	for _, impl := range impls {
		if ctx.Err() != nil {
			break
		}
		err := inTab(bctx, tabTimeout, func(ctx context.Context) error {
			return b.soak(ctx, impl, p, &rep)
		})
		if err != nil {
			rep.Errors = append(rep.Errors, fmt.Sprintf("%s: %v", impl, err))
			fmt.Fprintf(os.Stderr, "bench: soak of %s FAILED: %v\n", impl, err)
		}
	}

	fmt.Printf("Soak: polyfill (%s) vs native EventSource, %s, %d connect/close cycles and %d server-side drops each\n\n", dist, version, p.N, p.N)
	fmt.Print(soakTable(rep.Results))
	fmt.Printf("\nThe polyfill's Go side (EventSource[Symbol.for(\"ssewasm.stats\")]()) and wasm memory, start → end\n\n")
	fmt.Print(soakGoTable(rep.Results))
	if notes := soakNotes(rep.Results); len(notes) > 0 {
		fmt.Printf("\nNotes:\n\n- %s\n", strings.Join(notes, "\n- "))
	}
	if len(rep.Errors) > 0 {
		fmt.Printf("\nFailures:\n\n- %s\n", strings.Join(rep.Errors, "\n- "))
	}
	if jsonFile != "" {
		data, err := json.MarshalIndent(rep, "", "  ")
		if err == nil {
			err = os.WriteFile(jsonFile, append(data, '\n'), 0o644)
		}
		if err != nil {
			return fmt.Errorf("writing -json: %w", err)
		}
	}
	if len(rep.Errors) > 0 {
		return fmt.Errorf("%d soak runs could not run", len(rep.Errors))
	}
	return ctx.Err()
}

// soak opens impl's soak page in the tab and runs each phase there, adding its results to rep.
func (b *bench) soak(ctx context.Context, impl string, p soakParams, rep *soakReport) error {
	if err := b.open(ctx, impl, "soak"); err != nil {
		return err
	}
	for _, phase := range soakPhases {
		b.ids++
		run := fmt.Sprintf("%s-%s-%d", impl, phase, b.ids)
		r := &soakResult{Phase: phase, Impl: impl}
		var err error
		if r.Start, err = snapshot(ctx, impl); err != nil {
			return fmt.Errorf("%s: start: %w", phase, err)
		}
		if r.soakPage, err = runPhase(ctx, impl, phase, run, p); err != nil {
			return fmt.Errorf("%s: %w", phase, err)
		}
		if err := sleep(ctx, p.Settle); err != nil {
			return err
		}
		if r.End, err = snapshot(ctx, impl); err != nil {
			return fmt.Errorf("%s: end: %w", phase, err)
		}
		r.Server = b.srv.soak.get(run)
		if r.Server.Open > 0 {
			// Chromium drains a cancelled response for a few seconds, to reuse its connection,
			// before it closes it: wait that out, to tell it from a response never let go.
			if r.Server.Lingering, err = b.srv.soak.waitClosed(ctx, run, soakLinger); err != nil {
				return err
			}
		}
		rep.Results = append(rep.Results, r)
		fmt.Fprintf(os.Stderr, "[soak %s] %-8s %d/%d, %d events, %d duplicates, %d gaps, %d connections (%.1fs)\n",
			phase, impl, r.Done, r.N, r.Events, r.Duplicates, r.Gaps, r.Server.Connections, r.Ms/1e3)
	}
	return nil
}

// runPhase starts phase in the page and polls it until it has finished, printing its progress
// every 10 s. Past the phase's time limit (which the page keeps too) it stops the phase.
func runPhase(ctx context.Context, impl, phase, run string, p soakParams) (soakPage, error) {
	args, _ := json.Marshal([]any{phase, run, p.N, p.PhaseTimeout.Milliseconds(), p.CycleTimeout.Milliseconds()})
	if _, err := eval[chromedp.Void](ctx, "soak.start(..."+string(args)+")"); err != nil {
		return soakPage{}, err
	}
	start := time.Now()
	deadline := start.Add(p.PhaseTimeout + 10*time.Second)
	stopped := false
	lastReport := start
	for {
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return soakPage{}, err
		}
		st, err := eval[soakPage](ctx, "soak.state()")
		if err != nil {
			return st, err
		}
		if st.Finished {
			return st, nil
		}
		now := time.Now()
		if now.Sub(lastReport) >= 10*time.Second {
			lastReport = now
			fmt.Fprintf(os.Stderr, "[soak %s] %-8s %d/%d after %.0fs\n", phase, impl, st.Done, st.N, now.Sub(start).Seconds())
		}
		switch {
		case now.After(deadline.Add(10 * time.Second)):
			return st, fmt.Errorf("%w: the page did not end the phase %v after its time limit", errTimeout, now.Sub(deadline))
		case now.After(deadline) && !stopped:
			stopped = true
			if _, err := eval[chromedp.Void](ctx, "soak.stop()"); err != nil {
				return st, err
			}
		}
	}
}

// snapshot returns the page's memory after a forced garbage collection: the JS heap, and for
// the polyfill what its Go side holds and the size of its wasm memory.
func snapshot(ctx context.Context, impl string) (soakSnapshot, error) {
	s := soakSnapshot{WasmMemory: -1}
	for range 2 {
		if _, err := chromedp.Call(ctx, heapprofiler.CollectGarbage, cdp.Empty{}); err != nil {
			return s, fmt.Errorf("HeapProfiler.collectGarbage: %w", err)
		}
	}
	h, err := chromedp.Call(ctx, runtime.GetHeapUsage, cdp.Empty{})
	if err != nil {
		return s, fmt.Errorf("Runtime.getHeapUsage: %w", err)
	}
	s.JSHeapUsed, s.JSHeapTotal = h.UsedSize, h.TotalSize
	if impl != "polyfill" {
		return s, nil
	}
	if s.Go, err = eval[*goStats](ctx, "bench.stats()"); err != nil {
		return s, err
	}
	if s.WasmMemory, err = eval[float64](ctx, "bench.wasmMem()"); err != nil {
		return s, err
	}
	return s, nil
}

// sleep waits for d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// startEnd formats a start → end pair with f.
func startEnd(a, b float64, f func(float64) string) string { return f(a) + " → " + f(b) }

// kib formats bytes in KiB.
func kib(v float64) string { return fmt.Sprintf("%.0f", v/(1<<10)) }

// mib formats bytes in MiB, "-" if negative (unknown).
func mib(v float64) string {
	if v < 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", v/(1<<20))
}

// whole formats a whole number.
func whole(v float64) string { return strconv.FormatFloat(v, 'f', 0, 64) }

// soakTable returns the figures of every phase and implementation as a markdown table.
func soakTable(rs []*soakResult) string {
	var rows [][]string
	for _, r := range rs {
		done := fmt.Sprintf("%d/%d", r.Done, r.N)
		if r.TimedOut {
			done += " (time limit)"
		}
		per := "-"
		if r.Done > 0 {
			per = fmt.Sprintf("%.2f", r.Ms/float64(r.Done))
		}
		rows = append(rows, []string{
			r.Phase, r.Impl, done, fmt.Sprint(r.Events), fmt.Sprint(r.Duplicates), fmt.Sprint(r.Gaps),
			fmt.Sprint(r.Server.Connections), fmt.Sprint(r.Server.Resent), fmt.Sprint(r.Server.PeakOpen), fmt.Sprint(r.Errors),
			fmt.Sprintf("%.1f", r.Ms/1e3), per, fmt.Sprintf("%.0f", r.MaxMs), startEnd(r.Start.JSHeapUsed, r.End.JSHeapUsed, kib),
		})
	}
	return formatTable([]string{"phase", "impl", "done", "events", "duplicates", "gaps", "connections", "resent", "peak open", "error events", "time s", "ms/op", "max ms/op", "JS heap KiB"}, 2, rows)
}

// soakGoTable returns the polyfill's Go-side figures, start → end, as a markdown table.
func soakGoTable(rs []*soakResult) string {
	var rows [][]string
	for _, r := range rs {
		if r.Start.Go == nil || r.End.Go == nil {
			continue
		}
		a, b := r.Start.Go, r.End.Go
		rows = append(rows, []string{
			r.Phase, r.Impl,
			startEnd(a.Sources, b.Sources, whole), startEnd(a.Funcs, b.Funcs, whole),
			startEnd(a.Goroutines, b.Goroutines, whole), startEnd(a.Values, b.Values, whole),
			startEnd(a.Heap, b.Heap, kib), startEnd(a.GCs, b.GCs, whole),
			startEnd(r.Start.WasmMemory, r.End.WasmMemory, mib),
		})
	}
	return formatTable([]string{"phase", "impl", "sources", "funcs", "goroutines", "JS values held", "Go heap KiB", "GCs", "wasm memory MiB"}, 2, rows)
}

// soakNotes returns what the tables do not show: failures, time limits, messages with the
// wrong id, messages after close(), cycles that timed out, and responses still open.
func soakNotes(rs []*soakResult) []string {
	var notes []string
	for _, r := range rs {
		tag := r.Phase + " " + r.Impl + ": "
		if r.Failure != "" {
			notes = append(notes, tag+r.Failure)
		}
		if r.TimedOut {
			notes = append(notes, tag+"stopped at its time limit")
		}
		if r.Wrong > 0 {
			notes = append(notes, fmt.Sprintf("%s%d messages whose data or lastEventId was not their id", tag, r.Wrong))
		}
		if r.Late > 0 {
			notes = append(notes, fmt.Sprintf("%s%d messages after close()", tag, r.Late))
		}
		if r.CycleTimeouts > 0 {
			notes = append(notes, fmt.Sprintf("%s%d cycles got no message within %v", tag, r.CycleTimeouts, soakCycleTimeout))
		}
		if r.Server.Open > 0 {
			notes = append(notes, fmt.Sprintf("%sresponses still open on the server %v after the phase: %d; %v later: %d",
				tag, soakSettle, r.Server.Open, soakLinger, r.Server.Lingering))
		}
		if r.End.Go != nil && r.End.WasmMemory < 0 {
			notes = append(notes, tag+"no wasm memory seen (wasmhook.js caught no instance exporting mem); Go heap from stats only")
		}
	}
	return notes
}
