// Package core is the EventSource processing model of the WHATWG HTML standard (§9.2.3,
// "Processing model"), in pure Go: the connection, its re-establishment and failure, the
// readyState, the reconnection time and the last event ID. It fetches through a [Transport]
// (net/http natively, fetch() in the browser) and reports what the EventSource fires to a
// [Handler], so the same code serves Go programs and the JavaScript polyfill.
package core

import (
	"context"
	"errors"
	"io"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/ssewasm/eventsource/internal/parse"
)

// ReadyState is the state of an EventSource (HTML §9.2.2).
type ReadyState int32

// The readyState values, as the IDL constants number them.
const (
	Connecting ReadyState = 0
	Open       ReadyState = 1
	Closed     ReadyState = 2
)

// String returns the IDL constant's name.
func (s ReadyState) String() string {
	switch s {
	case Connecting:
		return "CONNECTING"
	case Open:
		return "OPEN"
	case Closed:
		return "CLOSED"
	}
	return "ReadyState(" + strconv.Itoa(int(s)) + ")"
}

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
}

// Handler receives what an EventSource fires, in order, on the goroutine that runs
// [Source.Run]. Its methods are the tasks the standard queues.
type Handler interface {
	// Opened announces the connection: readyState is OPEN; fire "open". origin is the
	// serialized origin of the response's final URL, the origin of the messages that follow.
	Opened(origin string)
	// Message fires a message event. ev and its slices are valid only during the call.
	Message(ev *parse.Event)
	// Flush is called after the events parsed from one chunk of the body have been passed
	// to Message, so that a handler can hand them on in one batch.
	Flush()
	// Error fires "error": the connection is being re-established (err.WillRetry, readyState
	// CONNECTING) or it failed (readyState CLOSED, and nothing more is fired).
	Error(err *Error)
}

// Source is the connection of one EventSource.
type Source struct {
	cfg       Config
	transport Transport
	handler   Handler

	state     atomic.Int32
	parser    *parse.Parser
	reconnect time.Duration // the event stream's reconnection time
	buf       []byte
	done      <-chan struct{} // Run's ctx.Done(): once closed, no more events are fired
}

// readSize is the size of the buffer body chunks are read into.
const readSize = 64 << 10

// NewSource returns the connection of an EventSource created with cfg, in the CONNECTING state.
// Nothing happens until Run.
func NewSource(cfg Config, t Transport, h Handler) *Source {
	s := &Source{cfg: cfg, transport: t, handler: h, reconnect: cfg.ReconnectionTime}
	if s.reconnect <= 0 {
		s.reconnect = DefaultReconnectionTime
	}
	s.parser = parse.New((*parseHandler)(s), cfg.LastEventID)
	return s
}

// ReadyState returns the current readyState. It is safe to call from any goroutine.
func (s *Source) ReadyState() ReadyState { return ReadyState(s.state.Load()) }

// Run fetches the stream and keeps it going until the connection fails or ctx is done
// (the EventSource's close() aborts the fetch by cancelling ctx). Once ctx is done nothing more
// is reported to the handler. When Run returns, readyState is CLOSED.
func (s *Source) Run(ctx context.Context) {
	defer s.state.Store(int32(Closed))
	s.done = ctx.Done()
	for ctx.Err() == nil {
		req := &Request{URL: s.cfg.URL, LastEventID: s.parser.LastEventID(), WithCredentials: s.cfg.WithCredentials}
		resp, err := s.transport.Fetch(ctx, req)
		if ctx.Err() != nil {
			// "If res is an aborted network error, then fail the connection": close() has
			// already set readyState to CLOSED, so the failure's task does nothing.
			if err == nil {
				resp.Body.Close()
			}
			return
		}
		if err != nil {
			var cors *CORSError
			if errors.As(err, &cors) {
				s.fail(&Error{Reason: ReasonCORS, URL: req.URL, Err: err})
				return
			}
			// "Otherwise, if res is a network error, then reestablish the connection".
			if !s.reestablish(ctx, &Error{Reason: ReasonNetwork, URL: req.URL, Err: err}) {
				return
			}
			continue
		}
		// "Otherwise, if res's status is not 200, or if res's `Content-Type` is not
		// `text/event-stream`, then fail the connection."
		if resp.Status != 200 || !isEventStream(resp.ContentType) {
			resp.Body.Close()
			e := &Error{Reason: ReasonHTTPStatus, Status: resp.Status, StatusText: resp.StatusText, URL: req.URL}
			if resp.Status == 200 {
				e.Reason = ReasonContentType
			}
			s.fail(e)
			return
		}
		// "Otherwise, announce the connection and interpret res's body line by line."
		finalURL := resp.URL
		if finalURL == "" {
			finalURL = req.URL
		}
		s.state.Store(int32(Open))
		s.handler.Opened(Origin(finalURL))
		err = s.read(ctx, resp.Body)
		resp.Body.Close()
		if ctx.Err() != nil {
			return
		}
		// The body ended (the fetch "completed") or broke: either way the connection is
		// re-established (§9.2.3: "This applies whether the connection is closed gracefully or
		// unexpectedly").
		e := &Error{Reason: ReasonEndOfStream, Status: resp.Status, StatusText: resp.StatusText, URL: req.URL}
		if !errors.Is(err, io.EOF) {
			e.Reason, e.Err = ReasonNetwork, err
		}
		if !s.reestablish(ctx, e) {
			return
		}
	}
}

// read interprets the body line by line until it ends (io.EOF) or breaks.
func (s *Source) read(ctx context.Context, body Body) error {
	// A new stream: its buffers start empty, and pending data of the last one is discarded.
	s.parser.Reset()
	if s.buf == nil {
		s.buf = make([]byte, readSize)
	}
	for {
		n, err := body.Read(s.buf)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if n > 0 {
			s.parser.Feed(s.buf[:n])
			s.handler.Flush()
		}
		if err != nil {
			return err
		}
	}
}

// reestablish implements "reestablish the connection" (HTML §9.2.3) up to the new fetch, which
// the caller makes. It reports whether to go on: false once ctx is done.
func (s *Source) reestablish(ctx context.Context, e *Error) bool {
	// Step 1: if readyState is CLOSED, return (close() cancelled ctx).
	if ctx.Err() != nil {
		return false
	}
	// Step 2: queue a task: set readyState to CONNECTING and fire "error".
	e.WillRetry, e.RetryIn = true, s.reconnect
	s.state.Store(int32(Connecting))
	s.handler.Error(e)
	// Step 3: wait a delay equal to the reconnection time of the event source.
	t := time.NewTimer(s.reconnect)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
	}
	// Step 6: "if the EventSource object's readyState attribute is not set to CONNECTING,
	// then return" — that is, unless close() was called meanwhile.
	return ctx.Err() == nil
}

// fail implements "fail the connection" (HTML §9.2.3): readyState CLOSED, fire "error".
func (s *Source) fail(e *Error) {
	s.state.Store(int32(Closed))
	s.handler.Error(e)
}

// parseHandler is the Source as the parser's handler: events go to the Source's handler and
// retry fields set the reconnection time.
type parseHandler Source

// Event fires a message event unless the source was closed meanwhile, perhaps by the handler
// of the previous event of the same chunk: close() stops even events already parsed.
func (h *parseHandler) Event(ev *parse.Event) {
	select {
	case <-h.done:
	default:
		h.handler.Message(ev)
	}
}

func (h *parseHandler) Retry(ms int64) { h.reconnect = time.Duration(ms) * time.Millisecond }
