//go:build !js

package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/ssewasm/eventsource/internal/browser"
	"github.com/ssewasm/eventsource/internal/webfiles"
)

// TestPolyfillFiles serves the built web/ with the example's handler and checks what a browser
// gets: each file's type, its brotli, gzip or plain bytes as it accepts, the caching header, and
// a 304 for a file it has.
func TestPolyfillFiles(t *testing.T) {
	web := filepath.Join("..", "..", "web")
	browser.RequireBuilt(t, web)
	srv := httptest.NewServer(http.StripPrefix("/web/", polyfillFiles(web)))
	defer srv.Close()
	tests := []struct {
		file, accept, ctype, encoding, from string
	}{
		{"eventsource.wasm", "gzip, deflate, br, zstd", "application/wasm", "br", "eventsource.wasm.br"},
		{"eventsource.wasm", "gzip, deflate", "application/wasm", "gzip", "eventsource.wasm.gz"},
		{"eventsource.wasm", "identity", "application/wasm", "", "eventsource.wasm"},
		{"eventsource.js", "gzip, deflate, br", "text/javascript; charset=utf-8", "br", "eventsource.js.br"},
		{"wasm_exec.js", "", "text/javascript; charset=utf-8", "", "wasm_exec.js"},
	}
	for _, tt := range tests {
		t.Run(tt.file+" "+tt.accept, func(t *testing.T) {
			req, _ := http.NewRequest("GET", srv.URL+"/web/"+tt.file, nil)
			req.Header.Set("Accept-Encoding", tt.accept) // set: the client adds none of its own
			resp, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			want, err := os.ReadFile(filepath.Join(web, tt.from))
			if err != nil {
				t.Fatal(err)
			}
			got := []string{resp.Status, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), resp.Header.Get("Cache-Control")}
			if exp := []string{"200 OK", tt.ctype, tt.encoding, "no-cache"}; strings.Join(got, "|") != strings.Join(exp, "|") {
				t.Errorf("got %q, want %q", got, exp)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("the body is not %s (%d bytes, want %d)", tt.from, len(body), len(want))
			}
			// Revalidation: the file has not changed, so 304 and no body.
			req.Header.Set("If-Modified-Since", resp.Header.Get("Last-Modified"))
			again, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			again.Body.Close()
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("revalidation: %s, want 304 Not Modified", again.Status)
			}
		})
	}
}

// TestVersionedFiles checks that the built shim names the versions of the wasm and
// wasm_exec.js beside it, and that the example serves those URLs immutable, and no others.
func TestVersionedFiles(t *testing.T) {
	web := filepath.Join("..", "..", "web")
	browser.RequireBuilt(t, web)
	shim, err := os.ReadFile(filepath.Join(web, "eventsource.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^const versions = \{wasm: "([0-9a-f]{16})", exec: "([0-9a-f]{16})"\};$`).FindSubmatch(shim)
	if m == nil {
		t.Fatal("the built eventsource.js names no versions of its files")
	}
	srv := httptest.NewServer(http.StripPrefix("/web/", polyfillFiles(web)))
	defer srv.Close()
	for _, tt := range []struct {
		file, v string
	}{{"eventsource.wasm", string(m[1])}, {"wasm_exec.js", string(m[2])}} {
		data, err := os.ReadFile(filepath.Join(web, tt.file))
		if err != nil {
			t.Fatal(err)
		}
		if want := webfiles.Version(data); tt.v != want {
			t.Errorf("the shim names %s version %s, but the file's is %s", tt.file, tt.v, want)
		}
		for query, want := range map[string]string{"?v=" + tt.v: "public, max-age=31536000, immutable", "?v=0000000000000000": "no-cache", "": "no-cache"} {
			resp, err := http.Get(srv.URL + "/web/" + tt.file + query)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get("Cache-Control"); resp.StatusCode != 200 || got != want {
				t.Errorf("GET %s%s: %s, Cache-Control %q; want 200, %q", tt.file, query, resp.Status, got, want)
			}
		}
	}
}

// TestReadmeShowsTheExample checks that the README's "Serving it" shows polyfillFiles as this
// file has it, so that the code a reader copies is the code tested here.
func TestReadmeShowsTheExample(t *testing.T) {
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	start := bytes.Index(src, []byte("func polyfillFiles("))
	if start < 0 {
		t.Fatal("main.go has no polyfillFiles")
	}
	if fn := src[start:]; !bytes.Contains(readme, fn) {
		t.Errorf("README.md does not show polyfillFiles as examples/serve/main.go has it:\n%s", fn)
	}
}
