// Package webfiles serves the built polyfill's files (web/): .wasm as application/wasm, a
// precompressed .br or .gz copy, written by build.sh next to each file, where the client accepts
// it, and a file asked for by its version (file?v=hash, as the shim asks for the wasm and
// wasm_exec.js) as immutable.
package webfiles

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// contentTypes are the types set before http.FileServer would guess them.
var contentTypes = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
}

// Immutable is the Cache-Control of a file asked for by its version.
const Immutable = "public, max-age=31536000, immutable"

// Handler returns a handler that serves the files under dir with the given Cache-Control
// header; with versioned, a request for name?v=hash where hash is name's version (see Version)
// gets Immutable instead. A request for name is answered with name.br or name.gz, with
// Content-Encoding, when that file exists and the client's Accept-Encoding allows it.
func Handler(dir, cacheControl string, versioned bool) http.Handler {
	files := http.FileServer(http.Dir(dir))
	var versions versionCache
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Join(dir, filepath.FromSlash(filepath.Clean("/"+r.URL.Path)))
		if ctype := contentTypes[filepath.Ext(name)]; ctype != "" {
			w.Header().Set("Content-Type", ctype)
		}
		cc := cacheControl
		if v := r.URL.Query().Get("v"); versioned && v != "" && v == versions.of(name) {
			// Only the file's own version: a URL that names another (a shim newer than the
			// wasm, halfway through a deployment) must not keep this file for a year.
			cc = Immutable
		}
		w.Header().Set("Cache-Control", cc)
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

// Version returns the version of the file data: the first 16 hex digits of its SHA-256, as
// build.sh writes them into the shim.
func Version(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])[:16]
}

// versionCache holds the versions of files, each until the file changes.
type versionCache struct {
	mu    sync.Mutex
	files map[string]fileVersion
}

type fileVersion struct {
	size    int64
	modTime time.Time
	version string
}

// of returns the version of the file name ("" if it cannot be read).
func (c *versionCache) of(name string) string {
	fi, err := os.Stat(name)
	if err != nil || fi.IsDir() {
		return ""
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.files[name]; ok && v.size == fi.Size() && v.modTime.Equal(fi.ModTime()) {
		return v.version
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return ""
	}
	if c.files == nil {
		c.files = map[string]fileVersion{}
	}
	v := Version(data)
	c.files[name] = fileVersion{fi.Size(), fi.ModTime(), v}
	return v
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
