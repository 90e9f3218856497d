//go:build unix

package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/browser"
)

// TestDemoInChromium serves the demo and loads it in headless Chromium, in an iframe of a test
// page that posts the demo's DOM back after a few seconds: the clock must have ticked, the feed
// must show a chat message, the flaky stream must have been re-established with
// Last-Event-ID, and the shared stream must count one connection, all through the polyfill.
func TestDemoInChromium(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	browser.RequireBuilt(t, filepath.Join(root, "web"))
	chromium := browser.Chromium.Binary(t)
	done := make(chan struct{})
	doms := browser.NewReports()
	mux := http.NewServeMux()
	mux.Handle("/", newHandler(root, done))
	mux.HandleFunc("GET /test-wrapper", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><iframe src="/" width="1200" height="900"></iframe><script>
			setTimeout(() => fetch("/test-report", {method: "POST",
				body: document.querySelector("iframe").contentDocument.documentElement.outerHTML}), 6000);
		</script>`)
	})
	mux.Handle("POST /test-report", doms)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	defer close(done)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	proc, err := browser.Chromium.Start(chromium, t.TempDir(), srv.URL+"/test-wrapper")
	if err != nil {
		t.Fatal(err)
	}
	defer proc.Stop()
	var dom string
	select {
	case dom = <-doms:
	case <-ctx.Done():
		t.Fatal("the demo page did not report within 60s")
	}
	for _, want := range []struct{ what, re string }{
		{"the polyfill is in use", `<code id="impl">Go/wasm polyfill</code>`},
		{"the clock ticked", `<li class="message">[^<]*tick \d\d:\d\d:\d\d</li>`},
		{"a chat message arrived", `<li class="message">[^<]*#0 ada: Has anyone tried`},
		{"the flaky stream resumed after id 3", `id 4: event 4 \(this connection asked to resume after (&quot;|")3(&quot;|")\)`},
		{"the reconnection was shown", `error: reconnecting`},
		{"the shared stream counted one connection", `<li class="message">[^<]*id \d+: 1 connection\(s\) to /shared</li>`},
	} {
		if !regexp.MustCompile(want.re).MatchString(dom) {
			t.Errorf("%s: the page does not match %s; page:\n%s", want.what, want.re, dom)
		}
	}
}
