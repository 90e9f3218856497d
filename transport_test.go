//go:build !js

package eventsource_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ssewasm/eventsource"
)

// ctxKey is the key of a value the tests put in Open's context.
type ctxKey struct{}

// scriptedTransport answers every fetch with the same chunks (its body then ends with end, or,
// with hold, stays open until its context is done), or with err; it records what it saw of
// the contexts it was given.
type scriptedTransport struct {
	chunks []string
	end    error
	hold   bool
	err    error

	mu       sync.Mutex
	values   []any         // ctx.Value(ctxKey{}) of each Fetch
	streamed chan struct{} // receives when a Stream's context is done
	methods  []string      // of each request
	lastIDs  []string      // of each request
}

func (s *scriptedTransport) Fetch(ctx context.Context, req *eventsource.Request) (*eventsource.Response, error) {
	s.mu.Lock()
	s.values = append(s.values, ctx.Value(ctxKey{}))
	s.methods = append(s.methods, req.Method)
	s.lastIDs = append(s.lastIDs, req.LastEventID)
	s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	return &eventsource.Response{Status: 200, StatusText: "OK", ContentType: "text/event-stream", URL: req.URL, Body: &scriptedBody{s}}, nil
}

type scriptedBody struct{ t *scriptedTransport }

func (b *scriptedBody) Stream(ctx context.Context, consume func([]byte)) error {
	for _, c := range b.t.chunks {
		consume([]byte(c))
	}
	if !b.t.hold {
		return b.t.end
	}
	<-ctx.Done()
	if b.t.streamed != nil {
		b.t.streamed <- struct{}{}
	}
	return ctx.Err()
}

func (b *scriptedBody) Close() error { return nil }

// TestCustomTransport runs the EventSource over a Transport of the caller's: its events, its
// errors, and the contexts it gets (Open's values, done once the EventSource is closed).
func TestCustomTransport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		transport *scriptedTransport
		n         int // items to collect
		want      []string
	}{
		{"events, then the end of the body", &scriptedTransport{chunks: []string{"id: 1\ndata: a\n\n", "data: b\n", "\n"}, end: io.EOF}, 4,
			[]string{`message "a" id=1`, `message "b" id=1`, "error end-of-stream 200 retry=true", `message "a" id=1`}},
		{"a broken body", &scriptedTransport{chunks: []string{"data: a\n\n"}, end: errors.New("connection reset")}, 2,
			[]string{`message "a" id=`, "error network 200 retry=true"}},
		{"a CORS error, wrapped", &scriptedTransport{err: fmt.Errorf("fetching: %w", &eventsource.CORSError{Err: errors.New("no ACAO")})}, 1,
			[]string{"error cors 0 retry=false"}},
		{"a URL error", &scriptedTransport{err: &eventsource.URLError{Err: errors.New("credentials in the URL")}}, 1,
			[]string{"error url 0 retry=false"}},
		{"an abort by another", &scriptedTransport{err: &eventsource.AbortError{Err: errors.New("window.stop()")}}, 1,
			[]string{"error aborted 0 retry=false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.WithValue(context.Background(), ctxKey{}, "from Open")
			es, err := eventsource.Open(ctx, "http://127.0.0.1:1/sse", eventsource.WithTransport(tt.transport), eventsource.WithReconnectionTime(time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			defer es.Close()
			got := collect(t, es, func(items []string) bool { return len(items) == tt.n })
			equal(t, "items", got, tt.want)
			tt.transport.mu.Lock()
			defer tt.transport.mu.Unlock()
			for i, v := range tt.transport.values {
				if v != "from Open" {
					t.Errorf("fetch %d: ctx.Value = %v, want Open's context's value", i, v)
				}
				if tt.transport.methods[i] != "GET" {
					t.Errorf("fetch %d: method %q, want GET", i, tt.transport.methods[i])
				}
			}
			if ids := tt.transport.lastIDs; tt.name == "events, then the end of the body" && (len(ids) < 2 || ids[0] != "" || ids[1] != "1") {
				t.Errorf("the requests' last event IDs: %q, want \"\", then \"1\"", ids)
			}
		})
	}
}

// TestCustomTransportClose: Close, and the end of Open's context, end the body's Stream through
// its context.
func TestCustomTransportClose(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"Close", "Open's context"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			tr := &scriptedTransport{chunks: []string{"data: a\n\n"}, hold: true, streamed: make(chan struct{}, 1)}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			es, err := eventsource.Open(ctx, "http://127.0.0.1:1/sse", eventsource.WithTransport(tr))
			if err != nil {
				t.Fatal(err)
			}
			defer es.Close()
			for range es.Events() {
				break // the first message: the body is being streamed
			}
			if how == "Close" {
				go es.Close()
			} else {
				cancel()
			}
			select {
			case <-tr.streamed:
			case <-time.After(5 * time.Second):
				t.Fatalf("the body's Stream went on for 5 s after %s", how)
			}
		})
	}
}

// TestHeaderFuncContext: the header function gets Open's context.
func TestHeaderFuncContext(t *testing.T) {
	t.Parallel()
	got := make(chan any, 1)
	tr := &scriptedTransport{chunks: []string{"data: a\n\n"}, hold: true}
	ctx := context.WithValue(context.Background(), ctxKey{}, "from Open")
	es, err := eventsource.Open(ctx, "http://127.0.0.1:1/sse", eventsource.WithTransport(tr),
		eventsource.WithHeaderFunc(func(ctx context.Context) (map[string][]string, error) {
			select {
			case got <- ctx.Value(ctxKey{}):
			default:
			}
			return http.Header{"X-A": {"1"}}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	defer es.Close()
	select {
	case v := <-got:
		if v != "from Open" {
			t.Fatalf("the header function's ctx.Value = %v, want Open's context's value", v)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the header function was not called within 5 s")
	}
}

// TestWithTransportNil: a nil Transport is the default one, net/http.
func TestWithTransportNil(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) { stream(w, r, "data: over http\n\n", true, nil) })
	es, err := eventsource.Open(context.Background(), s.URL, eventsource.WithTransport(nil))
	if err != nil {
		t.Fatal(err)
	}
	defer es.Close()
	equal(t, "items", collect(t, es, func(items []string) bool { return len(items) == 1 }), []string{`message "over http" id=`})
}
