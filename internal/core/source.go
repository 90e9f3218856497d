// Package core is the EventSource processing model of the WHATWG HTML standard (§9.2.3,
// "Processing model"), in pure Go: the connection, its re-establishment and failure, the
// readyState, the reconnection time and the last event ID. It fetches through a [Transport]
// (net/http natively, fetch() in the browser) and reports what the EventSource fires to a
// [Handler], so the same code serves Go programs and the JavaScript polyfill.
package core

import (
	"errors"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/ssewasm/eventsource/internal/cancel"
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

// PieceHandler is a Handler that takes the data of long events in pieces, so that the parser
// never holds much more than parse.PieceSize bytes of an event (see parse.PieceHandler): the
// data of a message is the pieces received since the last Message or DropPieces, followed by
// the message's own Data.
type PieceHandler interface {
	Handler
	// Piece receives the start of the data of the message being parsed: not empty, decoded
	// as Data is (valid UTF-8, or raw for a RawDataHandler, cut where a decoder starts afresh),
	// and valid only during the call.
	Piece(piece []byte)
	// DropPieces says that the pieces received since the last Message belong to no message:
	// the stream ended before it was dispatched.
	DropPieces()
}

// Flusher is a Handler that hands on what it is told in batches: Flush is called after the
// events parsed from one chunk of the body have been passed to Message.
type Flusher interface {
	Handler
	Flush()
}

// RawDataHandler is a Handler that decodes the data of messages itself, with the WHATWG "UTF-8
// decode" (as JavaScript's TextDecoder does): it gets Data, and pieces, undecoded (see
// parse.Parser.SetRawData).
type RawDataHandler interface {
	Handler
	// RawData marks the handler; it is never called.
	RawData()
}

// Handler receives what an EventSource fires, in order, on the goroutine that runs
// [Source.Run]. Its methods are the tasks the standard queues.
type Handler interface {
	// Opened announces the connection: readyState is OPEN; fire "open". origin is the
	// serialized origin of the response's final URL, the origin of the messages that follow.
	Opened(origin string)
	// Message fires a message event. ev and its slices are valid only during the call.
	Message(ev *parse.Event)
	// Error fires "error": the connection is being re-established (err.WillRetry, readyState
	// CONNECTING) or it failed (readyState CLOSED, and nothing more is fired).
	Error(err *Error)
}

// Source is the connection of one EventSource.
type Source struct {
	cfg       Config
	transport Transport
	handler   Handler
	flusher   Flusher // handler, if it is one

	state     atomic.Int32
	parser    *parse.Parser
	reconnect time.Duration                // the event stream's reconnection time
	url       string                       // of the next request: the URL, then the final URL of a response
	abortConn atomic.Pointer[cancel.Scope] // the scope of the fetch in progress, if any
	opened    bool                         // a response from url has announced the connection
	run       *cancel.Scope                // Run's ctx: once it is done, no more events are fired
	woken     atomic.Bool                  // Wake was called (see reestablish)
	suspended atomic.Bool                  // Suspend was called, and Resume not since
	// kick tells Run, waiting in reestablish or awaitResume, to look again at what it waits
	// for: sent (one pending at most) after Wake, Suspend, Resume, the end of a delay and the
	// end of Run's ctx. One channel, not a select of several: that would bring the runtime's
	// selectgo along, about 15 KB of wasm, which the engine's first connection would compile.
	kick chan struct{}
}

// NewSource returns the connection of an EventSource created with cfg, in the CONNECTING state.
// Nothing happens until Run.
func NewSource(cfg Config, t Transport, h Handler) *Source {
	s := &Source{cfg: cfg, transport: t, handler: h, reconnect: cfg.ReconnectionTime, url: cfg.URL,
		kick: make(chan struct{}, 1)}
	s.flusher, _ = h.(Flusher)
	if s.reconnect <= 0 {
		s.reconnect = DefaultReconnectionTime
	}
	if _, ok := h.(PieceHandler); ok {
		s.parser = parse.New((*pieceParseHandler)(s), cfg.LastEventID)
	} else {
		s.parser = parse.New((*parseHandler)(s), cfg.LastEventID)
	}
	if _, ok := h.(RawDataHandler); ok {
		s.parser.SetRawData(true)
	}
	return s
}

// ReadyState returns the current readyState. It is safe to call from any goroutine.
func (s *Source) ReadyState() ReadyState { return ReadyState(s.state.Load()) }

// Run fetches the stream and keeps it going until the connection fails or ctx is done
// (the EventSource's close() aborts the fetch by cancelling ctx). Once ctx is done nothing more
// is reported to the handler. When Run returns, readyState is CLOSED.
func (s *Source) Run(ctx *cancel.Scope) {
	defer s.state.Store(int32(Closed))
	s.run = ctx
	attempt := 0 // consecutive attempts to re-establish the connection since it was last open
	for {
		if !s.awaitResume(ctx) {
			return // closed
		}
		e, retry, opened := s.connect(ctx)
		if e == nil {
			return // closed
		}
		if e == errSuspendedConn {
			// The page entered the back/forward cache (whatwg/html#12381, not yet merged: "abort
			// ongoing EventSource fetches on BFCache entry and reconnect on restore without an
			// additional error event or reconnection delay"): "reestablish the connection"
			// without its step 2's error event and its delay. readyState is CONNECTING until
			// the new connection is announced.
			s.state.Store(int32(Connecting))
			if opened {
				attempt = 0
			}
			continue
		}
		if !retry {
			s.fail(e)
			return
		}
		if opened {
			attempt = 0
		}
		attempt++
		if limit := s.cfg.Retry.MaxAttempts; limit > 0 && attempt > limit {
			s.fail(&Error{Reason: ReasonRetriesExhausted, Status: e.Status, StatusText: e.StatusText, URL: e.URL, Err: e})
			return
		}
		delay := max(s.cfg.Retry.Delay(s.reconnect, attempt, jitterSource), e.retryAfter)
		if !s.reestablish(ctx, e, delay) {
			return
		}
	}
}

// errIdle is the cause of a connection's cancellation by the idle timeout.
var errIdle = errors.New("idle timeout")

// connect makes one connection (HTML §9.2.3: the fetch and the processing of its response)
// and returns the error event that ends it, whether the connection is to be re-established
// (or failed), and whether it was announced. It returns a nil error once ctx is done.
func (s *Source) connect(ctx *cancel.Scope) (e *Error, retry, opened bool) {
	req, err := s.request(ctx)
	if err != nil {
		return &Error{Reason: ReasonHeaders, URL: s.cfg.URL, Err: err}, !isError[*ConfigError](err), false
	}
	// The connection's own scope, which the source cancels with a cause (Abort, Suspend, the
	// idle timeout); not the context package's, whose code costs the wasm about 100 KB.
	conn := ctx.Child()
	defer conn.Cancel(nil)
	s.abortConn.Store(conn)
	defer s.abortConn.Store(nil)
	if s.suspended.Load() {
		// Suspend came after awaitResume and before abortConn was set: it cancelled nothing.
		return errSuspendedConn, true, false
	}
	var idle *time.Timer
	if s.cfg.IdleTimeout > 0 {
		idle = time.AfterFunc(s.cfg.IdleTimeout, func() { conn.Cancel(errIdle) })
		defer idle.Stop()
	}
	if !fetchable(req.URL) {
		// Fetch's scheme fetch has no response to give for another scheme (about:blank's is
		// not an event stream), and Chromium's and Firefox's EventSource fail the connection
		// then rather than re-establish it forever.
		return &Error{Reason: ReasonURL, URL: req.URL, Err: errors.New("the URL's scheme is not http, https, data or blob")}, false, false
	}
	resp, err := s.transport.Fetch(conn, req)
	if err != nil && conn.Cause() == errAborted {
		err = &AbortError{Err: errAborted}
	}
	if ctx.Err() != nil {
		// "If res is an aborted network error, then fail the connection": close() has
		// already set readyState to CLOSED, so the failure's task does nothing.
		if err == nil {
			resp.Body.Close()
		}
		return nil, false, false
	}
	if conn.Cause() == errSuspended {
		if err == nil {
			resp.Body.Close()
		}
		return errSuspendedConn, true, false
	}
	if err != nil {
		e, retry = fetchFailed(conn, req, err)
		return e, retry, false
	}
	// "Otherwise, if res's status is not 200, or if res's `Content-Type` is not
	// `text/event-stream`, then fail the connection." (The retry policy may retry 5xx and 429.)
	if resp.Status != 200 || !isEventStream(resp.ContentType) {
		resp.Body.Close()
		e, retry = s.refused(req, resp)
		return e, retry, false
	}
	// "Otherwise, announce the connection and interpret res's body line by line."
	finalURL := resp.URL
	if finalURL == "" {
		finalURL = req.URL
	} else if finalURL != req.URL {
		// A redirect: "reestablish the connection" fetches the same request again (step 6),
		// whose current URL is now the redirect's target, as Chromium's EventSource does.
		s.url = finalURL
	}
	s.opened = true
	s.state.Store(int32(Open))
	s.handler.Opened(Origin(finalURL))
	err = s.read(conn, resp.Body, idle)
	resp.Body.Close()
	if ctx.Err() != nil {
		return nil, false, true
	}
	if conn.Cause() == errSuspended {
		return errSuspendedConn, true, true
	}
	e, retry = bodyEnded(conn, req, resp, err)
	return e, retry, true
}

// read interprets the body line by line until it ends (io.EOF) or breaks.
func (s *Source) read(ctx *cancel.Scope, body Body, idle *time.Timer) error {
	// A new stream: its buffers start empty, and pending data of the last one is discarded.
	s.parser.Reset()
	parse := func(chunk []byte) {
		if idle != nil {
			idle.Reset(s.cfg.IdleTimeout)
		}
		s.parser.Feed(chunk)
		if s.flusher != nil {
			s.flusher.Flush()
		}
	}
	return body.Stream(ctx, func(chunk []byte) {
		if ctx.Err() == nil && len(chunk) > 0 {
			parse(chunk)
		}
	})
}

// reestablish implements "reestablish the connection" (HTML §9.2.3) up to the new fetch, which
// the caller makes. It reports whether to go on: false once ctx is done.
func (s *Source) reestablish(ctx *cancel.Scope, e *Error, delay time.Duration) bool {
	// Step 1: if readyState is CLOSED, return (close() cancelled ctx).
	if ctx.Err() != nil {
		return false
	}
	// A wake from before this delay (the network came back while the connection was still
	// up, or being made) is stale; one from the error event on ends the delay.
	wakes := s.cfg.Retry != (RetryPolicy{}) && e.retryAfter == 0
	if wakes {
		s.woken.Store(false)
	}
	// Step 2: queue a task: set readyState to CONNECTING and fire "error".
	e.WillRetry, e.RetryIn = true, delay
	s.state.Store(int32(Connecting))
	s.handler.Error(e)
	// Step 3: wait a delay equal to the reconnection time of the event source. Step 4: "Optionally,
	// wait some more", which the retry policy's backoff and Retry-After do.
	stop := ctx.AfterFunc(s.poke)
	defer stop()
	elapsed, t := s.after(delay)
	defer func() { t.Stop() }()
	retryAt := time.Now().Add(e.retryAfter)
	for !elapsed.Load() && !(wakes && s.woken.Load()) {
		if ctx.Err() != nil {
			return false
		}
		if s.suspended.Load() {
			// The page entered the back/forward cache: on its restore the source reconnects
			// without waiting the rest of the delay (whatwg/html#12381), unless a Retry-After
			// asked for it.
			t.Stop()
			if !s.awaitResume(ctx) {
				return false
			}
			rest := time.Until(retryAt)
			if rest <= 0 {
				break
			}
			elapsed, t = s.after(rest)
			continue
		}
		<-s.kick
	}
	// Step 6: "if the EventSource object's readyState attribute is not set to CONNECTING,
	// then return" — that is, unless close() was called meanwhile.
	return ctx.Err() == nil
}

// after starts a timer that sets the flag it returns, and kicks Run, once d has passed. (A
// flag of its own: a timer stopped too late to keep its function from running cannot end the
// delay after it. Not time.NewTimer: its channel of time.Time keeps time.Time's String method
// in the binary, and with it all of time's formatting, about 80 KB of wasm.)
func (s *Source) after(d time.Duration) (*atomic.Bool, *time.Timer) {
	elapsed := new(atomic.Bool)
	return elapsed, time.AfterFunc(d, func() {
		elapsed.Store(true)
		s.poke()
	})
}

// poke kicks Run (see Source.kick), unless a kick is pending already.
func (s *Source) poke() {
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// fail implements "fail the connection" (HTML §9.2.3): readyState CLOSED, fire "error".
func (s *Source) fail(e *Error) {
	s.state.Store(int32(Closed))
	s.handler.Error(e)
}
