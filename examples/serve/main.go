// Command serve is the README's example of serving the polyfill ("Serving it") with the Go
// standard library alone: the three files of web/ with their types, from their precompressed
// copies, the shim revalidated on every use and the files it asks for by version kept.
//
//	go run ./examples/serve -web web -addr 127.0.0.1:8081
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
)

func main() {
	web := flag.String("web", "web", "the directory build.sh writes: eventsource.js, eventsource.wasm, wasm_exec.js")
	addr := flag.String("addr", "127.0.0.1:8081", "address to listen on")
	flag.Parse()
	mux := http.NewServeMux()
	mux.Handle("GET /web/", http.StripPrefix("/web/", polyfillFiles(*web)))
	log.Printf("serve: the polyfill's files at http://%s/web/", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux))
}

// polyfillFiles serves the polyfill's files from dir: .wasm as application/wasm (which
// WebAssembly.compileStreaming needs), .js as JavaScript, each from its .br or .gz copy when
// the browser accepts that encoding (browsers never refuse one with q=0). The shim asks for the
// wasm and wasm_exec.js as file?v=version: such a URL is kept for a year without asking again,
// when version is the file's own. Anything else is revalidated on every use: an unchanged file
// costs a 304, and the browser keeps the wasm it has compiled.
func polyfillFiles(dir string) http.Handler {
	types := map[string]string{".wasm": "application/wasm", ".js": "text/javascript; charset=utf-8"}
	files := http.FileServer(http.Dir(dir))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := path.Clean("/" + r.URL.Path)
		if t, ok := types[path.Ext(name)]; ok {
			w.Header().Set("Content-Type", t)
		}
		if v := r.URL.Query().Get("v"); v != "" && v == version(filepath.Join(dir, filepath.FromSlash(name))) {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Header().Add("Vary", "Accept-Encoding")
		for _, enc := range []struct{ token, ext string }{{"br", ".br"}, {"gzip", ".gz"}} {
			file := filepath.Join(dir, filepath.FromSlash(name+enc.ext))
			if _, err := os.Stat(file); err == nil && strings.Contains(r.Header.Get("Accept-Encoding"), enc.token) {
				w.Header().Set("Content-Encoding", enc.token)
				http.ServeFile(w, r, file)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}

// version returns the version of a file as build.sh writes it into the shim: the first 16 hex
// digits of its SHA-256 ("" if it cannot be read). Only the first request of a browser for a
// version gets here: the browser keeps the answer.
func version(file string) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:8])
}
