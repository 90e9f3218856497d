//go:build !js && unix

package eventsource_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/browser"
	"github.com/ssewasm/eventsource/internal/testserver"
)

// tabPage is a tab of the tests below: the polyfill (after head, a script: with
// noSharedWorker, the pages elect a leader), one shared source of the clock's ticks, and its
// events posted to /events as they come: "open", "error(readyState)", the tick's id, or "~" and
// the type of a life cycle event of the page.
const tabPage = `<!doctype html>%s<script src="/web/eventsource.js"></script><script>
const es = new EventSource("/clock", { shared: true });
let seq = 0; // the posts may arrive out of order: the server puts them back in it
const post = (ev) => fetch("/events?tab=%s&seq=" + seq++ + "&ev=" + ev, { method: "POST" });
es.onopen = () => post("open");
es.onerror = () => post("error(" + es.readyState + ")");
es.onmessage = (e) => post(e.lastEventId);
for (const type of ["resume", "visibilitychange"]) // (a post from the freeze event would not go out)
  document.addEventListener(type, () => post("~" + type));
</script>`

// noSharedWorker is a head script for tabPage: the polyfill finds no SharedWorker.
const noSharedWorker = "<script>delete window.SharedWorker;</script>"

// tabs runs tabs of tabPage in one Chromium, whose DevTools it holds, against a tick clock, and
// keeps what each tab's source fires.
type tabs struct {
	t       *testing.T
	ctx     context.Context
	base    string
	clock   *tickClock
	dt      *browser.DevTools
	mu      sync.Mutex
	events  map[string][]string // by tab name, in the order the tab posted them ("" not yet come)
	arrived map[string][]time.Time
}

// startTabs starts Chromium on a first tab named first, each of whose tabs loads tabPage after
// head; it stops at the test's end, or after timeout.
func startTabs(t *testing.T, head, first string, timeout time.Duration) *tabs {
	t.Helper()
	browser.RequireBuilt(t, webDir())
	bin := browser.Chromium.Binary(t)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	t.Cleanup(cancel)
	tb := &tabs{t: t, ctx: ctx, clock: newTickClock(40 * time.Millisecond), events: map[string][]string{}, arrived: map[string][]time.Time{}}
	t.Cleanup(tb.clock.Close)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /tab", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, tabPage, head, r.URL.Query().Get("name"))
	})
	mux.HandleFunc("POST /events", tb.record)
	mux.Handle("/clock", tb.clock)
	_, tb.base = servePages(t, mux)
	proc, dt, err := browser.Chromium.StartDevTools(bin, shortTempDir(t), tb.base+"/tab?name="+first)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		dt.Close()
		proc.Stop()
	})
	tb.dt = dt
	return tb
}

// record keeps a post of a tab's.
func (tb *tabs) record(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	tb.mu.Lock()
	defer tb.mu.Unlock()
	q := r.URL.Query()
	tab := q.Get("tab")
	seq, err := strconv.Atoi(q.Get("seq"))
	if err != nil || seq < 0 || seq > 1e6 {
		http.Error(w, "bad seq", http.StatusBadRequest)
		return
	}
	for len(tb.events[tab]) <= seq {
		tb.events[tab] = append(tb.events[tab], "")
		tb.arrived[tab] = append(tb.arrived[tab], time.Time{})
	}
	tb.events[tab][seq] = q.Get("ev")
	tb.arrived[tab][seq] = time.Now()
}

// open opens another tab, named name.
func (tb *tabs) open(name string) {
	tb.t.Helper()
	if err := tb.dt.Call(tb.ctx, "", "Target.createTarget", map[string]any{"url": tb.base + "/tab?name=" + name}, nil); err != nil {
		tb.t.Fatal(err)
	}
}

// ticks returns how many ticks tab's source has had.
func (tb *tabs) ticks(tab string) int {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	n := 0
	for _, e := range tb.events[tab] {
		if _, err := strconv.Atoi(e); err == nil {
			n++
		}
	}
	return n
}

