package testserver

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// recordedHeaders lists the request headers a [Request] keeps, by canonical
// name.
var recordedHeaders = []string{
	"Last-Event-Id",
	"Accept",
	"Cache-Control",
	"Pragma",
	"Origin",
	"Cookie",
	"Referer",
	"Access-Control-Request-Method",
	"Access-Control-Request-Headers",
	"Sec-Fetch-Mode",
	"Content-Type",
	"X-Token",
}

// Request is one recorded request, as /log returns it.
type Request struct {
	// Method is the HTTP method, for example GET or OPTIONS.
	Method string `json:"method"`
	// Path is the URL path, for example /sse.
	Path string `json:"path"`
	// Query is the raw (still escaped) query string.
	Query string `json:"query"`
	// Host is the Host header, which tells the two test origins apart.
	Host string `json:"host"`
	// Headers holds those of the recorded headers that the request carried
	// (even when empty), keyed by their canonical names (note Last-Event-Id).
	Headers map[string]string `json:"headers"`
	// Time is when the request arrived.
	Time time.Time `json:"time"`
	// MS is Time as milliseconds since the Server was created.
	MS float64 `json:"ms"`
	// Seq is the index of the sequenced response spec this request got, or
	// -1 for requests that do not count (preflights, redirect hops, no-cors
	// probes, and requests to other endpoints than /sse).
	Seq int `json:"seq"`
	// Hop is true for a request that followed one of the Server's own
	// redirects.
	Hop bool `json:"hop"`
	// Body is the request body (its first 4 KiB).
	Body string `json:"body"`
	// EndMS is when the response of a /ticks request ended (its handler returned: the client
	// went away, or the stream was done), as milliseconds since the Server was created; 0
	// while it goes on, and for other requests.
	EndMS float64 `json:"endMs,omitempty"`
}

// ended records the end of the response of the request that record numbered n under key.
func (s *Server) ended(key string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n < 0 || n >= len(s.logs[key]) {
		return
	}
	s.logs[key][n].EndMS = s.ms(time.Now())
	s.changedLocked()
}

// ms returns t as milliseconds since the Server was created.
func (s *Server) ms(t time.Time) float64 { return float64(t.Sub(s.start).Microseconds()) / 1000 }

// changedLocked wakes the /log requests that wait for a change.
func (s *Server) changedLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Requests returns a copy of the requests recorded under key, oldest first.
func (s *Server) Requests(key string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.logs[key]...)
}

// record stores r under its key parameter, if it has one, and returns the
// index of the sequenced spec it should get (see Request.Seq) and its own
// index among the requests under key (-1 without a key).
func (s *Server) record(r *http.Request) (seq, n int) {
	q := r.URL.Query()
	key := q.Get("key")
	if key == "" {
		return 0, -1
	}
	now := time.Now()
	req := Request{
		Method:  r.Method,
		Path:    r.URL.Path,
		Query:   r.URL.RawQuery,
		Host:    r.Host,
		Headers: make(map[string]string),
		Time:    now,
		MS:      s.ms(now),
		Seq:     -1,
		Hop:     q.Get("hop") == "1",
	}
	if r.Body != nil {
		b, _ := io.ReadAll(io.LimitReader(r.Body, 4<<10))
		req.Body = string(b)
	}
	for _, h := range recordedHeaders {
		if v, ok := r.Header[h]; ok {
			req.Headers[h] = joinValues(v)
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	// A no-cors or same-origin request is the polyfill's probe after a
	// failed first fetch (it tells a CORS failure from a network error): it
	// is answered like the request that failed, and does not advance the
	// sequence. (EventSource requests are in mode cors.)
	mode := r.Header.Get("Sec-Fetch-Mode")
	probe := mode == "no-cors" || mode == "same-origin"
	if r.URL.Path == "/sse" && r.Method != http.MethodOptions && !req.Hop && !probe {
		req.Seq = s.countLocked(key)
	}
	n = len(s.logs[key])
	s.logs[key] = append(s.logs[key], req)
	s.changedLocked()
	switch {
	case probe:
		return max(0, s.countLocked(key)-1), n
	case req.Seq < 0:
		// A preflight or hop is served by the spec the next GET would get.
		return s.countLocked(key), n
	}
	return req.Seq, n
}

// countLocked returns how many requests under key counted for sequencing.
func (s *Server) countLocked(key string) int {
	n := 0
	for _, old := range s.logs[key] {
		if old.Seq >= 0 {
			n++
		}
	}
	return n
}

// joinValues joins repeated header values the way a single header would
// carry them.
func joinValues(v []string) string { return strings.Join(v, ", ") }

// serveLog answers /log?key=K[&min=N&timeout=MS] with the JSON array of the
// requests recorded under K.
func (s *Server) serveLog(w http.ResponseWriter, r *http.Request) {
	allowAnyOrigin(w, r)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	q := r.URL.Query()
	key := q.Get("key")
	if key == "" {
		http.Error(w, "missing key", http.StatusBadRequest)
		return
	}
	want, _ := strconv.Atoi(q.Get("min"))
	timeout := 5000
	if v, err := strconv.Atoi(q.Get("timeout")); err == nil && v >= 0 {
		timeout = v
	}
	if timeout > 30000 {
		timeout = 30000
	}
	deadline := time.NewTimer(time.Duration(timeout) * time.Millisecond)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		reqs := append([]Request{}, s.logs[key]...)
		changed := s.changed
		s.mu.Unlock()
		if len(reqs) >= want {
			writeJSON(w, reqs)
			return
		}
		select {
		case <-changed:
		case <-deadline.C:
			writeJSON(w, reqs)
			return
		case <-r.Context().Done():
			return
		case <-s.done:
			writeJSON(w, reqs)
			return
		}
	}
}

// writeJSON writes v as a JSON response that no cache keeps.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}
