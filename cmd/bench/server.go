//go:build unix

package main

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ssewasm/eventsource/internal/ssehttp"
	"github.com/ssewasm/eventsource/internal/webfiles"
)

//go:embed harness.js
var harnessJS string

//go:embed wasmhook.js
var wasmHookJS string

// A server serves the bench pages, the polyfill's files and the event streams on a random
// loopback port.
type server struct {
	url     string // http://127.0.0.1:port
	srv     *http.Server
	streams map[string]*stream // by workload name, at /events/{name}
	timeout time.Duration      // the pages' own timeout
	option  string             // the option the polyfill's sources have (-worker, -shared), if any

	mu   sync.Mutex
	sent map[string]tally // what each /ticks stream sent, by its id

	soak soakState // what /soak/once and /soak/drop saw (see soak.go)

	floor http.Handler // the startup floor's page and files at /floor/ (floorHandler), once built
}

// serveFloor serves the startup floor's page and files, or 404 while there are none.
func (s *server) serveFloor(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.floor
	s.mu.Unlock()
	if h == nil {
		http.NotFound(w, r)
		return
	}
	h.ServeHTTP(w, r)
}

// newServer starts serving dist at /dist/ and streams at /events/{name}.
func newServer(dist string, streams map[string]*stream, timeout time.Duration) (*server, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("bench server: %w", err)
	}
	s := &server{url: "http://" + ln.Addr().String(), streams: streams, timeout: timeout, sent: map[string]tally{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /page", s.page)
	mux.HandleFunc("GET /floor/", s.serveFloor)
	mux.Handle("GET /dist/", http.StripPrefix("/dist/", webfiles.Handler(dist, "no-store", false)))
	// The same files served as the README's "Serving it" says (the shim no-cache, with
	// Last-Modified: a return visit revalidates it, a 304; the wasm and wasm_exec.js, asked for
	// by version, immutable: a return visit takes them from the HTTP cache without asking), for
	// the warm startup, with the wasm's compiled code from V8's cache.
	mux.Handle("GET /cached/", http.StripPrefix("/cached/", webfiles.Handler(dist, "no-cache", true)))
	mux.HandleFunc("GET /events/{name}", s.events)
	mux.HandleFunc("GET /ticks", s.ticks)
	mux.HandleFunc("GET /soak/once", s.soak.once)
	mux.HandleFunc("GET /soak/drop", s.soak.drop)
	mux.HandleFunc("GET /hello", func(w http.ResponseWriter, r *http.Request) {
		rc := ssehttp.StartStream(w)
		w.Write([]byte("data: hello\n\n"))
		rc.Flush()
		<-r.Context().Done()
	})
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	return s, nil
}

// close stops the server and ends every stream.
func (s *server) close() { s.srv.Close() }

// pageConfig is the page's globalThis.benchConfig (see harness.js).
type pageConfig struct {
	Impl      string `json:"impl"`
	Option    string `json:"option"` // the option the polyfill's sources have, if any
	Script    bool   `json:"script"`
	Startup   bool   `json:"startup"`
	TimeoutMs int64  `json:"timeoutMs"`
}

// page serves /page?impl=native|polyfill[&mode=startup|warm|memory|soak]. Every page loads the
// polyfill, except native's startup pages, which would otherwise count the polyfill's load too.
// The warm startup page (mode warm) is the startup page with the polyfill's files from /cached/.
// The memory and soak pages catch the polyfill's wasm memory (wasmhook.js); the soak page also
// runs soak.js.
func (s *server) page(w http.ResponseWriter, r *http.Request) {
	impl, mode := r.FormValue("impl"), r.FormValue("mode")
	if impl != "native" && impl != "polyfill" {
		http.Error(w, "impl must be native or polyfill", http.StatusBadRequest)
		return
	}
	startup := mode == "startup" || mode == "warm"
	cfg := pageConfig{Impl: impl, Script: impl == "polyfill" || !startup, Startup: startup, TimeoutMs: s.timeout.Milliseconds()}
	if impl == "polyfill" {
		cfg.Option = s.option
	}
	j, err := json.Marshal(cfg)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	b.WriteString("<!doctype html><html><head><meta charset=\"utf-8\"><title>cmd/bench</title>\n")
	if mode == "memory" || mode == "soak" {
		b.WriteString("<script>" + wasmHookJS + "</script>\n")
	}
	if cfg.Script {
		dir := "dist"
		if mode == "warm" {
			dir = "cached"
		}
		b.WriteString("<script src=\"/" + dir + "/eventsource.js\"></script>\n")
	}
	fmt.Fprintf(&b, "<script>globalThis.benchConfig = %s;\n%s</script>\n", j, harnessJS)
	if mode == "soak" {
		b.WriteString("<script>" + soakJS + "</script>\n")
	}
	b.WriteString("</head><body></body></html>\n")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(b.String()))
}

// events serves a pre-built stream, then holds the response open until the client leaves, so
// that no implementation sees the stream end (and reconnects) while it is timed.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	st := s.streams[r.PathValue("name")]
	if st == nil {
		http.NotFound(w, r)
		return
	}
	rc := ssehttp.StartStream(w)
	write := st.write
	if write == 0 {
		write = len(st.body)
	}
	for b := st.body; len(b) > 0; {
		k := min(write, len(b))
		if _, err := w.Write(b[:k]); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		b = b[k:]
	}
	<-r.Context().Done()
}

// ticks serves /ticks?id=ID&n=N&every=DURATION: n events, one per period, each carrying its
// send time in Unix ns. What it sent is kept under id for sentTally.
func (s *server) ticks(w http.ResponseWriter, r *http.Request) {
	id := r.FormValue("id")
	n, err := strconv.Atoi(r.FormValue("n"))
	every, err2 := time.ParseDuration(r.FormValue("every"))
	if err != nil || err2 != nil || every <= 0 {
		http.Error(w, "bad n or every", http.StatusBadRequest)
		return
	}
	rc := ssehttp.StartStream(w)
	t := time.NewTicker(every)
	defer t.Stop()
	var sent tally
	for range n {
		select {
		case <-t.C:
		case <-r.Context().Done():
			return
		}
		data := strconv.FormatInt(time.Now().UnixNano(), 10)
		sent.add(data)
		s.mu.Lock()
		s.sent[id] = sent
		s.mu.Unlock()
		if _, err := w.Write([]byte("data: " + data + "\n\n")); err != nil {
			return
		}
		rc.Flush()
	}
	<-r.Context().Done()
}

// sentTally returns what the /ticks stream id sent.
func (s *server) sentTally(id string) tally {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sent[id]
}