// waitFor waits until cond holds, failing the test at the timeout.
func (tb *tabs) waitFor(what string, cond func() bool) {
	tb.t.Helper()
	for !cond() {
		if tb.ctx.Err() != nil {
			tb.mu.Lock()
			defer tb.mu.Unlock()
			tb.t.Fatalf("timed out waiting for %s; events %s; connections %s", what, summary(tb.events), connections(tb.clock.Requests()))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// check waits until every post has come, and checks that every tab's source opened once, had
// no error, and every tick from its first once and in order.
func (tb *tabs) check() {
	tb.t.Helper()
	tb.waitFor("every post", func() bool {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, evs := range tb.events {
			if slices.Contains(evs, "") {
				return false
			}
		}
		return true
	})
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for tab, evs := range tb.events {
		var opens, errs int
		next := 0
		for _, e := range evs {
			switch n, err := strconv.Atoi(e); {
			case strings.HasPrefix(e, "~"): // the page's life cycle
			case e == "open":
				opens++
			case err != nil:
				errs++
			case next != 0 && n != next:
				tb.t.Errorf("tab %s: tick %d where %d was next: %v", tab, n, next, evs)
			default:
				next = n + 1
			}
		}
		if opens != 1 || errs != 0 {
			tb.t.Errorf("tab %s: %d open and %d error events, want 1 and 0: %v", tab, opens, errs, evs)
		}
	}
}

// TestTabsShareOneConnection opens ten tabs with a shared source, with the shared worker and
// with the leader fallback: the server sees one connection; every tab gets every tick from its
// first once, in order, with one open event and no error.
func TestTabsShareOneConnection(t *testing.T) {
	for _, mode := range []struct{ name, head string }{{"shared-worker", ""}, {"leader", noSharedWorker}} {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			tb := startTabs(t, mode.head, "0", 60*time.Second)
			tb.waitFor("tab 0's ticks", func() bool { return tb.ticks("0") >= 3 })
			for i := 1; i < 10; i++ {
				tb.open(strconv.Itoa(i))
			}
			for i := range 10 {
				tb.waitFor("ticks in tab "+strconv.Itoa(i), func() bool { return tb.ticks(strconv.Itoa(i)) >= 10 })
			}
			tb.check()
			if reqs := tb.clock.Requests(); len(reqs) != 1 {
				t.Errorf("connections %s, want 1", connections(reqs))
			}
			tb.mu.Lock()
			defer tb.mu.Unlock()
			t.Logf("events %s", summary(tb.events))
		})
	}
}

// TestLeaderFrozenByDevTools freezes the leader page of the shared sources' fallback (no
// SharedWorker) with DevTools' Page.setWebLifecycleState, as Chromium freezes a background
// tab: it steps down as it freezes (its freeze event), another page leads on a connection that
// resumes from the last event ID, and once the frozen page resumes it catches up and rejoins
// the others. Every tab gets every tick once, in order, with one open event and no error.
func TestLeaderFrozenByDevTools(t *testing.T) {
	t.Parallel()
	tb := startTabs(t, noSharedWorker, "A", 60*time.Second)
	ctx, dt, clock := tb.ctx, tb.dt, tb.clock
	tb.waitFor("tab A's ticks", func() bool { return tb.ticks("A") >= 3 })
	tb.open("B")
	tb.open("C")
	tb.waitFor("tabs B and C's ticks", func() bool { return tb.ticks("B") >= 3 && tb.ticks("C") >= 3 })

	// Tab A, the first, leads.
	var targets struct {
		TargetInfos []struct {
			TargetID string `json:"targetId"`
			Type     string `json:"type"`
			URL      string `json:"url"`
		} `json:"targetInfos"`
	}
	if err := dt.Call(ctx, "", "Target.getTargets", nil, &targets); err != nil {
		t.Fatal(err)
	}
	var a string
	for _, ti := range targets.TargetInfos {
		if ti.Type == "page" && strings.HasSuffix(ti.URL, "name=A") {
			a = ti.TargetID
		}
	}
	if a == "" {
		t.Fatalf("no target for tab A among %+v", targets.TargetInfos)
	}
	var attached struct {
		SessionID string `json:"sessionId"`
	}
	if err := dt.Call(ctx, "", "Target.attachToTarget", map[string]any{"targetId": a, "flatten": true}, &attached); err != nil {
		t.Fatal(err)
	}
	var leads struct {
		Result struct {
			Value bool `json:"value"`
		} `json:"result"`
	}
	if err := dt.Call(ctx, attached.SessionID, "Runtime.evaluate", map[string]any{"expression": `EventSource[Symbol.for("ssewasm.leader")].leading()`, "returnByValue": true}, &leads); err != nil {
		t.Fatal(err)
	}
	if !leads.Result.Value {
		t.Fatal("tab A, the first, does not lead")
	}

	frozenAt := time.Now()
	before, atA := tb.ticks("B"), tb.ticks("A")
	if err := dt.Call(ctx, attached.SessionID, "Page.setWebLifecycleState", map[string]any{"state": "frozen"}, nil); err != nil {
		t.Fatal(err)
	}
	tb.waitFor("ticks in tab B after the freeze", func() bool { return tb.ticks("B") >= before+25 })
	if n := tb.ticks("A"); n > atA+2 {
		t.Errorf("tab A got %d ticks while frozen (had %d)", n, atA)
	}
	if err := dt.Call(ctx, attached.SessionID, "Page.setWebLifecycleState", map[string]any{"state": "active"}, nil); err != nil {
		t.Fatal(err)
	}
	last := tb.ticks("B")
	tb.waitFor("tab A to catch up", func() bool { return tb.ticks("A") >= last+5 })
	tb.waitFor("the catch-up connection to close", func() bool {
		reqs := clock.Requests()
		return len(reqs) >= 3 && reqs[len(reqs)-1].EndMS != 0
	})
	tb.check()

	// Connections: A's (closed as A froze), the new leader's from the last event ID, A's
	// catch-up (closed once level with the leader's).
	reqs := clock.Requests()
	desc := connections(reqs)
	if len(reqs) != 3 {
		t.Fatalf("connections %v, want 3", desc)
	}
	if reqs[0].EndMS == 0 || reqs[1].Headers["Last-Event-Id"] == "" {
		t.Errorf("connections %v: the first must end, the second resume from a last event ID", desc)
	}
	// A stepped down as it froze: its connection ended before the next leader's began (a
	// leader that did not would hold it until it resumed, its lock stolen meanwhile).
	if reqs[0].EndMS > reqs[1].MS {
		t.Errorf("connections %v: the frozen leader's ended after the next one began", desc)
	}
	// The failover: the longest wait for a tick in tab B from the freeze on (ticks every 40 ms).
	tb.mu.Lock()
	defer tb.mu.Unlock()
	var gap time.Duration
	var prev time.Time
	for i, at := range tb.arrived["B"] {
		if _, err := strconv.Atoi(tb.events["B"][i]); err != nil {
			continue
		}
		if at.After(frozenAt) && !prev.IsZero() {
			gap = max(gap, at.Sub(prev))
		}
		prev = at
	}
	t.Logf("connections %v; longest gap between ticks in tab B after the freeze: %v", desc, gap.Round(time.Millisecond))
	t.Logf("events %s", summary(tb.events))
}

// tickClock serves an event stream of ticks numbered by the clock: tick k is due k periods
// after the clock started, whoever listens. A request with a Last-Event-ID gets the ticks
// since then at once, then each as it comes due, as a server that keeps its events does; so a
// connection that resumes from behind catches up. It logs its requests as testserver does.
type tickClock struct {
	start  time.Time
	period time.Duration
	done   chan struct{}
	mu     sync.Mutex
	reqs   []testserver.Request
}

func newTickClock(period time.Duration) *tickClock {
	return &tickClock{start: time.Now(), period: period, done: make(chan struct{})}
}

func (c *tickClock) ms(t time.Time) float64 { return float64(t.Sub(c.start).Microseconds()) / 1000 }

// Close ends the streams.
func (c *tickClock) Close() { close(c.done) }

// Requests returns the requests so far, each with Last-Event-Id and, once its response has
// ended, EndMS.
func (c *tickClock) Requests() []testserver.Request {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]testserver.Request(nil), c.reqs...)
}

