//go:build !js

package eventsource_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssewasm/eventsource"
)

// server is an httptest SSE server whose nth request (from 0) is answered by handle, and which
// records the requests' Last-Event-ID headers and arrival times.
type server struct {
	*httptest.Server
	mu    sync.Mutex
	ids   []string
	times []time.Time
	gone  chan struct{} // receives when a handler sees its client go away
}

func newServer(t *testing.T, handle func(n int, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := &server{gone: make(chan struct{}, 16)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		n := len(s.ids)
		s.ids = append(s.ids, r.Header.Get("Last-Event-ID"))
		s.times = append(s.times, time.Now())
		s.mu.Unlock()
		if got := r.Header.Get("Accept"); got != "text/event-stream" {
			http.Error(w, "Accept: "+got, http.StatusBadRequest)
			return
		}
		handle(n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() ([]string, []time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ids...), append([]time.Time(nil), s.times...)
}

// stream writes body as an event stream and then holds the response open until the client
// goes away (hold) or ends it.
func stream(w http.ResponseWriter, r *http.Request, body string, hold bool, gone chan<- struct{}) {
	w.Header().Set("Content-Type", "text/event-stream")
	fmt.Fprint(w, body)
	w.(http.Flusher).Flush()
	if hold {
		<-r.Context().Done()
		if gone != nil {
			gone <- struct{}{}
		}
	}
}

// collect reads items from es until stop says so or 10 seconds pass.
func collect(t *testing.T, es *eventsource.EventSource, stop func(items []string) bool) []string {
	t.Helper()
	var items []string
	timeout := time.AfterFunc(10*time.Second, func() { es.Close() })
	defer timeout.Stop()
	for ev, err := range es.Events() {
		if err != nil {
			var e *eventsource.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *eventsource.Error", err)
			}
			items = append(items, fmt.Sprintf("error %s %d retry=%v", e.Reason, e.Status, e.WillRetry))
		} else {
			items = append(items, fmt.Sprintf("%s %q id=%s", ev.Type, ev.Data, ev.LastEventID))
		}
		if stop(items) {
			break
		}
	}
	return items
}

func equal(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s:\n%s\nwant\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestReconnectWithLastEventID: the server drops the stream; the client re-establishes it after
// the reconnection time with the last event ID, and events carry on.
func TestReconnectWithLastEventID(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch n {
		case 0:
			stream(w, r, "retry: 50\nid: 1\ndata: one\n\nid: 2\nevent: two\ndata: 2a\ndata: 2b\n\ndata: cut", false, nil)
		default:
			stream(w, r, "data: three\n\n", true, nil)
		}
	})
	es, err := eventsource.Open(context.Background(), s.URL, eventsource.WithReconnectionTime(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	defer es.Close()
	got := collect(t, es, func(items []string) bool { return len(items) == 4 })
	equal(t, "events", got, []string{
		`message "one" id=1`,
		`two "2a\n2b" id=2`,
		"error end-of-stream 200 retry=true",
		`message "three" id=2`,
	})
	if es.ReadyState() != eventsource.StateOpen {
		t.Errorf("readyState = %v, want OPEN", es.ReadyState())
	}
	ids, times := s.requests()
	equal(t, "Last-Event-ID of the requests", ids, []string{"", "2"})
	// retry: 50 replaced the hour given at Open, so the reconnection came quickly but not early.
	if gap := times[1].Sub(times[0]); gap < 50*time.Millisecond || gap > 5*time.Second {
		t.Errorf("reconnected after %v, want about 50ms", gap)
	}
}

// TestFailTheConnection: any status but 200, and any type but text/event-stream, fail the
// connection: one error with WillRetry false, the end of Events, readyState CLOSED, and no
// second request.
func TestFailTheConnection(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		handle func(w http.ResponseWriter, r *http.Request)
		want   string
	}{
		{"204", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }, "error http-status 204 retry=false"},
		{"500", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			w.WriteHeader(500)
		}, "error http-status 500 retry=false"},
		{"404", http.NotFound, "error http-status 404 retry=false"},
		{"wrong type", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprint(w, "data: x\n\n")
		}, "error content-type 200 retry=false"},
		{"redirect to wrong type", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				http.Redirect(w, r, "/moved", http.StatusFound)
				return
			}
			w.Header().Set("Content-Type", "text/html")
		}, "error content-type 200 retry=false"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) { tc.handle(w, r) })
			es, err := eventsource.Open(context.Background(), s.URL, eventsource.WithReconnectionTime(time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			defer es.Close()
			got := collect(t, es, func([]string) bool { return false })
			equal(t, "items", got, []string{tc.want})
			if es.ReadyState() != eventsource.StateClosed {
				t.Errorf("readyState = %v, want CLOSED", es.ReadyState())
			}
			time.Sleep(20 * time.Millisecond) // a reconnection would come after 1ms
			if ids, _ := s.requests(); len(ids) != 1+btoi(tc.name == "redirect to wrong type") {
				t.Errorf("%d requests, want no reconnection", len(ids))
			}
		})
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRedirectOrigin: events carry the origin of the final URL.
func TestRedirectOrigin(t *testing.T) {
	t.Parallel()
	target := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) { stream(w, r, "data: x\n\n", true, nil) })
	s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+"/sse", http.StatusTemporaryRedirect)
	})
	es, err := eventsource.Open(context.Background(), s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer es.Close()
	for ev, err := range es.Events() {
		if err != nil {
			t.Fatal(err)
		}
		if ev.Origin != target.URL {
			t.Fatalf("origin = %q, want %q", ev.Origin, target.URL)
		}
		break
	}
}

