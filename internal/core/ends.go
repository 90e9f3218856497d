package core

import (
	"time"

	"github.com/ssewasm/eventsource/internal/cancel"
)

// The ways a connection ends, each in a function of its own: a function's code is compiled
// at its first call (V8 compiles wasm lazily), and a page's first connection, which opens,
// needs none of them.

// fetchFailed returns the error event of a fetch that failed (res is a network error), and
// whether the connection is re-established.
func fetchFailed(conn *cancel.Scope, req *Request, err error) (*Error, bool) {
	switch {
	case conn.Cause() == errIdle:
		return &Error{Reason: ReasonIdleTimeout, URL: req.URL}, true
	case isError[*CORSError](err):
		return &Error{Reason: ReasonCORS, URL: req.URL, Err: err}, false
	case isError[*URLError](err):
		return &Error{Reason: ReasonURL, URL: req.URL, Err: err}, false
	case aborted(err):
		return &Error{Reason: ReasonAborted, URL: req.URL, Err: err}, false
	}
	// "Otherwise, if res is a network error, then reestablish the connection".
	return &Error{Reason: ReasonNetwork, URL: req.URL, Err: err}, true
}

// refused returns the error event of a response that is not an event stream (its status is
// not 200, or its Content-Type not text/event-stream), and whether the retry policy
// re-establishes the connection (5xx and 429, with retryServerErrors).
func (s *Source) refused(req *Request, resp *Response) (*Error, bool) {
	e := &Error{Reason: ReasonHTTPStatus, Status: resp.Status, StatusText: resp.StatusText, URL: req.URL}
	if resp.Status == 200 {
		e.Reason = ReasonContentType
	}
	if s.cfg.Retry.RetryHTTP && retryable(resp.Status) {
		e.retryAfter = parseRetryAfter(resp.RetryAfter, time.Now())
		return e, true
	}
	return e, false
}

// bodyEnded returns the error event of a connection whose body ended (the fetch "completed")
// or broke (err), and whether the connection is re-established: it is, either way (§9.2.3:
// "This applies whether the connection is closed gracefully or unexpectedly"), unless the
// page aborted it.
func bodyEnded(conn *cancel.Scope, req *Request, resp *Response, err error) (*Error, bool) {
	if conn.Cause() == errAborted {
		err = &AbortError{Err: errAborted}
	}
	e := &Error{Reason: ReasonEndOfStream, Status: resp.Status, StatusText: resp.StatusText, URL: req.URL}
	switch {
	case conn.Cause() == errIdle:
		e.Reason = ReasonIdleTimeout
	case aborted(err):
		// Aborted by the page (window.stop()), not by the source: Chromium's and Firefox's
		// EventSource fail the connection then.
		e.Reason, e.Err = ReasonAborted, err
		return e, false
	case !isEOF(err):
		e.Reason, e.Err = ReasonNetwork, err
	}
	return e, true
}
