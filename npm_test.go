//go:build !js && unix

package eventsource_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/browser"
	"github.com/ssewasm/eventsource/internal/testserver"
)

// TestNPMPackage packs the npm package (npm pack, of web/ as ./build.sh left it), installs the tarball into a
// fresh temporary project, and uses it from there: with require and import in Node.js, and from
// a page that loads the installed web/eventsource.js in headless Chromium.
func TestNPMPackage(t *testing.T) {
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Fatalf("npm is not installed: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	run := func(dir string, env []string, name string, args ...string) string {
		t.Helper()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	root, _ := os.Getwd()
	browser.RequireBuilt(t, filepath.Join(root, "web"))
	packDir := t.TempDir()
	run(root, nil, npm, "pack", "--ignore-scripts", "--pack-destination", packDir) // web/ is built already
	tarballs, _ := filepath.Glob(filepath.Join(packDir, "*.tgz"))
	if len(tarballs) != 1 {
		t.Fatalf("npm pack made %d tarballs, want 1", len(tarballs))
	}
	project := t.TempDir()
	if err := os.WriteFile(filepath.Join(project, "package.json"), []byte(`{"name":"consumer","private":true}`), 0o644); err != nil {
		t.Fatal(err)
	}
	run(project, nil, npm, "install", "--offline", "--no-audit", "--no-fund", tarballs[0])
	pkg := filepath.Join(project, "node_modules", "ssewasm-eventsource")
	for _, f := range []string{"web/eventsource.js", "web/eventsource.wasm", "web/wasm_exec.js", "js/node.cjs", "js/node.mjs", "js/eventsource.d.ts"} {
		if _, err := os.Stat(filepath.Join(pkg, f)); err != nil {
			t.Errorf("the installed package lacks %s", f)
		}
	}

	srv := testserver.New()
	reports := browser.NewReports()
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.Handle("/pkg/", http.StripPrefix("/pkg/", http.FileServer(http.Dir(pkg))))
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><script src="/pkg/web/eventsource.js"></script><script>
			const es = new EventSource("/sse?hold=forever&body=" + encodeURIComponent("data: from the page\n\n"));
			es.onmessage = (e) => { es.close(); fetch("/report", {method: "POST", body: (EventSource !== NativeEventSource) + " " + e.data}); };
		</script>`)
	})
	mux.Handle("POST /report", reports)
	hs := httptest.NewServer(mux)
	defer hs.Close()
	defer srv.Close()
	sse := hs.URL + "/sse?hold=forever&body=" + "data%3A%20hello%0A%0A"

	// Node.js, both module systems.
	script := `const es = new EventSource(process.env.SSE_URL);
		es.onmessage = (e) => { console.log("got " + e.data + " " + (globalThis.EventSource === EventSource)); es.close(); };
		es.onerror = (e) => { console.log("error " + e.reason); es.close(); };`
	env := []string{"SSE_URL=" + sse}
	if out := run(project, env, "node", "-e", `const { EventSource } = require("ssewasm-eventsource");`+script); strings.TrimSpace(out) != "got hello true" {
		t.Errorf("require: printed %q, want %q", out, "got hello true")
	}
	if out := run(project, env, "node", "--input-type=module", "-e", `import { EventSource } from "ssewasm-eventsource";`+script); strings.TrimSpace(out) != "got hello true" {
		t.Errorf("import: printed %q, want %q", out, "got hello true")
	}

	// A page.
	proc, err := browser.Chromium.Start(browser.Chromium.Binary(t), t.TempDir(), hs.URL+"/page")
	if err != nil {
		t.Fatal(err)
	}
	defer proc.Stop()
	select {
	case got := <-reports:
		if got != "true from the page" {
			t.Errorf("the page reported %q, want %q", got, "true from the page")
		}
	case <-ctx.Done():
		t.Fatal("the page did not report")
	}
}