func (c *tickClock) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	n := len(c.reqs)
	c.reqs = append(c.reqs, testserver.Request{Method: r.Method, Path: r.URL.Path, Headers: map[string]string{"Last-Event-Id": r.Header.Get("Last-Event-ID")}, MS: c.ms(time.Now())})
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.reqs[n].EndMS = c.ms(time.Now())
		c.mu.Unlock()
	}()
	next, _ := strconv.Atoi(r.Header.Get("Last-Event-ID"))
	next++
	if next == 1 {
		next = int(time.Since(c.start)/c.period) + 1 // a new listener: from now on
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	for {
		due := c.start.Add(time.Duration(next) * c.period)
		if wait := time.Until(due); wait > 0 {
			select {
			case <-time.After(wait):
			case <-r.Context().Done():
				return
			case <-c.done:
				return
			}
		}
		if _, err := fmt.Fprintf(w, "id: %d\ndata: tick %d\n\n", next, next); err != nil {
			return
		}
		if time.Until(c.start.Add(time.Duration(next+1)*c.period)) > 0 {
			if rc.Flush() != nil {
				return
			}
		}
		next++
	}
}

// connections describes the requests the test server logged for the ticks.
func connections(reqs []testserver.Request) string {
	var desc []string
	for _, r := range reqs {
		desc = append(desc, fmt.Sprintf("{Last-Event-ID %q at %.0f ms, ended at %.0f}", r.Headers["Last-Event-Id"], r.MS, r.EndMS))
	}
	return strings.Join(desc, " ")
}

// summary describes each tab's events: those that are not ticks, and runs of ticks as ranges.
func summary(events map[string][]string) string {
	var out []string
	for tab, evs := range events {
		var parts []string
		from, prev := -1, -1
		flush := func() {
			if from >= 0 {
				parts = append(parts, fmt.Sprintf("%d-%d", from, prev))
			}
			from = -1
		}
		for _, e := range evs {
			n, err := strconv.Atoi(e)
			switch {
			case err != nil:
				flush()
				parts = append(parts, e)
			case from >= 0 && n == prev+1:
				prev = n
			default:
				flush()
				from, prev = n, n
			}
		}
		flush()
		out = append(out, tab+": "+strings.Join(parts, " "))
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}
