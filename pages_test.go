//go:build !js && unix

package eventsource_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/ssewasm/eventsource/internal/testserver"
)

// servePages serves mux on loopback until the test ends, with a test server (which it returns)
// for the paths mux has no handler for, web/ mounted under /web/; it returns the base URL too.
func servePages(t *testing.T, mux *http.ServeMux) (*testserver.Server, string) {
	t.Helper()
	ts := testserver.New()
	ts.Mount("/web/", webDir())
	mux.Handle("/", ts)
	hs := httptest.NewServer(mux)
	t.Cleanup(func() {
		hs.Close()
		ts.Close()
	})
	return ts, hs.URL
}

// shortTempDir returns a new directory, removed when the test ends, with a short path: a
// browser's, where Chromium's singleton socket path must fit in a sockaddr_un (t.TempDir's,
// named for the test, may be too long).
func shortTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "page")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}
