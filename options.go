package eventsource

import (
	"context"
	"time"

	"github.com/ssewasm/eventsource/internal/core"
)

// An Option configures an [EventSource] at [Open].
type Option func(*options)

type options struct {
	cfg       core.Config
	transport core.Transport                                         // nil for the default
	header    func(ctx context.Context) (map[string][]string, error) // WithHeaderFunc's: Open passes it its ctx
}

// WithTransport makes the EventSource fetch through t instead of the default: net/http's
// default client natively, fetch() in WebAssembly. A nil t keeps the default.
func WithTransport(t Transport) Option {
	return func(o *options) {
		o.transport = nil
		if t != nil {
			o.transport = engineTransport{t}
		}
	}
}

// WithCredentials sets the withCredentials flag: in WebAssembly, cross-origin requests then
// include credentials (cookies). It makes no difference natively.
func WithCredentials(withCredentials bool) Option {
	return func(o *options) { o.cfg.WithCredentials = withCredentials }
}

// WithLastEventID sets the initial last event ID, sent as Last-Event-ID on the first request.
func WithLastEventID(id string) Option {
	return func(o *options) { o.cfg.LastEventID = id }
}

// WithReconnectionTime sets the initial reconnection time (by default 3 seconds); the stream's
// "retry" field still changes it.
func WithReconnectionTime(d time.Duration) Option {
	return func(o *options) { o.cfg.ReconnectionTime = d }
}

// RetryPolicy tunes how a dropped connection is re-established; see [WithRetryPolicy]. Its
// zero value is the standard's behaviour.
type RetryPolicy = core.RetryPolicy

// WithRetryPolicy sets how the connection is re-established: exponential backoff with a cap
// and jitter, a limit on consecutive attempts (then the EventSource fails with
// [ReasonRetriesExhausted]), and whether 5xx and 429 responses are retried (honouring
// Retry-After) instead of failing. The stream's "retry" field still sets the base delay.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(o *options) { o.cfg.Retry = p }
}

// WithHeader adds h to every request. It takes an http.Header.
func WithHeader(h map[string][]string) Option {
	return WithHeaderFunc(func(context.Context) (map[string][]string, error) { return h, nil })
}

// WithHeaderFunc calls fn before every request, reconnections included, for headers to add to
// it, so that an expiring token can be renewed without losing the last event ID. An error from
// fn is reported as an [Error] with [ReasonHeaders], and the connection is retried.
func WithHeaderFunc(fn func(ctx context.Context) (map[string][]string, error)) Option {
	return func(o *options) { o.header = fn }
}

// WithMethod sends every request, reconnections included, with the given method and body
// (nil for none) instead of a GET.
func WithMethod(method string, body []byte) Option {
	return func(o *options) { o.cfg.Method, o.cfg.Body = method, body }
}

// WithIdleTimeout treats the connection as lost, and re-establishes it, when nothing at all
// (not even a comment) arrives for d: a half-open TCP connection never ends otherwise.
func WithIdleTimeout(d time.Duration) Option {
	return func(o *options) { o.cfg.IdleTimeout = d }
}

// WithLastEventIDParam sends the last event ID as the query parameter name instead of the
// Last-Event-ID header.
func WithLastEventIDParam(name string) Option {
	return func(o *options) { o.cfg.LastEventIDParam = name }
}
