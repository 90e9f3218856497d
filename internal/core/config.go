package core

import (
	"time"

	"github.com/ssewasm/eventsource/internal/ascii"
	"github.com/ssewasm/eventsource/internal/cancel"
)

// DefaultReconnectionTime is the initial reconnection time. The standard leaves it to the user
// agent ("probably in the region of a few seconds"); this is Chromium's value.
const DefaultReconnectionTime = 3 * time.Second

// Config is what an EventSource is created with.
type Config struct {
	// URL is the absolute URL of the event stream.
	URL string
	// WithCredentials is the withCredentials flag of the init dictionary.
	WithCredentials bool
	// LastEventID is the initial last event ID string ("" by the standard).
	LastEventID string
	// ReconnectionTime is the initial reconnection time; 0 means DefaultReconnectionTime.
	ReconnectionTime time.Duration

	// The rest are extensions, all off in the zero value, where the behaviour is the
	// standard's.

	// Method is the request method; "" means GET.
	Method string
	// Body, when not nil, is sent with every request, the reconnections' too.
	Body []byte
	// Header, when not nil, is called before every request (reconnections too, so that an
	// expiring token can be renewed) for extra request headers. ctx is the context Run was
	// given.
	Header func(ctx cancel.Notifier) (map[string][]string, error)
	// Retry tunes re-establishing the connection.
	Retry RetryPolicy
	// IdleTimeout, when positive, is how long the connection may stay silent (not even a
	// comment arriving) before it is treated as lost and re-established.
	IdleTimeout time.Duration
	// LastEventIDParam, when not "", names a query parameter that carries the last event ID
	// instead of the Last-Event-ID header (which, cross-origin, forces a CORS preflight).
	LastEventIDParam string
}

// Validate reports an invalid field of c, naming it.
func (c *Config) Validate() error {
	switch {
	case c.ReconnectionTime < 0:
		return errorf("retry.initialDelay: %v is negative", c.ReconnectionTime)
	case c.IdleTimeout < 0:
		return errorf("idleTimeout: %v is negative", c.IdleTimeout)
	case c.Method != "" && !isToken(c.Method):
		return errorf("method: %q is not an HTTP method", c.Method)
	}
	return c.Retry.Validate()
}

// validateHeader reports a header name or value that no request can carry.
func validateHeader(h map[string][]string) error {
	for name, values := range h {
		if !isToken(name) {
			return errorf("headers: %q is not a header name", name)
		}
		for _, v := range values {
			if ascii.IndexAny(v, "\r\n\x00") >= 0 {
				return errorf("headers: the value of %q holds CR, LF or NUL", name)
			}
		}
	}
	return nil
}
