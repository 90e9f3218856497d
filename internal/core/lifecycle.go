package core

import (
	"errors"

	"github.com/ssewasm/eventsource/internal/cancel"
)

// The calls of the page's life cycle, from any goroutine: window.stop() (Abort), the network
// coming back (Wake), and the back/forward cache (Suspend, Resume). Run sees them in connect
// (the cause of a connection's cancellation) and in reestablish (a delay cut short).

// errAborted is the cause of a connection's cancellation by Abort.
var errAborted = errors.New("the page stopped loading")

// Abort aborts the fetch in progress, if any, as the page's window.stop() aborts the fetches of
// a document: the connection fails (HTML §9.2.3: "if res is an aborted network error, then fail
// the connection"; the same when the body is being read). A source waiting to reconnect has no
// fetch and is left alone, as in browsers. It is safe to call from any goroutine.
func (s *Source) Abort() {
	if conn := s.abortConn.Load(); conn != nil {
		conn.Cancel(errAborted)
	}
}

// Wake tells the source that the network is back (the page's "online" event after an
// "offline" one): if it waits to re-establish its connection under a retry policy (an extension;
// the standard's reconnection time alone is always waited), it reconnects at once instead of
// waiting the rest of its backoff. A delay that a response's Retry-After asked for is waited
// in full, and a wake while no delay is under way is dropped. It is safe to call from any
// goroutine.
func (s *Source) Wake() {
	s.woken.Store(true)
	s.poke()
}

// errSuspended is the cause of a connection's cancellation by Suspend.
var errSuspended = errors.New("the page entered the back/forward cache")

// Suspend tells the source that its page enters the back/forward cache, where no script runs:
// the fetch in progress, if any, is aborted without an event, as is a reconnection delay, and
// nothing more is fetched until Resume. A second Suspend before Resume does nothing. It is
// safe to call from any goroutine.
func (s *Source) Suspend() {
	if !s.suspended.CompareAndSwap(false, true) {
		return
	}
	s.poke()
	if conn := s.abortConn.Load(); conn != nil {
		conn.Cancel(errSuspended)
	}
}

// Resume tells a suspended source that its page is restored from the back/forward cache: it
// reconnects at once, from its last event ID, and announces the new connection as any other
// (a delay that a response's Retry-After asked for is waited in full). A Resume without a
// Suspend before it does nothing. It is safe to call from any goroutine.
func (s *Source) Resume() {
	if s.suspended.CompareAndSwap(true, false) {
		s.poke()
	}
}

// awaitResume waits while the source is suspended. It reports whether to go on: false once
// ctx is done.
func (s *Source) awaitResume(ctx *cancel.Scope) bool {
	if s.suspended.Load() {
		stop := ctx.AfterFunc(s.poke)
		defer stop()
		for s.suspended.Load() && ctx.Err() == nil {
			<-s.kick // perhaps a stale kick: the loop looks again
		}
	}
	return ctx.Err() == nil
}

// errSuspendedConn is what connect returns for a connection that Suspend ended: it is never
// fired.
var errSuspendedConn = &Error{Reason: "suspended"}
