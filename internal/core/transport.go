package core

import (
	"io"

	"github.com/ssewasm/eventsource/internal/cancel"
)

// Request is one fetch of the event stream, as the processing model builds it (HTML §9.2.2, the
// EventSource constructor, and §9.2.3, "reestablish the connection" step 6).
type Request struct {
	// URL is the absolute URL of the event stream.
	URL string
	// LastEventID, when not empty, is sent as the Last-Event-ID header.
	LastEventID string
	// WithCredentials selects the credentials mode "include" instead of "same-origin".
	WithCredentials bool
	// Method is the request method: "GET" unless an option chose another.
	Method string
	// Body, when not nil, is the request body.
	Body []byte
	// Header holds extra request headers an option supplied (nil for none).
	Header map[string][]string
	// Opened is true when the source has been open with a response from this URL (the
	// request's URL without the last event ID's query parameter): the server passed the
	// checks then, so a network error now is not taken for a CORS failure (see CORSError).
	Opened bool
}

// Response is what a Transport got back: the status and headers, and the body to read.
type Response struct {
	// Status is the HTTP status code of the final response, after redirects.
	Status int
	// StatusText is its reason phrase, if the transport knows it.
	StatusText string
	// ContentType is the value of its Content-Type header ("" if absent).
	ContentType string
	// URL is the final URL, after redirects; the origin of message events derives from it.
	URL string
	// RetryAfter is the value of its Retry-After header ("" if absent).
	RetryAfter string
	// Body is the response body.
	Body Body
}

// Body is a response body, pushed chunk by chunk. (The Go API's Body is the same with a
// context.Context; the engine's contexts are cancel.Scopes, so that no context.Context is in a
// method type of the wasm: see package cancel.)
type Body interface {
	// Stream calls consume with each chunk of the body, one call at a time, on whichever
	// goroutine the transport receives it (the fetch() transport: in read()'s callback, so that
	// a chunk is parsed without a hand-over between goroutines), and returns once the body has
	// ended (io.EOF), broken (another error), or ctx is done (ctx's error). A chunk is only
	// valid during the call. Stream is called at most once.
	Stream(ctx *cancel.Scope, consume func(chunk []byte)) error
	// Close releases the body; the connection must not be reused for another stream.
	Close() error
}

// readSize is the size of the buffer ReadChunks reads chunks into.
const readSize = 64 << 10

// ReadChunks is the Stream of a body that is an io.Reader (net/http's response bodies): it reads
// r readSize bytes at a time and passes each chunk to consume, until r ends (io.EOF) or breaks,
// or ctx is done (ctx's error).
func ReadChunks(ctx cancel.Signal, r io.Reader, consume func([]byte)) error {
	buf := make([]byte, readSize)
	for {
		n, err := r.Read(buf)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if n > 0 {
			consume(buf[:n])
		}
		if err != nil {
			return err
		}
	}
}

// Transport fetches event streams: the Go API's Transport (net/http by default, natively), or
// fetch() in the polyfill.
type Transport interface {
	// Fetch sends req and returns the response once its headers have arrived. An error means
	// a network error (or, where the transport can tell, a CORS failure: see CORSError). Fetch
	// must return promptly with ctx's error once ctx is done, and so must reads of the body.
	Fetch(ctx *cancel.Scope, req *Request) (*Response, error)
}

// CORSError marks a transport error as a failed CORS check, which fails the connection
// instead of re-establishing it. A transport must never conclude it from one failure that a
// transient fault could cause too: a connection that fails for good because a server blinked
// is the worst bug a long-lived connection can have.
type CORSError struct{ Err error }

// Error returns the underlying error's message.
func (e *CORSError) Error() string { return "CORS check failed: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *CORSError) Unwrap() error { return e.Err }

// URLError marks a request that can never be made (fetch() refuses a URL with credentials,
// say): the connection fails with ReasonURL instead of being re-established forever.
type URLError struct{ Err error }

// Error returns the underlying error's message.
func (e *URLError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *URLError) Unwrap() error { return e.Err }

// AbortError marks a transport error as the abort of the fetch by something other than the
// source (the page's window.stop(), say): HTML §9.2.3, "if res is an aborted network error,
// then fail the connection". The source's own aborts (close(), the idle timeout) are told apart
// by its context.
type AbortError struct{ Err error }

// Error returns the underlying error's message.
func (e *AbortError) Error() string { return "aborted: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *AbortError) Unwrap() error { return e.Err }
