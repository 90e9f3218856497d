package main

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ssewasm/eventsource/internal/ssehttp"
	"github.com/ssewasm/eventsource/internal/webfiles"
)

// newHandler serves the demo page, the polyfill's files and the demo streams. Streams end when
// done is closed, so that the server can shut down.
func newHandler(root string, done <-chan struct{}) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		http.ServeFile(w, r, filepath.Join(root, "index.html"))
	})
	mux.Handle("GET /web/", http.StripPrefix("/web/", webfiles.Handler(filepath.Join(root, "web"), "no-cache", true)))
	mux.HandleFunc("GET /clock", func(w http.ResponseWriter, r *http.Request) { clock(w, r, done) })
	mux.HandleFunc("GET /feed", func(w http.ResponseWriter, r *http.Request) { feed(w, r, done) })
	mux.HandleFunc("GET /flaky", func(w http.ResponseWriter, r *http.Request) { flaky(w, r, done) })
	var connections atomic.Int64
	mux.HandleFunc("GET /shared", func(w http.ResponseWriter, r *http.Request) { shared(w, r, done, &connections) })
	return mux
}

// shared counts up from the request's Last-Event-ID every second, with the number of
// connections to /shared open at the time: the sources of every tab with the shared option
// share one.
func shared(w http.ResponseWriter, r *http.Request, done <-chan struct{}, connections *atomic.Int64) {
	connections.Add(1)
	defer connections.Add(-1)
	n, _ := strconv.Atoi(r.Header.Get("Last-Event-ID"))
	rc := ssehttp.StartStream(w)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		n++
		fmt.Fprintf(w, "id: %d\ndata: {\"connections\":%d}\n\n", n, connections.Load())
		rc.Flush()
		if !wait(r, done, t.C) {
			return
		}
	}
}

// clock sends the server's time every second.
func clock(w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
	rc := ssehttp.StartStream(w)
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		fmt.Fprintf(w, "event: tick\ndata: %s\n\n", time.Now().Format("15:04:05"))
		rc.Flush()
		if !wait(r, done, t.C) {
			return
		}
	}
}

// feed sends a chat-like log: multi-line messages, JSON, comments as keep-alives.
func feed(w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
	lines := []struct{ who, text string }{
		{"ada", "Has anyone tried the wasm EventSource?"},
		{"grace", "Yes: one script tag,\nand multi-line data arrives joined with LF."},
		{"linus", "Does it reconnect?"},
		{"grace", "Watch the third panel: the server drops it every few events."},
		{"ada", "Ünïcödé and emoji 🎉 survive too."},
	}
	rc := ssehttp.StartStream(w)
	for i := 0; ; i++ {
		l := lines[i%len(lines)]
		fmt.Fprintf(w, ": keep-alive\nevent: chat\nid: %d\n", i)
		for _, line := range strings.Split(fmt.Sprintf(`{"who":%q,"text":%q}`, l.who, l.text), "\n") {
			fmt.Fprintf(w, "data: %s\n", line)
		}
		fmt.Fprint(w, "\n")
		rc.Flush()
		if !wait(r, done, time.After(1500*time.Millisecond)) {
			return
		}
	}
}

// flaky counts up from the request's Last-Event-ID, sends three events and then drops the
// connection, with retry: 2000: the client reconnects and resumes where it stopped.
func flaky(w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
	n, _ := strconv.Atoi(r.Header.Get("Last-Event-ID"))
	rc := ssehttp.StartStream(w)
	fmt.Fprintf(w, "retry: 2000\n\n")
	for i := 1; i <= 3; i++ {
		n++
		fmt.Fprintf(w, "id: %d\ndata: event %d (this connection asked to resume after %q)\n\n", n, n, r.Header.Get("Last-Event-ID"))
		rc.Flush()
		if !wait(r, done, time.After(700*time.Millisecond)) {
			return
		}
	}
}

// wait waits for next, and reports false if the client went away or the server is stopping
// first.
func wait(r *http.Request, done <-chan struct{}, next <-chan time.Time) bool {
	select {
	case <-next:
		return true
	case <-r.Context().Done():
		return false
	case <-done:
		return false
	}
}
