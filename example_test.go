//go:build !js

package eventsource_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"time"

	"github.com/ssewasm/eventsource"
)

// exampleServer serves one short event stream, then 503 Service Unavailable.
func exampleServer() *httptest.Server {
	var n atomic.Int32
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 1 {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, "retry: 10\n\nid: 1\nevent: add\ndata: 73857293\n\nid: 2\ndata: line one\ndata: line two\n\n")
	}))
}

func Example() {
	srv := exampleServer()
	defer srv.Close()

	es, err := eventsource.Open(context.Background(), srv.URL)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	for ev, err := range es.Events() {
		if err != nil {
			var e *eventsource.Error
			if errors.As(err, &e) {
				fmt.Printf("error: %s, status %d, reconnecting: %v\n", e.Reason, e.Status, e.WillRetry)
			}
			continue // the sequence ends after an error that does not retry
		}
		fmt.Printf("%s %q (last event ID %s)\n", ev.Type, ev.Data, ev.LastEventID)
	}
	fmt.Println("readyState:", es.ReadyState())
	// Output:
	// add "73857293" (last event ID 1)
	// message "line one\nline two" (last event ID 2)
	// error: end-of-stream, status 200, reconnecting: true
	// error: http-status, status 503, reconnecting: false
	// readyState: CLOSED
}

func ExampleWithRetryPolicy() {
	srv := exampleServer()
	defer srv.Close()

	es, err := eventsource.Open(context.Background(), srv.URL,
		eventsource.WithReconnectionTime(5*time.Millisecond),
		eventsource.WithRetryPolicy(eventsource.RetryPolicy{
			Factor:      2,           // 5ms, 10ms, 20ms, ...
			MaxDelay:    time.Second, // but never more than a second
			MaxAttempts: 2,           // then give up
			RetryHTTP:   true,        // retry the 503s instead of failing
		}),
		eventsource.WithHeader(http.Header{"Authorization": {"Bearer token"}}),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer es.Close()
	for _, err := range es.Events() {
		var e *eventsource.Error
		if errors.As(err, &e) {
			fmt.Println(e.Reason, e.Status, e.WillRetry)
		}
	}
	// Output:
	// end-of-stream 200 true
	// http-status 503 true
	// retries-exhausted 503 false
}
