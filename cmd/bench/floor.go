//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/ssewasm/eventsource/internal/webfiles"
)

// buildFloor builds cmd/bench/floor into dir as build.sh builds the polyfill's wasm (with
// scripts/go-wasm.sh), with a brotli copy when brotli is installed, so that it is served as the
// polyfill's is. It returns the size of floor.wasm.
func buildFloor(ctx context.Context, dir string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	out := filepath.Join(dir, "floor.wasm")
	if err := goWasm(ctx, false, "github.com/ssewasm/eventsource/cmd/bench/floor", out); err != nil {
		return 0, fmt.Errorf("building the floor: %w", err)
	}
	if _, err := exec.LookPath("brotli"); err == nil {
		if b, err := exec.CommandContext(ctx, "brotli", "-q", "11", "-f", "-o", out+".br", out).CombinedOutput(); err != nil {
			return 0, fmt.Errorf("brotli: %w\n%s", err, b)
		}
	}
	fi, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// goWasm builds pkg into out with the module's scripts/go-wasm.sh: as shipped, or with names
// (its name section, before wasm-opt).
func goWasm(ctx context.Context, names bool, pkg, out string) error {
	b, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return fmt.Errorf("finding the module's root: go env GOMOD: %w", err)
	}
	gomod := string(bytes.TrimSpace(b))
	if gomod == "" || gomod == os.DevNull {
		return errors.New("finding the module's root: not in a module (run bench from the repository)")
	}
	args := []string{filepath.Join(filepath.Dir(gomod), "scripts", "go-wasm.sh")}
	if names {
		args = append(args, "-names")
	}
	cmd := exec.CommandContext(ctx, "bash", append(args, pkg, out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %w\n%s", pkg, err, b)
	}
	return nil
}

// floorHandler serves the startup floor built into dir, at /floor/: its page, page (cold: every
// file no-store) or page?mode=warm (its files as the polyfill's are from /cached/ for the warm
// startup: the wasm and wasm_exec.js asked for by version, immutable), and its wasm. The page's
// wasm_exec.js is the polyfill's, from dist.
func floorHandler(dir, dist string) (http.Handler, error) {
	version := func(path string) (string, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("the floor's page: %w", err)
		}
		return webfiles.Version(data), nil
	}
	wasmV, err := version(filepath.Join(dir, "floor.wasm"))
	if err != nil {
		return nil, err
	}
	execV, err := version(filepath.Join(dist, "wasm_exec.js"))
	if err != nil {
		return nil, err
	}
	cold := floorPage("/floor/floor.wasm", "/dist/wasm_exec.js")
	warm := floorPage("/floor/floor.wasm?v="+wasmV, "/cached/wasm_exec.js?v="+execV)
	files := webfiles.Handler(dir, "no-store", true)
	return http.StripPrefix("/floor/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "page" {
			files.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if r.FormValue("mode") == "warm" {
			w.Write([]byte(warm))
		} else {
			w.Write([]byte(cold))
		}
	})), nil
}

// floorPage returns the page of the startup floor: the floor's wasm, compiled as it streams in,
// and wasm_exec.js load in parallel, the fastest way; once the Go program runs, the browser's
// own EventSource gets its first message. bench.startup resolves as the startup page's does
// (see harness.js).
func floorPage(wasmURL, execURL string) string {
	return `<!doctype html><html><head><meta charset="utf-8"><title>cmd/bench floor</title>
<script>
const compiled = WebAssembly.compileStreaming(fetch("` + wasmURL + `"));
</script>
<script src="` + execURL + `"></script>
<script>
globalThis.bench = { startup: (async () => {
  try {
    const go = new Go();
    const instance = await WebAssembly.instantiate(await compiled, go.importObject);
    await new Promise((resolve) => { globalThis.floorReady = resolve; go.run(instance); });
    const r = performance.getEntriesByType("resource").find((r) => new URL(r.name).pathname.endsWith(".wasm"));
    return await new Promise((resolve) => {
      const es = new EventSource("/hello");
      es.onmessage = (e) => { const t = performance.now(); es.close(); resolve({ t, wasmEnd: r ? r.responseEnd : -1, data: e.data, error: "" }); };
      es.onerror = () => { es.close(); resolve({ error: "error event" }); };
    });
  } catch (e) {
    return { error: String(e) };
  }
})() };
</script></head><body></body></html>
`
}
