package testserver

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// Server is an http.Handler serving the SSE test endpoints, the request log
// and any mounted static directories. Create it with [New]; the zero value
// is not usable.
type Server struct {
	start time.Time
	done  chan struct{} // closed by Close

	closeOnce sync.Once

	mu      sync.Mutex
	logs    map[string][]Request // recorded requests per key
	changed chan struct{}        // closed and replaced whenever logs change
	mounts  []mount
}

// mount maps a URL path prefix to a directory on disk.
type mount struct {
	prefix string
	dir    string
}

// New returns a Server with an empty log and no mounted directories.
func New() *Server {
	return &Server{
		start:   time.Now(),
		done:    make(chan struct{}),
		logs:    make(map[string][]Request),
		changed: make(chan struct{}),
	}
}

// Mount serves the files below dir for request paths that start with
// prefix, which must begin and end with "/" (for example "/web/"). Later
// mounts with a longer prefix take precedence over shorter ones.
func (s *Server) Mount(prefix, dir string) {
	if !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	if !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mounts = append(s.mounts, mount{prefix: prefix, dir: dir})
}

// Close ends every held stream and every waiting /log request, now and in
// the future. It does not close any listener. It is safe to call more than
// once and from several goroutines.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.done) })
}

// Done returns a channel that is closed once Close has been called.
func (s *Server) Done() <-chan struct{} { return s.done }

// ServeHTTP records the request when it carries a key parameter and
// dispatches it to the endpoint its path names.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/sse":
		seq, _ := s.record(r)
		s.serveSSE(w, r, seq)
	case "/ticks":
		_, n := s.record(r)
		defer s.ended(r.URL.Query().Get("key"), n)
		s.serveTicks(w, r)
	case "/log":
		s.serveLog(w, r)
	case "/set-cookie":
		s.record(r)
		s.serveSetCookie(w, r)
	default:
		s.record(r)
		if !s.serveStatic(w, r) {
			http.NotFound(w, r)
		}
	}
}

// sleep waits for d, returning false early if the client went away or the
// Server was closed.
func (s *Server) sleep(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return s.alive(r)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	}
}

// alive reports whether the client is still there and the Server is open.
func (s *Server) alive(r *http.Request) bool {
	select {
	case <-r.Context().Done():
		return false
	case <-s.done:
		return false
	default:
		return true
	}
}
