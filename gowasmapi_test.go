//go:build !js

package eventsource_test

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/testserver"
)

// TestGoWasmAPI builds this package's WebAssembly tests (wasm_api_test.go) and runs them under
// Node.js with the Go toolchain's go_js_wasm_exec, against a Go test server: the Go API for Go
// programs compiled to wasm, over fetch().
func TestGoWasmAPI(t *testing.T) {
	exe := filepath.Join(t.TempDir(), "eventsource.wasm.test")
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	build := exec.CommandContext(ctx, "go", "test", "-c", "-o", exe, ".")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the wasm tests: %v\n%s", err, out)
	}
	srv := testserver.New()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	defer srv.Close()
	runner := filepath.Join(runtime.GOROOT(), "lib", "wasm", "go_js_wasm_exec")
	cmd := exec.CommandContext(ctx, runner, exe, "-test.v", "-test.count=1")
	// go_js_wasm_exec passes the whole environment to the wasm, which must fit in 8 KiB.
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "SSE_SERVER=" + hs.URL}
	out, err := cmd.CombinedOutput()
	t.Logf("wasm tests under Node.js:\n%s", out)
	if err != nil {
		t.Fatalf("wasm tests: %v", err)
	}
}
