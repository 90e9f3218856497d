//go:build js && wasm

package eventsource_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ssewasm/eventsource"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// These tests run the Go API compiled to WebAssembly, over the host's fetch(), under Node.js.
// TestGoWasmAPI (gowasmapi_test.go) builds and runs them with SSE_SERVER set to a Go test server.

func sseServer(t *testing.T) string {
	t.Helper()
	s := os.Getenv("SSE_SERVER")
	if s == "" {
		t.Fatal("SSE_SERVER is not set: run these through the native TestGoWasmAPI")
	}
	return s
}

func TestWasmEventsAndReconnect(t *testing.T) {
	server := sseServer(t)
	seq := "body=" + url.QueryEscape("retry: 20\nid: 1\nevent: add\ndata: one\n\n") + "|hold=forever&body=" + url.QueryEscape("data: two\n\n")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	es, err := eventsource.Open(ctx, server+"/sse?key=wasm-"+fmt.Sprint(time.Now().UnixNano())+"&seq="+url.QueryEscape(seq),
		eventsource.WithHeader(map[string][]string{"X-Token": {"t"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer es.Close()
	var got []string
	for ev, err := range es.Events() {
		if err != nil {
			var e *eventsource.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *eventsource.Error", err)
			}
			got = append(got, fmt.Sprintf("error %s retry=%v", e.Reason, e.WillRetry))
		} else {
			got = append(got, fmt.Sprintf("%s %s id=%s origin=%s", ev.Type, ev.Data, ev.LastEventID, ev.Origin))
		}
		if len(got) == 3 {
			break
		}
	}
	want := []string{
		"add one id=1 origin=" + server,
		"error end-of-stream retry=true",
		"message two id=1 origin=" + server,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	if es.ReadyState() != eventsource.StateOpen {
		t.Errorf("readyState = %v, want OPEN", es.ReadyState())
	}
}

func TestWasmFails(t *testing.T) {
	server := sseServer(t)
	es, err := eventsource.Open(context.Background(), server+"/sse?status=500")
	if err != nil {
		t.Fatal(err)
	}
	defer es.Close()
	for _, err := range es.Events() {
		var e *eventsource.Error
		if !errors.As(err, &e) || e.Reason != eventsource.ReasonHTTPStatus || e.Status != 500 || e.WillRetry {
			t.Fatalf("got %v, want a final http-status 500 error", err)
		}
	}
	if es.ReadyState() != eventsource.StateClosed {
		t.Errorf("readyState = %v, want CLOSED", es.ReadyState())
	}
}

// TestWasmCloseReleasesCallbacks closes a source whose response has been read to its end, with
// a read outstanding: the body's callbacks must be released all the same (Node.js 20 leaves
// such a read pending after the fetch is aborted).
func TestWasmCloseReleasesCallbacks(t *testing.T) {
	server := sseServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	unit := "data: " + strings.Repeat("x", 58) + "\n\n"
	es, err := eventsource.Open(ctx, server+"/sse?repeat=1000&body="+url.QueryEscape(unit)+"&tail="+url.QueryEscape("data: last\n\n"))
	if err != nil {
		t.Fatal(err)
	}
	for ev, err := range es.Events() {
		if err != nil {
			t.Fatalf("error before the last event: %v", err)
		}
		if ev.Data == "last" {
			break
		}
	}
	es.Close()
	for deadline := time.Now().Add(3 * time.Second); jsfunc.LiveFuncs() != 0 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if n := jsfunc.LiveFuncs(); n != 0 {
		t.Fatalf("%d callbacks left after Close, want 0", n)
	}
}
