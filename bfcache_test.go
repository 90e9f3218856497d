//go:build !js && unix

package eventsource_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/browser"
)

// bfcacheImpls are the EventSources TestBackForwardCache runs: the page's script before its
// source is made, and the constructor's options.
var bfcacheImpls = []struct{ name, script, options string }{
	{"native", "", ""},
	{"polyfill", `<script src="/web/eventsource.js"></script>`, ""},
	{"polyfill-worker", `<script src="/web/eventsource.js"></script>`, ", {worker: true}"},
	{"polyfill-shared", `<script src="/web/eventsource.js"></script>`, ", {shared: true}"},
	{"polyfill-leader", `<script>delete window.SharedWorker;</script><script src="/web/eventsource.js"></script>`, ", {shared: true}"},
}

// bfcachePage is the page that TestBackForwardCache opens: its source gets a tick every 50 ms;
// after three it goes to /away, which goes back 600 ms later. Restored from the back/forward
// cache (pageshow with persisted true), it reports once three more ticks came; loaded again
// instead, it reports at once. The report: {restored, hiddenAt (the last tick before
// pagehide), readyStateAtShow, log (open, error(readyState), the ids of messages, show, in
// order), notRestored (Chromium's reasons)}.
const bfcachePage = `<!doctype html>%s<script>
const report = (r, to = "/report") => fetch(to, { method: "POST", body: JSON.stringify(r) });
if (sessionStorage.getItem("seen")) {
  const nav = performance.getEntriesByType("navigation")[0];
  report({ restored: false, notRestored: nav && nav.notRestoredReasons ? JSON.stringify(nav.notRestoredReasons.reasons) : "" });
} else {
  sessionStorage.setItem("seen", "1");
  const es = new EventSource("/ticks?key=%s&n=100000&every=50&hold=forever"%s);
  const log = [];
  let ticks = 0, hiddenAt = "", restoredAt = -1, rs = -1;
  es.onopen = () => log.push("open");
  es.onerror = () => log.push("error(" + es.readyState + ")");
  es.onmessage = (e) => {
    log.push(e.lastEventId);
    ticks++;
    if (ticks === 3 && restoredAt < 0) location.href = "/away";
    if (restoredAt >= 0 && ticks === restoredAt + 3) report({ restored: true, hiddenAt, readyStateAtShow: rs, log });
  };
  es.addEventListener("open", () => restoredAt >= 0 && report(log, "/progress"));
  addEventListener("pagehide", (e) => { if (e.persisted) hiddenAt = log.filter((l) => /^\d+$/.test(l)).pop() || ""; });
  addEventListener("pageshow", (e) => {
    if (!e.persisted) return;
    rs = es.readyState;
    restoredAt = ticks;
    log.push("show");
    report(log, "/progress");
  });
}
</script>`

// TestBackForwardCache leaves a page with an open source for another and goes back, in each
// browser, with the browser's own EventSource and the polyfill in each of its modes, and
// compares: whether the page is kept in the back/forward cache, and for the polyfill, what
// whatwg/html#12381 says: the connection ends while the page is in the cache, and on its
// restore the source reconnects at once with the last event ID, without an error event
// (readyState CONNECTING, then a second open event); every tick arrives once, in order.
func TestBackForwardCache(t *testing.T) {
	browser.RequireBuilt(t, webDir())
	for _, b := range browser.All {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			bin := b.Binary(t)
			var mu sync.Mutex
			restored := map[string]bool{}
			t.Run("runs", func(t *testing.T) {
				for _, impl := range bfcacheImpls {
					t.Run(impl.name, func(t *testing.T) {
						t.Parallel()
						r := runBFCachePage(t, b, bin, impl.name, impl.script, impl.options)
						mu.Lock()
						restored[impl.name] = r
						mu.Unlock()
					})
				}
			})
			// The polyfill must not keep a page out of the cache that the browser's own keeps
			// in. (Firefox keeps out a page with an open EventSource, or a fetch of its own in
			// progress, but not one whose fetch is its dedicated worker's.)
			for _, impl := range bfcacheImpls[1:] {
				if got, ok := restored[impl.name]; ok && !got && restored["native"] {
					t.Errorf("%s: page not restored from the back/forward cache, as it is with the browser's own EventSource", impl.name)
				}
			}
			t.Logf("kept in the back/forward cache: %v", restored)
		})
	}
}

