package testserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// serveTicks answers /ticks: numbered events, resuming after the request's
// Last-Event-ID, and 204 No Content once there is nothing left to send.
func (s *Server) serveTicks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cors := q.Get("cors") == "1"
	if r.Method == http.MethodOptions {
		if cors {
			answerPreflight(w, r)
		} else {
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
		return
	}
	n, err := intParam(q, "n", 10)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	pad, err := intParam(q, "pad", 0)
	if err != nil || pad < 0 {
		http.Error(w, "bad pad", http.StatusBadRequest)
		return
	}
	every, err := millis(q, "every", 0)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	retry, err := intParam(q, "retry", -1)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	holdFor, err := millis(q, "hold", 0)
	forever := q.Get("hold") == "forever" || holdFor < 0
	if err != nil && !forever {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	next := 1
	if last, err := strconv.Atoi(r.Header.Get("Last-Event-ID")); err == nil {
		next = last + 1
	}
	if cors {
		addCORS(w, r)
	}
	w.Header().Set("Cache-Control", "no-store")
	if next > n {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	if retry >= 0 {
		fmt.Fprintf(w, "retry: %d\n\n", retry)
	}
	_ = rc.Flush()
	padding := strings.Repeat(".", pad)
	for i := next; i <= n; i++ {
		if i > next && !s.sleep(r, every) {
			return
		}
		if _, err := fmt.Fprintf(w, "id: %d\ndata: tick %d%s\n\n", i, i, padding); err != nil {
			return
		}
		if every > 0 || i == n {
			if err := rc.Flush(); err != nil {
				return
			}
		}
	}
	_ = rc.Flush()
	s.hold(r, holdFor, forever)
}
