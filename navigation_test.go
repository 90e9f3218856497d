//go:build !js && unix

package eventsource_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/browser"
)

// navPage is a page of TestSharedAcrossNavigation: a shared source of the clock's ticks; after
// three ticks it reports its events (open, error(readyState), the ids) to /report?page=N and
// goes to the next page, the last to /blank, which has no source.
const navPage = `<!doctype html><script src="/web/eventsource.js"></script><script>
const es = new EventSource("/clock", { shared: true });
const log = [];
let ticks = 0;
es.onopen = () => log.push("open");
es.onerror = () => log.push("error(" + es.readyState + ")");
es.onmessage = (e) => {
  log.push(e.lastEventId);
  if (++ticks !== 3) return;
  fetch("/report?page=%s", { method: "POST", body: JSON.stringify(log) }).then(() => { location.href = %q; });
};
</script>`

// TestSharedAcrossNavigation goes from one page with a shared source to another of the same
// site, then to a page without one. Where the browser keeps the shared worker running after
// its last page goes (extendedLifetime: Chromium), the second page's source joins the first
// one's connection, which lingered; the connection closes once the last page has gone and no
// other came. Elsewhere (Firefox) the second page starts its own. Each page's source opens
// once, with no error.
func TestSharedAcrossNavigation(t *testing.T) {
	browser.RequireBuilt(t, webDir())
	for _, b := range browser.All {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			clock := newTickClock(40 * time.Millisecond)
			defer clock.Close()
			var mu sync.Mutex
			reports := map[string][]string{}
			var blankAt time.Time
			mux := http.NewServeMux()
			mux.HandleFunc("GET /page/{n}", func(w http.ResponseWriter, r *http.Request) {
				next := "/page/2"
				if r.PathValue("n") != "1" {
					next = "/blank"
				}
				fmt.Fprintf(w, navPage, r.PathValue("n"), next)
			})
			mux.HandleFunc("GET /blank", func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				blankAt = time.Now()
				mu.Unlock()
				fmt.Fprint(w, "<!doctype html><p>no source here")
			})
			mux.HandleFunc("POST /report", func(w http.ResponseWriter, r *http.Request) {
				var log []string
				if err := json.NewDecoder(r.Body).Decode(&log); err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				mu.Lock()
				reports[r.URL.Query().Get("page")] = log
				mu.Unlock()
			})
			mux.Handle("/clock", clock)
			_, base := servePages(t, mux)
			proc, err := b.Start(b.Binary(t), shortTempDir(t), base+"/page/1")
			if err != nil {
				t.Fatal(err)
			}
			defer proc.Stop()
			ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
			defer cancel()
			for {
				mu.Lock()
				done := !blankAt.IsZero() && len(reports) == 2
				mu.Unlock()
				if done {
					break
				}
				if ctx.Err() != nil {
					t.Fatalf("the pages did not both report: %v; connections %s", reports, connections(clock.Requests()))
				}
				time.Sleep(20 * time.Millisecond)
			}
			mu.Lock()
			for page, log := range reports {
				if len(log) != 4 || log[0] != "open" || strings.Contains(strings.Join(log, ","), "error") {
					t.Errorf("page %s: events %v, want open and 3 ticks", page, log)
				}
			}
			gone := blankAt
			mu.Unlock()
			reqs := clock.Requests()
			if b != browser.Chromium {
				t.Logf("connections %s (the shared worker ends with its last page)", connections(reqs))
				return
			}
			if len(reqs) != 1 {
				t.Fatalf("connections %s, want 1: the second page's source joins the first one's", connections(reqs))
			}
			// The connection closes once no page came for a while.
			for reqs[0].EndMS == 0 && ctx.Err() == nil {
				time.Sleep(50 * time.Millisecond)
				reqs = clock.Requests()
			}
			if reqs[0].EndMS == 0 {
				t.Fatal("the connection did not close after the last page went")
			}
			t.Logf("connections %s; closed %v after the last page went", connections(reqs), time.Duration((reqs[0].EndMS-clock.ms(gone))*1e6).Round(time.Millisecond))
		})
	}
}
