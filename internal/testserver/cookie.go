package testserver

import (
	"net/http"
	"strconv"
)

// serveSetCookie answers /set-cookie?name=N&value=V[&samesite=S][&maxage=M]
// with credentialed CORS headers, so that a page on either origin can set a
// cookie for the host.
func (s *Server) serveSetCookie(w http.ResponseWriter, r *http.Request) {
	addCORS(w, r)
	if r.Method == http.MethodOptions {
		answerPreflight(w, r)
		return
	}
	q := r.URL.Query()
	c := &http.Cookie{Name: q.Get("name"), Value: q.Get("value"), Path: "/"}
	if c.Name == "" {
		http.Error(w, "missing name", http.StatusBadRequest)
		return
	}
	switch q.Get("samesite") {
	case "":
	case "lax", "Lax":
		c.SameSite = http.SameSiteLaxMode
	case "strict", "Strict":
		c.SameSite = http.SameSiteStrictMode
	case "none", "None":
		c.SameSite = http.SameSiteNoneMode
	default:
		http.Error(w, "bad samesite", http.StatusBadRequest)
		return
	}
	if v := q.Get("maxage"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			http.Error(w, "bad maxage", http.StatusBadRequest)
			return
		}
		c.MaxAge = n
	}
	if err := c.Valid(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	http.SetCookie(w, c)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}