// runBFCachePage runs bfcachePage once in a fresh browser and checks what it reports and what
// the server saw; it returns whether the page was restored from the back/forward cache.
func runBFCachePage(t *testing.T, b *browser.Browser, bin, name, script, options string) bool {
	reports := browser.NewReports()
	key := fmt.Sprintf("bfcache-%d", time.Now().UnixNano())
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, bfcachePage, script, key, options)
	})
	mux.HandleFunc("GET /away", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><p>away<script>setTimeout(() => history.back(), 600);</script>`)
	})
	mux.Handle("POST /report", reports)
	var progress struct {
		sync.Mutex
		last string
	}
	mux.HandleFunc("POST /progress", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		progress.Lock()
		progress.last = string(b)
		progress.Unlock()
	})
	ts, base := servePages(t, mux)
	proc, err := b.Start(bin, shortTempDir(t), base+"/page")
	if err != nil {
		t.Fatal(err)
	}
	defer proc.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	var got string
	select {
	case got = <-reports:
	case <-ctx.Done():
		progress.Lock()
		defer progress.Unlock()
		t.Fatalf("the page did not report; its log after its restore: %s; the requests: %+v; browser output:\n%s", progress.last, ts.Requests(key), tail(proc.Output(), 2000))
	}
	var rep struct {
		Restored         bool     `json:"restored"`
		HiddenAt         string   `json:"hiddenAt"`
		ReadyStateAtShow int      `json:"readyStateAtShow"`
		Log              []string `json:"log"`
		NotRestored      string   `json:"notRestored"`
	}
	if err := json.Unmarshal([]byte(got), &rep); err != nil {
		t.Fatalf("report %q: %v", got, err)
	}
	reqs := ts.Requests(key)
	conns := connections(reqs)
	t.Logf("restored %v %s; log %v; connections %v", rep.Restored, rep.NotRestored, rep.Log, conns)
	if !rep.Restored {
		// Loaded again: the first page's connection ended when it was unloaded (the second
		// page makes none).
		if len(reqs) != 1 || reqs[0].EndMS == 0 {
			t.Errorf("connections %v, want one that ended", conns)
		}
		return false
	}
	// Every tick once and in order, over the stay in the cache.
	next := 1
	for _, l := range rep.Log {
		if n, err := strconv.Atoi(l); err == nil {
			if n != next {
				t.Errorf("tick %d where %d was next: log %v", n, next, rep.Log)
				break
			}
			next++
		}
	}
	if script == "" {
		return true // the browser's own: what it does is logged above
	}
	// whatwg/html#12381: no error event, readyState CONNECTING on restore, open again.
	if !strings.HasPrefix(strings.Join(rep.Log, ","), "open,1,2,3,") {
		t.Errorf("log %v, want it to begin open, 1, 2, 3", rep.Log)
	}
	for _, l := range rep.Log {
		if strings.HasPrefix(l, "error") {
			t.Errorf("an error event: log %v", rep.Log)
		}
	}
	if i := indexOf(rep.Log, "show"); i < 0 || indexOf(rep.Log[i:], "open") < 0 {
		t.Errorf("no open event after the restore: log %v", rep.Log)
	}
	if rep.ReadyStateAtShow != 0 {
		t.Errorf("readyState at pageshow = %d, want 0 (CONNECTING)", rep.ReadyStateAtShow)
	}
	// The connection ended while the page was in the cache, and the next one resumed from the
	// last event ID.
	if len(reqs) != 2 {
		t.Fatalf("connections %v, want 2", conns)
	}
	// (With the shared worker, the page leaves the connection, which lingers for a next page:
	// see TestSharedAcrossNavigation.)
	if name != "polyfill-shared" && (reqs[0].EndMS == 0 || reqs[0].EndMS > reqs[1].MS) {
		t.Errorf("connections %v: the first did not end before the second began", conns)
	}
	// The reconnection resumes from the last event the page got before the new connection's
	// open: the last before pagehide, or a later one that an engine worker had sent before it
	// heard of the pagehide (the page dispatches it after pagehide, or after its restore). The
	// log has every tick once and in order (checked above).
	last, reopen := "", indexOf(rep.Log, "show")
	if reopen >= 0 {
		reopen += indexOf(rep.Log[reopen:], "open")
	}
	for _, l := range rep.Log[:max(reopen, 0)] {
		if _, err := strconv.Atoi(l); err == nil {
			last = l
		}
	}
	if got := reqs[1].Headers["Last-Event-Id"]; got != last || got == "" {
		t.Errorf("Last-Event-ID of the reconnection = %q, want the last event before its open, %q (the last before pagehide: %q)", got, last, rep.HiddenAt)
	}
	return true
}

// indexOf returns the index of the first s in list, or -1.
func indexOf(list []string, s string) int {
	for i, l := range list {
		if l == s {
			return i
		}
	}
	return -1
}