// TestCloseStopsEverything: Close aborts the request (the server sees the client go away),
// ends Events, leaves readyState CLOSED, and no reconnection follows.
func TestCloseStopsEverything(t *testing.T) {
	t.Parallel()
	var s *server
	s = newServer(t, func(n int, w http.ResponseWriter, r *http.Request) { stream(w, r, "data: a\n\n", true, s.gone) })
	es, err := eventsource.Open(context.Background(), s.URL, eventsource.WithReconnectionTime(time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	for range es.Events() {
		break
	}
	es.Close()
	select {
	case <-s.gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not see the client go away within 5s of Close")
	}
	if es.ReadyState() != eventsource.StateClosed {
		t.Errorf("readyState = %v, want CLOSED", es.ReadyState())
	}
	for ev, err := range es.Events() {
		t.Fatalf("after Close, Events yielded %v, %v", ev, err)
	}
	time.Sleep(20 * time.Millisecond)
	if ids, _ := s.requests(); len(ids) != 1 {
		t.Errorf("%d requests, want 1", len(ids))
	}
}

// TestContextCancelCloses: cancelling Open's context closes the source.
func TestContextCancelCloses(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) { stream(w, r, "", true, nil) })
	ctx, cancel := context.WithCancel(context.Background())
	es, err := eventsource.Open(ctx, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	done := make(chan struct{})
	go func() {
		for range es.Events() {
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Events did not end within 5s of the context's cancellation")
	}
}

func TestOpenInvalid(t *testing.T) {
	t.Parallel()
	for _, u := range []string{"", "/relative", "http://a b/", "::"} {
		if es, err := eventsource.Open(context.Background(), u); err == nil {
			es.Close()
			t.Errorf("Open(%q) succeeded, want an error", u)
		}
	}
	if _, err := eventsource.Open(context.Background(), "http://127.0.0.1:1/", eventsource.WithReconnectionTime(-1)); err == nil {
		t.Error("Open with a negative reconnection time succeeded, want an error")
	}
}

// TestOptions: method, body, headers (renewed per request) and the last event ID as a query
// parameter reach the server on the first request and on the reconnection.
func TestOptions(t *testing.T) {
	t.Parallel()
	type seen struct{ method, body, auth, query, lastID string }
	var mu sync.Mutex
	var got []seen
	s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, seen{r.Method, string(body), r.Header.Get("Authorization"), r.URL.RawQuery, r.Header.Get("Last-Event-ID")})
		mu.Unlock()
		stream(w, r, fmt.Sprintf("retry: 1\nid: %d\ndata: x\n\n", n+1), n > 0, nil)
	})
	token := 0
	es, err := eventsource.Open(context.Background(), s.URL+"/sse?a=1",
		eventsource.WithMethod("POST", []byte(`{"q":1}`)),
		eventsource.WithHeaderFunc(func(context.Context) (map[string][]string, error) {
			token++
			return http.Header{"Authorization": {fmt.Sprintf("Bearer %d", token)}}, nil
		}),
		eventsource.WithLastEventIDParam("last"))
	if err != nil {
		t.Fatal(err)
	}
	defer es.Close()
	collect(t, es, func(items []string) bool { return len(items) == 3 })
	mu.Lock()
	defer mu.Unlock()
	want := []seen{{"POST", `{"q":1}`, "Bearer 1", "a=1", ""}, {"POST", `{"q":1}`, "Bearer 2", "a=1&last=1", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the server saw %+v, want %+v", got, want)
	}
}

// TestRetryPolicy: with RetryHTTP a 503 is retried after its Retry-After; MaxAttempts ends it.
func TestRetryPolicy(t *testing.T) {
	t.Parallel()
	s := newServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "0")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	es, err := eventsource.Open(context.Background(), s.URL, eventsource.WithReconnectionTime(time.Millisecond),
		eventsource.WithRetryPolicy(eventsource.RetryPolicy{RetryHTTP: true, MaxAttempts: 2, Factor: 2}))
	if err != nil {
		t.Fatal(err)
	}
	defer es.Close()
	got := collect(t, es, func([]string) bool { return false })
	equal(t, "items", got, []string{
		"error http-status 503 retry=true",
		"error http-status 503 retry=true",
		"error retries-exhausted 503 retry=false",
	})
	if ids, _ := s.requests(); len(ids) != 3 {
		t.Errorf("%d requests, want 3", len(ids))
	}
	if _, err := eventsource.Open(context.Background(), s.URL, eventsource.WithRetryPolicy(eventsource.RetryPolicy{Jitter: 2})); err == nil || !strings.Contains(err.Error(), "retry.jitter") {
		t.Errorf("Open with jitter 2: %v, want an error naming retry.jitter", err)
	}
}
