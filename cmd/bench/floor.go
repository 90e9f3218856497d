//go:build unix

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
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
	if err != nil || len(bytes.TrimSpace(b)) == 0 {
		return fmt.Errorf("finding the module's root: %v", err)
	}
	args := []string{filepath.Join(filepath.Dir(string(bytes.TrimSpace(b))), "scripts", "go-wasm.sh")}
	if names {
		args = append(args, "-names")
	}
	cmd := exec.CommandContext(ctx, "bash", append(args, pkg, out)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %w\n%s", pkg, err, b)
	}
	return nil
}

// floorPage is the page of the startup floor: the floor's wasm, compiled as it streams in,
// and wasm_exec.js (the polyfill's copy) load in parallel, the fastest way; once the Go program
// runs, the browser's own EventSource gets its first message. bench.startup resolves as the
// startup page's does (see harness.js).
const floorPage = `<!doctype html><html><head><meta charset="utf-8"><title>cmd/bench floor</title>
<script>
const compiled = WebAssembly.compileStreaming(fetch("/floor/floor.wasm"));
</script>
<script src="/dist/wasm_exec.js"></script>
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
