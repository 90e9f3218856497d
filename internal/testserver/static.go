package testserver

import (
	"mime"
	"net/http"
	"path"
	"strings"
)

// mimeTypes fixes the Content-Type of the file kinds the tests and the demo
// serve, whatever the machine's MIME tables say.
var mimeTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".htm":  "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".map":  "application/json",
	".wasm": "application/wasm",
	".txt":  "text/plain; charset=utf-8",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ico":  "image/x-icon",
}

// contentType returns the MIME type to serve a file named name with.
func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := mimeTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// encodings lists the precompressed siblings looked for, best first.
var encodings = []struct{ token, suffix string }{
	{"br", ".br"},
	{"gzip", ".gz"},
}

// serveStatic serves r from the mount with the longest matching prefix and
// reports whether one matched.
func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	var best mount
	for _, m := range s.mounts {
		if strings.HasPrefix(r.URL.Path, m.prefix) && len(m.prefix) > len(best.prefix) {
			best = m
		}
	}
	s.mu.Unlock()
	if best.prefix == "" {
		return false
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return true
	}
	name := "/" + strings.TrimPrefix(r.URL.Path, best.prefix)
	if strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	dir := http.Dir(best.dir)
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Type", contentType(name))
	h.Add("Vary", "Accept-Encoding")
	accept := r.Header.Get("Accept-Encoding")
	for _, enc := range encodings {
		if !acceptsEncoding(accept, enc.token) {
			continue
		}
		if f, err := dir.Open(name + enc.suffix); err == nil {
			defer f.Close()
			if fi, err := f.Stat(); err == nil && !fi.IsDir() {
				h.Set("Content-Encoding", enc.token)
				http.ServeContent(w, r, name, fi.ModTime(), f)
				return true
			}
		}
	}
	f, err := dir.Open(name)
	if err != nil {
		h.Del("Content-Type")
		http.NotFound(w, r)
		return true
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || fi.IsDir() {
		h.Del("Content-Type")
		http.NotFound(w, r)
		return true
	}
	http.ServeContent(w, r, name, fi.ModTime(), f)
	return true
}

// acceptsEncoding reports whether an Accept-Encoding header value allows
// the content coding token (ignoring q-values other than q=0).
func acceptsEncoding(header, token string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), token) {
			continue
		}
		p := strings.ReplaceAll(params, " ", "")
		return p != "q=0" && p != "q=0.0" && p != "q=0.00" && p != "q=0.000"
	}
	return false
}
