package core

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// Reason says why an error event fired.
type Reason string

// The reasons of error events.
const (
	// ReasonNetwork: the request failed or the connection broke (a network error).
	ReasonNetwork Reason = "network"
	// ReasonEndOfStream: the server ended the response body.
	ReasonEndOfStream Reason = "end-of-stream"
	// ReasonHTTPStatus: the response status was not 200.
	ReasonHTTPStatus Reason = "http-status"
	// ReasonContentType: the response's MIME type was not text/event-stream.
	ReasonContentType Reason = "content-type"
	// ReasonCORS: the response failed the CORS check.
	ReasonCORS Reason = "cors"
	// ReasonURL: the URL cannot be fetched: its scheme is not http or https, or the transport
	// refuses it (fetch() refuses a URL with credentials).
	ReasonURL Reason = "url"
	// ReasonIdleTimeout: nothing arrived for the idle timeout; the connection is treated as lost.
	ReasonIdleTimeout Reason = "idle-timeout"
	// ReasonRetriesExhausted: the retry policy's MaxAttempts attempts all failed.
	ReasonRetriesExhausted Reason = "retries-exhausted"
	// ReasonHeaders: the function that supplies request headers failed.
	ReasonHeaders Reason = "headers"
	// ReasonAborted: the fetch was aborted, not by the source: the page stopped loading
	// (window.stop()), or the polyfill's signal option aborted.
	ReasonAborted Reason = "aborted"
	// ReasonInternal: a bug of this package failed the connection (the error says which).
	ReasonInternal Reason = "internal"
)

// Error describes an error event: why it fired and whether a reconnection follows.
type Error struct {
	// Reason is why the error event fired.
	Reason Reason
	// Status and StatusText are the response's, when there was a response.
	Status     int
	StatusText string
	// WillRetry is true when the connection is being re-established (readyState CONNECTING),
	// false when it failed for good (readyState CLOSED).
	WillRetry bool
	// RetryIn is the delay before the next attempt, when WillRetry.
	RetryIn time.Duration
	// URL is the URL of the request that failed.
	URL string
	// Err is the underlying error, if any.
	Err error

	retryAfter time.Duration // what the response's Retry-After asked for
}

// Error describes the error in one line.
func (e *Error) Error() string {
	msg := "eventsource: " + e.URL + ": "
	switch e.Reason {
	case ReasonHTTPStatus:
		msg += "response status " + strconv.Itoa(e.Status)
		if e.StatusText != "" {
			msg += " " + e.StatusText
		}
	case ReasonContentType:
		msg += "response Content-Type is not text/event-stream"
	case ReasonEndOfStream:
		msg += "the server ended the stream"
	default:
		msg += string(e.Reason) + " error"
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.WillRetry {
		msg += " (reconnecting in " + e.RetryIn.String() + ")"
	}
	return msg
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// errorf makes an error that describes invalid configuration.
func errorf(format string, args ...any) error { return &ConfigError{msg: fmt.Sprintf(format, args...)} }

// ConfigError reports an invalid option, naming it.
type ConfigError struct{ msg string }

// Error returns the message, which begins with the option's name.
func (e *ConfigError) Error() string { return "eventsource: invalid option " + e.msg }

// aborted reports whether err is an abort of the fetch that the source did not ask for.
func aborted(err error) bool { return isError[*AbortError](err) }

// isEOF reports whether err's chain holds io.EOF, as errors.Is(err, io.EOF) finds it (but for
// Is methods, which no error of a body needs for io.EOF), without errors.Is, whose Is methods
// (syscall.Errno's) come into the wasm with it.
func isEOF(err error) bool { return inChain(err, func(e error) bool { return e == io.EOF }) }

// isError reports whether err's chain holds an E, as errors.As would find it (but for an As
// method, which no error of a transport needs), without errors.As's reflection: the wasm has no
// reflectlite then.
func isError[E error](err error) bool {
	return inChain(err, func(e error) bool { _, ok := e.(E); return ok })
}

// inChain reports whether match holds for an error of err's chain, walked as errors.Is and
// errors.As walk it: Unwrap() error, and each of Unwrap() []error, depth first.
func inChain(err error, match func(error) bool) bool {
	for err != nil {
		if match(err) {
			return true
		}
		switch x := err.(type) {
		case interface{ Unwrap() error }:
			err = x.Unwrap()
		case interface{ Unwrap() []error }:
			for _, err := range x.Unwrap() {
				if inChain(err, match) {
					return true
				}
			}
			return false
		default:
			return false
		}
	}
	return false
}
