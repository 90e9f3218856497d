//go:build !js && unix

package eventsource_test

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// restartable serves a handler on a loopback address that can be taken down
// and brought back on the same port, as a server restarting would be: while
// it is down, connections are refused, and the ones it had are broken.
type restartable struct {
	handler http.Handler
	addr    string // host:port, fixed by the first listener

	mu     sync.Mutex
	srv    *http.Server // nil while down
	closed bool         // closed for good
	errs   chan error   // Serve's unexpected errors, for the test to report
}

// newRestartable serves h on a new loopback port.
func newRestartable(h http.Handler) (*restartable, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	r := &restartable{handler: h, addr: l.Addr().String(), errs: make(chan error, 8)}
	r.serve(l)
	return r, nil
}

// URL returns the base URL of the origin.
func (r *restartable) URL() string { return "http://" + r.addr }

// serve serves the handler on l. r.mu is held or r is not yet shared.
func (r *restartable) serve(l net.Listener) {
	srv := &http.Server{Handler: r.handler, ReadHeaderTimeout: 10 * time.Second}
	r.srv = srv
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			r.report(fmt.Errorf("restartable origin %s: %w", r.addr, err))
		}
	}()
}

// report keeps err for the test to report (the first few of them).
func (r *restartable) report(err error) {
	select {
	case r.errs <- err:
	default:
	}
}

// restart closes the listener and every connection (held streams break),
// then listens on the same port again after down.
func (r *restartable) restart(down time.Duration) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.srv == nil {
		return errors.New("restartable origin: closed or already down")
	}
	_ = r.srv.Close()
	r.srv = nil
	time.AfterFunc(down, func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.closed {
			return
		}
		l, err := net.Listen("tcp", r.addr)
		if err != nil {
			r.report(fmt.Errorf("restartable origin: listening again on %s: %w", r.addr, err))
			return
		}
		r.serve(l)
	})
	return nil
}

// Close takes the origin down for good and returns the first error it met
// while serving, if any.
func (r *restartable) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	if r.srv != nil {
		_ = r.srv.Close()
		r.srv = nil
	}
	select {
	case err := <-r.errs:
		return err
	default:
		return nil
	}
}

// ServeHTTP answers POST /restart?down=MS on the suite's own origin: the
// restartable origin goes down at once and comes back after MS milliseconds
// (at most 10000). The answer (204) comes once it is down.
func (r *restartable) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	ms, err := strconv.Atoi(req.URL.Query().Get("down"))
	if err != nil || ms < 0 || ms > 10000 {
		http.Error(w, "down: want milliseconds from 0 to 10000", http.StatusBadRequest)
		return
	}
	if err := r.restart(time.Duration(ms) * time.Millisecond); err != nil {
		http.Error(w, err.Error(), http.StatusConflict)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
