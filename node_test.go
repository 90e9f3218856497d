//go:build !js && unix

package eventsource_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/browser"
	"github.com/ssewasm/eventsource/internal/testserver"
)

// TestNode runs js/node.test.mjs and js/node-fake-timers.test.mjs with node --test against the Go test server: the polyfill
// under Node.js 20+, loaded with require/import from the repository's web/ (./build.sh).
func TestNode(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed: %v", err)
	}
	browser.RequireBuilt(t, "web")
	srv := testserver.New()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", "js/node.test.mjs", "js/node-fake-timers.test.mjs")
	cmd.Env = append(os.Environ(), "SSE_SERVER="+hs.URL)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test:\n%s", out)
	if err != nil {
		t.Fatalf("node --test: %v", err)
	}
}
