package eventsource

import (
	"context"
	"io"

	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
)

// Transport fetches event streams; see [WithTransport].
type Transport interface {
	// Fetch sends req and returns the response once its headers have arrived. An error means
	// a network error, or one of [CORSError], [URLError] and [AbortError]. Fetch must return
	// promptly with ctx's error once ctx is done, and so must the body's Stream.
	Fetch(ctx context.Context, req *Request) (*Response, error)
}

// Request is one fetch of an event stream, as a [Transport] receives it.
type Request = core.Request

// Response is what a [Transport] returns for a [Request].
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

// Body is the body of a [Response], which pushes its chunks to the EventSource as they
// arrive; [ReaderBody] makes one of an [io.ReadCloser].
type Body interface {
	// Stream calls consume with each chunk of the body, one call at a time, and returns once
	// the body has ended (io.EOF), broken (another error), or ctx is done (ctx's error). A
	// chunk is only valid during the call. Stream is called at most once.
	Stream(ctx context.Context, consume func(chunk []byte)) error
	// Close releases the body; the connection must not be reused for another stream.
	Close() error
}

// ReaderBody returns the [Body] of r (an [net/http.Response]'s Body, say), which the
// EventSource reads 64 KiB at most at a time.
func ReaderBody(r io.ReadCloser) Body { return readerBody{r} }

type readerBody struct{ r io.ReadCloser }

func (b readerBody) Stream(ctx context.Context, consume func([]byte)) error {
	return core.ReadChunks(ctx, b.r, consume)
}

func (b readerBody) Close() error { return b.r.Close() }

// engineTransport is a Transport as the engine takes one: its contexts are cancel.Scopes, which
// are context.Contexts (see package cancel for why the engine's interfaces do not name them so).
type engineTransport struct{ t Transport }

func (e engineTransport) Fetch(ctx *cancel.Scope, req *core.Request) (*core.Response, error) {
	r, err := e.t.Fetch(ctx, req)
	if err != nil {
		return nil, err
	}
	return &core.Response{Status: r.Status, StatusText: r.StatusText, ContentType: r.ContentType,
		URL: r.URL, RetryAfter: r.RetryAfter, Body: engineBody{r.Body}}, nil
}

// engineBody is a Body as the engine takes one.
type engineBody struct{ b Body }

func (e engineBody) Stream(ctx *cancel.Scope, consume func([]byte)) error {
	return e.b.Stream(ctx, consume)
}

func (e engineBody) Close() error { return e.b.Close() }
