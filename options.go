package eventsource

import (
	"time"

	"github.com/ssewasm/eventsource/internal/core"
)

// An Option configures an [EventSource] at [Open].
type Option func(*options)

type options struct {
	cfg       core.Config
	transport Transport
}

// WithTransport makes the EventSource fetch through t instead of the default: net/http's
// default client natively, fetch() in WebAssembly.
func WithTransport(t Transport) Option {
	return func(o *options) { o.transport = t }
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
