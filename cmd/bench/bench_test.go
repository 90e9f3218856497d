//go:build unix

package main

import (
	"context"
	"io"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/parse"
	"github.com/ssewasm/eventsource/internal/webfiles"
)

func TestPercentile(t *testing.T) {
	for _, tt := range []struct {
		v    []float64
		p    float64
		want float64
	}{
		{[]float64{3, 1, 2}, 50, 2},
		{[]float64{4, 1, 3, 2}, 50, 2.5},
		{[]float64{5}, 99, 5},
		{[]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 90, 10},
		{[]float64{0, 100}, 99, 99},
		{[]float64{2, 1}, 100, 2},
		{[]float64{2, 1}, 0, 1},
	} {
		if got := percentile(tt.v, tt.p); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("percentile(%v, %v) = %v, want %v", tt.v, tt.p, got, tt.want)
		}
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

// tallyHandler tallies the events a parser finds.
type tallyHandler struct {
	tally
	types int // events of a type other than message
}

func (h *tallyHandler) Event(e *parse.Event) {
	if len(e.Type) > 0 && string(e.Type) != "message" {
		h.types++
	}
	h.add(string(e.Data))
}

func (h *tallyHandler) Retry(int64) {}

// TestStreamsParse checks that the bodies the server sends parse back, in chunks of any size,
// into exactly the events that their tally says, and that the tallies are the intended ones.
func TestStreamsParse(t *testing.T) {
	for _, tt := range []struct {
		name   string
		s      *stream
		n, sum int
	}{
		{"1000x64", manyEvents(1000, 64, 0), 1000, 64000},
		{"300x1024", manyEvents(300, 1024, 7), 300, 300 * 1024},
		{"short", manyEvents(12, 3, 0), 12, 36},
		{"1MiB-lines", bigEvent(1<<20, 1024), 1, 1<<20 + 1023},
		{"1MiB-line", bigEvent(1<<20, 0), 1, 1 << 20},
	} {
		if tt.s.want.N != tt.n || tt.s.want.Sum != tt.sum {
			t.Errorf("%s: tally %d events of %d bytes, want %d of %d", tt.name, tt.s.want.N, tt.s.want.Sum, tt.n, tt.sum)
		}
		for _, chunk := range []int{1, 7, 4096, len(tt.s.body)} {
			var h tallyHandler
			p := parse.New(&h, "")
			for b := tt.s.body; len(b) > 0; b = b[min(chunk, len(b)):] {
				p.Feed(b[:min(chunk, len(b))])
			}
			if h.tally != tt.s.want || h.types != 0 {
				t.Errorf("%s in %d-byte chunks: parsed %+v (%d typed), want %+v", tt.name, chunk, h.tally, h.types, tt.s.want)
			}
		}
	}
	if s := manyEvents(3, 64, 0); !strings.HasPrefix(s.want.First, "00000000") || !strings.HasPrefix(s.want.Last, "00000002") {
		t.Errorf("events do not start with their index: first %q, last %q", s.want.First, s.want.Last)
	}
}

func TestSignature(t *testing.T) {
	if got, want := signature("abc"), "abc|3|abc"; got != want {
		t.Errorf("signature = %q, want %q", got, want)
	}
	long := strings.Repeat("x", 40) + "middle" + strings.Repeat("y", 40)
	if got, want := signature(long), strings.Repeat("x", 40)+"|86|"+strings.Repeat("y", 40); got != want {
		t.Errorf("signature = %q, want %q", got, want)
	}
}

func TestTable(t *testing.T) {
	var r results
	for _, rep := range []float64{1, 2, 3} {
		r.add("tp-64", "native", []measure{{"events/s", 200000 * rep}, {"CPU ms", 10 * rep}})
		r.add("tp-64", "polyfill", []measure{{"events/s", 100000 * rep}, {"CPU ms", 30 * rep}})
		r.add("big-8m-line", "native", []measure{{"open→message ms", 10}})
		r.add("big-32m-line", "native", []measure{{"open→message ms", 40 * rep}})
		r.add("memory", "polyfill", []measure{{"wasm MiB after stream 1", 4}})
	}
	r.finish([]int{8, 32})
	want := `| workload     | metric                  | native | polyfill | ratio |
| ------------ | ----------------------- | -----: | -------: | ----: |
| tp-64        | events/s                |   400k |     200k |  0.50 |
| tp-64        | CPU ms                  |   20.0 |     60.0 |  3.00 |
| big-8m-line  | open→message ms         |   10.0 |        - |     - |
| big-32m-line | open→message ms         |   80.0 |        - |     - |
| big-line     | 32m/8m time             |      8 |        - |     - |
| memory       | wasm MiB after stream 1 |      - |        4 |     - |
`
	if got := r.table(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
	sizes := sizesTable([]fileSize{{"a.wasm", 1000, 400, 300}, {"a.js", 10, 8, -1}})
	if !strings.Contains(sizes, "| total  | 1010 |  408 |      - |") {
		t.Errorf("sizes table has no total without brotli:\n%s", sizes)
	}
}

// TestServer reads a stream written 7 bytes per flush and a page from the server.
func TestServer(t *testing.T) {
	st := manyEvents(50, 64, 7)
	srv, err := newServer(t.TempDir(), map[string]*stream{"s": st}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	res, err := http.Get(srv.url + "/events/s")
	if err != nil {
		t.Fatal(err)
	}
	body := make([]byte, len(st.body))
	_, err = io.ReadFull(res.Body, body)
	res.Body.Close()
	if err != nil || string(body) != string(st.body) || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Errorf("/events/s: %v, %q, %d bytes, want the stream's %d", err, res.Header.Get("Content-Type"), len(body), len(st.body))
	}
	for impl, script := range map[string]string{"native&mode=startup": "", "polyfill&mode=startup": "/dist/", "native": "/dist/", "native&mode=warm": "", "polyfill&mode=warm": "/cached/"} {
		res, err := http.Get(srv.url + "/page?impl=" + impl)
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(res.Body)
		res.Body.Close()
		got := ""
		for _, dir := range []string{"/dist/", "/cached/"} {
			if strings.Contains(string(page), `src="`+dir+`eventsource.js"`) {
				got = dir
			}
		}
		if err != nil || got != script {
			t.Errorf("page %s: %v; loads the polyfill from %q, want %q", impl, err, got, script)
		}
	}
}

// TestBuildFloor builds the startup floor as the bench does, and serves it: the cold page asks
// for files that are not kept, the warm page for versions of them that are.
func TestBuildFloor(t *testing.T) {
	dir, dist := t.TempDir(), t.TempDir()
	size, err := buildFloor(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if size < 1<<20 || size > 4<<20 {
		t.Errorf("floor.wasm is %d bytes: not a Go program of safejs", size)
	}
	if err := os.WriteFile(filepath.Join(dist, "wasm_exec.js"), []byte("// glue\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := floorHandler(dir, dist)
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) (*http.Response, string) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		return w.Result(), w.Body.String()
	}
	urlRe := regexp.MustCompile(`fetch\("(/floor/floor\.wasm[^"]*)"\)[\s\S]*<script src="(/[a-z]+/wasm_exec\.js[^"]*)">`)
	for _, c := range []struct{ page, exec, cache string }{
		{"/floor/page", "/dist/wasm_exec.js", "no-store"},
		{"/floor/page?mode=warm", "/cached/wasm_exec.js?v=" + webfiles.Version([]byte("// glue\n")), webfiles.Immutable},
	} {
		_, page := get(c.page)
		m := urlRe.FindStringSubmatch(page)
		if m == nil || m[2] != c.exec {
			t.Errorf("%s: loads %q, want wasm_exec.js from %s", c.page, m, c.exec)
			continue
		}
		res, body := get(m[1])
		if res.StatusCode != 200 || len(body) < 1<<20 || res.Header.Get("Cache-Control") != c.cache {
			t.Errorf("%s: its %s: %d, %d bytes, Cache-Control %q, want 200, the wasm, %q", c.page, m[1], res.StatusCode, len(body), res.Header.Get("Cache-Control"), c.cache)
		}
	}
}

// TestPackageSizes reads a small module made by hand: one imported function, two bodies, and
// their names.
func TestPackageSizes(t *testing.T) {
	section := func(id byte, content ...byte) []byte { return append([]byte{id, byte(len(content))}, content...) }
	str := func(s string) []byte { return append([]byte{byte(len(s))}, s...) }
	join := func(parts ...[]byte) []byte { return slices.Concat(parts...) }
	module := join(
		[]byte("\x00asm\x01\x00\x00\x00"),
		section(2, join([]byte{1}, str("m"), str("f"), []byte{0, 0})...),
		section(10, 2, 2, 0, 0x0b, 3, 0, 1, 0x0b),
		section(0, join(str("name"), []byte{1, 26, 2, 1}, str("fmt.A"), []byte{2}, str("github.com_x_y.B"))...),
	)
	got, err := packageSizes(module)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"fmt": 3, "github.com_x_y": 4}; !maps.Equal(got, want) {
		t.Errorf("packageSizes = %v, want %v", got, want)
	}
	if _, err := packageSizes(module[:len(module)-3]); err == nil {
		t.Error("a cut module: no error")
	}
	for name, want := range map[string]string{
		"fmt.(*pp).doPrint":                 "fmt",
		"fmt.__pp_.doPrint":                 "fmt",
		"internal_strconv.Itoa":             "internal_strconv",
		"github.com_hack_pad_safejs.Global": "github.com_hack_pad_safejs",
		"github.com_a_b.__T_.m":             "github.com_a_b",
		"runtime.gcStart":                   "runtime",
		"_rt0_wasm_js":                      "_rt0_wasm_js",
	} {
		if got := packageOf(name); got != want {
			t.Errorf("packageOf(%q) = %q, want %q", name, got, want)
		}
	}
}
