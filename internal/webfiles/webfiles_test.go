package webfiles

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

func TestHandler(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{"a.wasm": "raw", "a.wasm.br": "brotli", "a.wasm.gz": "gzip", "b.js": "js only"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	h := Handler(dir, "no-store", false)
	for _, tc := range []struct {
		path, accept          string
		body, encoding, ctype string
	}{
		{"/a.wasm", "gzip, deflate, br, zstd", "brotli", "br", "application/wasm"},
		{"/a.wasm", "gzip", "gzip", "gzip", "application/wasm"},
		{"/a.wasm", "br;q=0, gzip", "gzip", "gzip", "application/wasm"},
		{"/a.wasm", "*", "brotli", "br", "application/wasm"},
		{"/a.wasm", "*;q=0, identity", "raw", "", "application/wasm"},
		{"/a.wasm", "", "raw", "", "application/wasm"},
		{"/b.js", "br, gzip", "js only", "", "text/javascript; charset=utf-8"},
	} {
		req := httptest.NewRequest("GET", tc.path, nil)
		if tc.accept != "" {
			req.Header.Set("Accept-Encoding", tc.accept)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		body, _ := io.ReadAll(rec.Body)
		got := [...]string{string(body), rec.Header().Get("Content-Encoding"), rec.Header().Get("Content-Type"), rec.Header().Get("Cache-Control")}
		want := [...]string{tc.body, tc.encoding, tc.ctype, "no-store"}
		if got != want {
			t.Errorf("GET %s, Accept-Encoding %q: got %q, want %q", tc.path, tc.accept, got, want)
		}
	}
}

func TestHandlerVersioned(t *testing.T) {
	dir := t.TempDir()
	wasm := filepath.Join(dir, "a.wasm")
	if err := os.WriteFile(wasm, []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	first := Version([]byte("first"))
	if len(first) != 16 {
		t.Fatalf("Version = %q, want 16 hex digits", first)
	}
	get := func(h http.Handler, target string) string {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", target, nil))
		if rec.Code != 200 {
			t.Fatalf("GET %s: status %d", target, rec.Code)
		}
		return rec.Header().Get("Cache-Control")
	}
	versioned, plain := Handler(dir, "no-cache", true), Handler(dir, "no-store", false)
	for _, tc := range []struct {
		h      http.Handler
		target string
		want   string
	}{
		{versioned, "/a.wasm?v=" + first, Immutable},
		{versioned, "/a.wasm", "no-cache"},
		{versioned, "/a.wasm?v=0123456789abcdef", "no-cache"}, // another file's version
		{versioned, "/a.wasm?v=", "no-cache"},
		{plain, "/a.wasm?v=" + first, "no-store"},
	} {
		if got := get(tc.h, tc.target); got != tc.want {
			t.Errorf("GET %s: Cache-Control %q, want %q", tc.target, got, tc.want)
		}
	}
	// The file changes: its old version is no longer immutable, its new one is.
	if err := os.WriteFile(wasm, []byte("second!"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := get(versioned, "/a.wasm?v="+first); got != "no-cache" {
		t.Errorf("the old version after a change: Cache-Control %q, want no-cache", got)
	}
	if got := get(versioned, "/a.wasm?v="+Version([]byte("second!"))); got != Immutable {
		t.Errorf("the new version: Cache-Control %q, want %q", got, Immutable)
	}
}
