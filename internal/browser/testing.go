//go:build unix

package browser

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

// Binary returns b's binary, failing the test if b is not installed.
func (b *Browser) Binary(t testing.TB) string {
	t.Helper()
	bin := b.Find()
	if bin == "" {
		t.Fatalf("%s not found (tried $%s and %v): install it (make test does)", b.Name, b.EnvVar, b.Paths)
	}
	return bin
}

// RequireBuilt fails the test unless the polyfill is built into webDir (./build.sh).
func RequireBuilt(t testing.TB, webDir string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(webDir, "eventsource.wasm")); err != nil {
		t.Fatalf("the polyfill is not built (run ./build.sh): %v", err)
	}
}

// Reports is an http.Handler for a test page to POST its result to: the first body received
// is kept on the channel for the test to wait on.
type Reports chan string

// NewReports returns an empty Reports.
func NewReports() Reports { return make(Reports, 1) }

// ServeHTTP keeps the request's body, unless a report is already waiting.
func (r Reports) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	select {
	case r <- string(b):
	default:
	}
}
