//go:build js && wasm

package fetch

import (
	"os"
	"testing"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
)

// TestRequestInitMatchesTheShim checks that RequestInit, the Go API's builder of RequestInits,
// builds what the shim's (js/shim/request.js), which builds every request of the polyfill,
// builds from the description Transport.Request gets, for requests of every kind.
func TestRequestInitMatchesTheShim(t *testing.T) {
	src, err := os.ReadFile("../../js/shim/request.js")
	if err != nil {
		t.Fatal(err)
	}
	function, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	// The shim's file runs alone here, in a function of its own (build.sh joins it with the
	// others inside one).
	load, err := function.New(string(src) + "\nreturn requestInit;")
	if err != nil {
		t.Fatal(err)
	}
	shimInit, err := load.Invoke()
	if err != nil {
		t.Fatal(err)
	}
	// canonical serializes a RequestInit with its keys sorted, a Uint8Array as its bytes, and
	// the signal as whether it is the one given.
	canonical, err := function.New("init", "signal", `
		const sort = (v) => v instanceof Uint8Array ? Array.from(v)
			: v === signal ? "the signal"
			: v && typeof v === "object" ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sort(x)]))
			: v;
		return JSON.stringify(sort(init));`)
	if err != nil {
		t.Fatal(err)
	}
	ctrl, err := newAbortController(cancel.Root(), safejs.Undefined())
	if err != nil {
		t.Fatal(err)
	}
	defer ctrl.stop()
	tests := []struct {
		name  string
		req   core.Request
		probe []string
	}{
		{"the first request", core.Request{URL: "http://127.0.0.1:1/s"}, nil},
		{"with credentials and a last event ID", core.Request{URL: "http://127.0.0.1:1/s", WithCredentials: true, LastEventID: "7 é☃"}, nil},
		{"options", core.Request{
			URL: "http://127.0.0.1:1/s", Method: "POST", Body: []byte(`{"a":1}`),
			Header: map[string][]string{"x-token": {"a", "b"}, "x-name": {"é"}},
		}, nil},
		{"an empty body", core.Request{URL: "http://127.0.0.1:1/s", Method: "POST", Body: []byte{}}, nil},
		{"the no-cors probe", core.Request{URL: "http://127.0.0.1:1/s", Method: "POST", Body: []byte("x")}, []string{"no-cors"}},
		{"the same-origin probe", core.Request{URL: "http://127.0.0.1:1/s", WithCredentials: true}, []string{"same-origin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			goInit, err := RequestInit(&tt.req, ctrl.signal, tt.probe...)
			if err != nil {
				t.Fatal(err)
			}
			args, err := description(&tt.req, ctrl.signal, tt.probe...)
			if err != nil {
				t.Fatal(err)
			}
			jsInit, err := shimInit.Invoke(args[1:]...) // all but the URL
			if err != nil {
				t.Fatal(err)
			}
			want, err1 := canonical.Invoke(goInit, ctrl.signal)
			got, err2 := canonical.Invoke(jsInit, ctrl.signal)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			w, _ := want.String()
			g, _ := got.String()
			if g != w {
				t.Errorf("the shim's RequestInit:\n %s\ninternal/fetch's:\n %s", g, w)
			}
		})
	}
}
