package eventsource

import "github.com/ssewasm/eventsource/internal/core"

// Event is a message event of the stream.
type Event struct {
	// Type is the event type: the stream's "event" field, or "message" when it named none.
	Type string
	// Data is the event's data, its lines joined with "\n".
	Data string
	// LastEventID is the last event ID string when the event was dispatched.
	LastEventID string
	// Origin is the serialized origin of the stream's final URL, after redirects.
	Origin string
}

// ReadyState is the state of an [EventSource].
type ReadyState = core.ReadyState

// The states of an [EventSource], as the standard numbers them.
const (
	StateConnecting = core.Connecting
	StateOpen       = core.Open
	StateClosed     = core.Closed
)

// Error is the error an [EventSource] reports when its connection drops (and is re-established:
// WillRetry is true) or fails for good.
type Error = core.Error

// Reason says why an [Error] happened.
type Reason = core.Reason

// The reasons of an [Error].
const (
	ReasonNetwork     = core.ReasonNetwork
	ReasonEndOfStream = core.ReasonEndOfStream
	ReasonHTTPStatus  = core.ReasonHTTPStatus
	ReasonContentType = core.ReasonContentType
	ReasonCORS        = core.ReasonCORS
	// ReasonURL: the URL cannot be fetched (its scheme is not http or https, or the
	// transport refuses it: see URLError).
	ReasonURL = core.ReasonURL
	// ReasonAborted: the fetch was aborted by something other than the EventSource (in a
	// page, window.stop()); see AbortError.
	ReasonAborted = core.ReasonAborted
	// ReasonIdleTimeout: nothing arrived for the idle timeout (see WithIdleTimeout).
	ReasonIdleTimeout = core.ReasonIdleTimeout
	// ReasonRetriesExhausted: the retry policy's attempts all failed (see WithRetryPolicy).
	ReasonRetriesExhausted = core.ReasonRetriesExhausted
	// ReasonHeaders: the function given to WithHeaderFunc failed, or gave an invalid header.
	ReasonHeaders = core.ReasonHeaders
)

// CORSError is returned by a [Transport] for a response that failed the CORS check, which fails
// the connection instead of re-establishing it.
type CORSError = core.CORSError

// URLError is returned by a [Transport] for a request it can never make, which fails the
// connection with [ReasonURL] instead of re-establishing it.
type URLError = core.URLError

// AbortError is returned by a [Transport] whose fetch something other than the EventSource
// aborted, which fails the connection with [ReasonAborted].
type AbortError = core.AbortError
