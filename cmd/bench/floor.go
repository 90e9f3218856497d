//go:build unix

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// buildFloor builds cmd/bench/floor into dir as build.sh builds the polyfill's wasm: for
// GOOS=js GOARCH=wasm, stripped, through wasm-opt -Oz when it is installed, with a brotli copy
// when brotli is, so that it is served as the polyfill's is. It returns the size of floor.wasm.
func buildFloor(ctx context.Context, dir string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	out := filepath.Join(dir, "floor.wasm")
	run := func(name string, args ...string) error {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
		if b, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("%s: %w\n%s", name, err, b)
		}
		return nil
	}
	if err := run("go", "build", "-trimpath", "-ldflags=-s -w", "-o", out, "github.com/ssewasm/eventsource/cmd/bench/floor"); err != nil {
		return 0, fmt.Errorf("building the floor: %w", err)
	}
	if _, err := exec.LookPath("wasm-opt"); err == nil {
		if err := run("wasm-opt", "-Oz", "--enable-bulk-memory", "--enable-sign-ext", "--enable-nontrapping-float-to-int",
			"--enable-mutable-globals", out, "-o", out+".opt"); err != nil {
			return 0, err
		}
		if err := os.Rename(out+".opt", out); err != nil {
			return 0, err
		}
	}
	if _, err := exec.LookPath("brotli"); err == nil {
		if err := run("brotli", "-q", "11", "-f", "-o", out+".br", out); err != nil {
			return 0, err
		}
	}
	fi, err := os.Stat(out)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
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
