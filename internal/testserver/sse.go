package testserver

import (
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// serveSSE answers /sse; idx is the request's sequence number (see
// Request.Seq).
func (s *Server) serveSSE(w http.ResponseWriter, r *http.Request, idx int) {
	params, err := selectSpec(r.URL.Query(), idx)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	sp, err := parseSpec(params)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if r.Method == http.MethodOptions {
		if sp.cors {
			answerPreflight(w, r)
		} else {
			w.WriteHeader(http.StatusMethodNotAllowed)
		}
		return
	}
	if !s.sleep(r, sp.delay) {
		return
	}
	if sp.abort == "head" {
		abortConn(w)
		return
	}
	h := w.Header()
	if sp.cors {
		addCORS(w, r)
	}
	if sp.redirect > 0 {
		next := make(url.Values, len(sp.params)+2)
		for k, v := range sp.params {
			next[k] = v
		}
		next["redirect"] = []string{strconv.Itoa(sp.redirect - 1)}
		next["hop"] = []string{"1"}
		h.Set("Location", sp.rto+"/sse?"+next.Encode())
		h.Set("Cache-Control", "no-store")
		applyHeaders(h, sp.hdrs)
		w.WriteHeader(sp.rcode)
		return
	}
	if sp.noCtype {
		h["Content-Type"] = nil // also stops net/http from sniffing one
	} else {
		h.Set("Content-Type", sp.ctype)
	}
	h.Set("Cache-Control", "no-store")
	applyHeaders(h, sp.hdrs)
	w.WriteHeader(sp.status)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	for i, piece := range sp.pieces() {
		if i > 0 && !s.sleep(r, sp.gap) {
			return
		}
		if _, err := w.Write(piece); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
	s.hold(r, sp.hold, sp.forever)
	if sp.abort == "body" {
		// Break the connection instead of ending the chunked body cleanly
		// (after the hold, if any); net/http recognises this value and does
		// not log it.
		panic(http.ErrAbortHandler)
	}
}

// hold keeps the response open for d, or until the client or the Server
// goes away when forever is set.
func (s *Server) hold(r *http.Request, d time.Duration, forever bool) {
	if forever {
		select {
		case <-r.Context().Done():
		case <-s.done:
		}
		return
	}
	s.sleep(r, d)
}

// abortConn closes the connection without writing any response.
func abortConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// applyHeaders sets the extra "hdr" response headers.
func applyHeaders(h http.Header, hdrs [][2]string) {
	for _, kv := range hdrs {
		h.Set(kv[0], kv[1])
	}
}
