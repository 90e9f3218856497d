package webfiles

import (
	"io"
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
	h := Handler(dir, "no-store")
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
