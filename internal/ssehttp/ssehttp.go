// Package ssehttp holds what the project's Go servers that stream events share (the demo in
// cmd/demo and the benchmark in cmd/bench).
package ssehttp

import "net/http"

// StartStream writes the headers of an event stream (200, text/event-stream, not to be cached)
// and flushes them, so that the client sees the connection open before the first event. It
// returns the controller to flush the events with.
func StartStream(w http.ResponseWriter) *http.ResponseController {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush()
	return rc
}
