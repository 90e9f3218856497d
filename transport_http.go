//go:build !js

package eventsource

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/ssewasm/eventsource/internal/core"
)

// HTTPTransport fetches event streams with net/http.
type HTTPTransport struct {
	// Client sends the requests; nil means http.DefaultClient. It must not time out whole
	// requests (an event stream has no end): leave its Timeout zero.
	Client *http.Client
}

// WithHTTPClient makes the EventSource fetch with c (see [HTTPTransport]).
func WithHTTPClient(c *http.Client) Option { return WithTransport(&HTTPTransport{Client: c}) }

func defaultTransport() core.Transport { return engineTransport{&HTTPTransport{}} }

// Fetch sends req as the standard's request: a GET with Accept: text/event-stream, no caching,
// and Last-Event-ID when the last event ID is not empty (with the method, body and headers of
// the options, if any). Redirects are followed by the client.
func (t *HTTPTransport) Fetch(ctx context.Context, req *Request) (*Response, error) {
	var body io.Reader
	if req.Body != nil {
		body = bytes.NewReader(req.Body)
	}
	r, err := http.NewRequestWithContext(ctx, req.Method, req.URL, body)
	if err != nil {
		return nil, &URLError{Err: err} // an unparsable URL stays so
	}
	if r.URL.Scheme != "http" && r.URL.Scheme != "https" {
		// net/http fetches nothing else (a data: URL, say), and never will.
		return nil, &URLError{Err: fmt.Errorf("eventsource: %s: net/http fetches only http and https URLs", req.URL)}
	}
	for name, values := range req.Header {
		r.Header[http.CanonicalHeaderKey(name)] = values
	}
	r.Header.Set("Accept", "text/event-stream")
	r.Header.Set("Cache-Control", "no-cache")
	if req.LastEventID != "" {
		r.Header.Set("Last-Event-ID", req.LastEventID)
	}
	c := t.Client
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(r)
	if err != nil {
		return nil, err
	}
	return &Response{
		Status:      resp.StatusCode,
		StatusText:  strings.TrimPrefix(resp.Status, strconv.Itoa(resp.StatusCode)+" "),
		ContentType: strings.Join(resp.Header.Values("Content-Type"), ", "),
		URL:         resp.Request.URL.String(),
		RetryAfter:  resp.Header.Get("Retry-After"),
		Body:        ReaderBody(resp.Body),
	}, nil
}
