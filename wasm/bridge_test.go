//go:build js && wasm

package main

import (
	"context"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// fakeShim is the shim's side of the bridge, in JavaScript, as js/shim/run.js makes it but
// without the module's memory: request builds each fetch as the shim does (the test server is
// a data: URL), and deliver and reply record the batches (deliver gets them as places in Go's
// memory, which this test cannot read: it records that they came). Its readLoop is the simplest
// the contract of fetch.Transport.ReadLoop allows: one read() pending, and every chunk handed to
// fulfilled rather than copied into Go's buffer.
const fakeShim = `
	const shim = {
		got: [],
		ready() { this.isReady = true; },
		report(msg) { this.got.push("report:" + msg); },
		request(url, method, headers, lastEventId, body, withCredentials, signal) {
			return fetch(url, { method: method || "GET", signal });
		},
		readLoop(body, id, fulfilled, rejected, reply, signal) {
			const reader = body.getReader();
			let over = false;
			const fail = (err) => { if (!over) { over = true; rejected(err); } };
			signal.addEventListener("abort", () => fail(signal.reason));
			const next = () => reader.read().then(({ value, done }) => {
				if (over) return;
				over = done;
				fulfilled(done ? { done } : { value });
				if (!done) next();
			}, fail);
			next();
		},
	};
	return shim;`

// newTestBridge installs a bridge on a fake shim and returns both.
func newTestBridge(t *testing.T) (*bridge, safejs.Value) {
	t.Helper()
	function, err := safejs.Global().Get("Function")
	if err != nil {
		t.Fatal(err)
	}
	build, err := function.New(fakeShim)
	if err != nil {
		t.Fatal(err)
	}
	shim, err := build.Invoke()
	if err != nil {
		t.Fatal(err)
	}
	b := newBridge(shim)
	if err := b.install(); err != nil {
		t.Fatal(err)
	}
	if ready, _ := shim.Get("isReady"); ready.IsUndefined() {
		t.Fatal("install did not call ready()")
	}
	return b, shim
}

// deliverer is a JavaScript function deliver(at, r, lastAt, lastR) that reads the batch and
// the field beside it from Go's memory during the call, as the shim does (wasmabi.Text: r / 2
// bytes at at), and sends them, joined by "|" when there is a field beside.
func deliverer(t *testing.T, into chan<- string) safejs.Value {
	t.Helper()
	text := func(at, r safejs.Value) string {
		a, _ := at.Int()
		n, _ := r.Int()
		if n == 0 {
			return ""
		}
		// In wasm, an address in the module's memory is a Go pointer.
		return string(unsafe.Slice((*byte)(unsafe.Add(nil, a)), n/2))
	}
	f, err := jsfunc.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		s := text(args[0], args[1])
		if last := text(args[2], args[3]); last != "" {
			s += "|" + last
		}
		into <- s
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Release)
	return f.Value()
}

// TestBridgeOpenAndClose drives the commands of the protocol (internal/protocol: open, close)
// through the bridge's functions, as the shim calls them, and checks what comes back.
func TestBridgeOpenAndClose(t *testing.T) {
	b, shim := newTestBridge(t)
	open, _ := shim.Get("open")
	closeFn, _ := shim.Get("close")
	delivered := make(chan string, 16)
	deliver := deliverer(t, delivered)
	undef := safejs.Undefined()
	// An event stream that ends: its batches come, then an error record (end-of-stream), and
	// the source reconnects, until close.
	url := "data:text/event-stream,retry:%2060000%0Adata:%20hi%0A%0A"
	result, err := open.Invoke(7, url, false, deliver, undef, undef, undef, deliver, undef)
	if err != nil || !result.IsUndefined() && !result.IsNull() {
		s, _ := result.String()
		t.Fatalf("open: %v, %q", err, s)
	}
	// The records (internal/protocol): the connection opens (a data: URL's origin is "null"),
	// the message, and the error of its end, with the stream's retry of 60 s.
	want := []string{"null\ro", "hi\rd", "end-of-stream\r200\rOK\r60000\r\re"}
	var got []string
	deadline := time.After(5 * time.Second)
	for len(strings.Join(got, "")) < len(strings.Join(want, "")) {
		select {
		case batch := <-delivered:
			got = append(got, batch)
		case <-deadline:
			t.Fatalf("batches after 5 s: %q, want %q", got, want)
		}
	}
	if strings.Join(got, "") != strings.Join(want, "") {
		t.Errorf("batches: %q, want the records %q", got, want)
	}
	b.mu.Lock()
	_, running := b.sources[7]
	b.mu.Unlock()
	if !running {
		t.Fatal("source 7 is not running after open")
	}
	if _, err := closeFn.Invoke(7); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		b.mu.Lock()
		_, running = b.sources[7]
		b.mu.Unlock()
		if !running {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("source 7 still runs 5 s after close")
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// TestBridgeOpenRefusesBadArguments checks that open reports a wrong call as an error string
// (which the shim logs), never a panic into JavaScript.
func TestBridgeOpenRefusesBadArguments(t *testing.T) {
	_, shim := newTestBridge(t)
	open, _ := shim.Get("open")
	for _, args := range [][]any{
		{},
		{"not a number", "http://127.0.0.1:1/", false, nil, nil, nil, nil, nil, nil},
	} {
		result, err := open.Invoke(args...)
		if err != nil {
			t.Errorf("open%v threw: %v", args, err)
			continue
		}
		if s, _ := result.String(); result.Type() != safejs.TypeString || s == "" {
			t.Errorf("open%v = %v, want an error string", args, result)
		}
	}
}
