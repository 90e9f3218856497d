package testserver

import "net/http"

// addCORS lets the request's origin read the response with credentials.
// Requests without an Origin header (same-origin GETs) need nothing.
func addCORS(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Add("Vary", "Origin")
	if origin := r.Header.Get("Origin"); origin != "" {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}

// answerPreflight answers a CORS preflight, allowing the requested method,
// Last-Event-ID and every requested header, and asking the browser not to
// cache the answer (so that tests can count preflights).
func answerPreflight(w http.ResponseWriter, r *http.Request) {
	addCORS(w, r)
	h := w.Header()
	method := r.Header.Get("Access-Control-Request-Method")
	if method == "" {
		method = "GET"
	}
	h.Set("Access-Control-Allow-Methods", method)
	allow := "Last-Event-ID"
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		allow = req + ", " + allow
	}
	h.Set("Access-Control-Allow-Headers", allow)
	h.Set("Access-Control-Max-Age", "0")
	w.WriteHeader(http.StatusNoContent)
}

// allowAnyOrigin lets a page on any origin read the response without
// credentials, and answers preflights for it.
func allowAnyOrigin(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	if r.Method == http.MethodOptions {
		h.Set("Access-Control-Allow-Methods", "GET, POST")
		if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		}
	}
}
