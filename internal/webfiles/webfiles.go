// Package webfiles serves the built polyfill's files (web/): .wasm as application/wasm, and a
// precompressed .br or .gz copy, written by build.sh next to each file, where the client accepts
// it.
package webfiles

import (
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// contentTypes are the types set before http.FileServer would guess them.
var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
}

// Handler returns a handler that serves the files under dir with the given Cache-Control
// header. A request for name is answered with name.br or name.gz, with Content-Encoding, when
// that file exists and the client's Accept-Encoding allows it.
func Handler(dir, cacheControl string) http.Handler {
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if ctype := contentTypes[filepath.Ext(name)]; ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		w.Header().Set("Cache-Control", cacheControl)
		w.Header().Add("Vary", "Accept-Encoding")
		accept := r.Header.Get("Accept-Encoding")
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			if accepts(accept, enc.token) && isFile(name+enc.ext) {
				w.Header().Set("Content-Encoding", enc.token)
				http.ServeFile(w, r, name+enc.ext)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

func isFile(name string) bool {
	fi, err := os.Stat(name)
	return err == nil && !fi.IsDir()
}

// accepts reports whether an Accept-Encoding header value allows the content coding token: it
// is listed (or "*" is) without q=0 (RFC 9110, section 12.5.3).
func accepts(header, token string) bool {
	star := false
	for _, item := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(item, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != token && name != "*" {
			continue
		}
		ok := true
		for _, p := range strings.Split(params, ";") {
			if k, v, found := strings.Cut(strings.TrimSpace(p), "="); found && strings.EqualFold(k, "q") {
				if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q == 0 {
					ok = false
				}
			}
		}
		if name == token {
			return ok
		}
		star = ok
	}
	return star
}
