// Package cancel is the cancellation the engine needs of the context package, without its
// functions: a [Scope] is a context.Context that is cancelled with a cause, or when its parent
// is done, and [Scope.AfterFunc] runs a function once it is cancelled.
//
// The context package costs the polyfill's wasm about 100 KB: its context types print
// themselves (String methods that reflectlite and time.Time's formatting come with), and a type
// in an interface keeps its methods. Even the context.Context type alone, once a value is
// converted to it or a method in use takes it, keeps time.Time's formatting through Deadline.
// A Scope is a context.Context, so the Go API and net/http take it as they take any context,
// but the engine passes it around as a *Scope, or as a [Signal], which has no Deadline.
package cancel

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// A Signal is the part of a context.Context that cancellation needs. It is what a function kept
// in a struct field takes, instead of a context.Context: a field's type is kept for reflection,
// and through the Deadline method of context.Context it would bring time.Time's formatting
// along.
type Signal interface {
	// Done returns a channel that is closed once the work is to stop.
	Done() <-chan struct{}
	// Err returns why, once Done is closed; nil before.
	Err() error
}

// A Notifier is a Signal that also runs a function at its end, as a *Scope does: what a wait
// for the end or for something else takes. Such a wait receives from one channel, to which
// both send, rather than select from two: select brings the runtime's selectgo along, about
// 15 KB of wasm.
type Notifier interface {
	Signal
	// AfterFunc arranges for f to run in its own goroutine once Done is closed; stop keeps it
	// from running, and reports whether it did (see Scope.AfterFunc).
	AfterFunc(f func()) (stop func() bool)
}

// A Scope is a context.Context that [Scope.Cancel] or its parent's end cancels. Its Err is
// context.Canceled when Cancel came first, or its parent's Err; its cause is what Cancel was
// given (context.Canceled for nil), or a parent Scope's cause (another parent's Err: a cause
// given to context.WithCancelCause is not looked up, which would take the context package's
// code along).
type Scope struct {
	// parent is the context.Context the Scope is under (a *Scope, or another), nil for a
	// root, which only Cancel ends. It is a Signal: a field whose type has Deadline would bring
	// time.Time's formatting along (the field's type is kept for reflection).
	parent  Signal
	done    chan struct{} // closed once cancelled
	watches bool          // a context that is not a Scope is above s (see Err)

	mu       sync.Mutex
	err      error               // Err, once cancelled
	cause    error               // Cause, once cancelled
	children map[*Scope]struct{} // cancelled with s, until they are cancelled themselves
	afters   map[*after]struct{} // run once s is cancelled, unless stopped first
	detach   func()              // stops a parent Scope from cancelling s
}

// Root returns a Scope that only [Scope.Cancel] ends. (The engine's scopes are made with Root
// and [Scope.Child], never New: its type assertion would bring the context.Context type along.)
func Root() *Scope { return &Scope{done: make(chan struct{})} }

// New returns a Scope under parent; a nil parent makes a Root. A parent that is already done
// cancels the Scope at once.
func New(parent context.Context) *Scope {
	if parent == nil {
		return Root()
	}
	if p, ok := parent.(*Scope); ok {
		return p.Child()
	}
	s := &Scope{parent: parent, done: make(chan struct{}), watches: true}
	pdone := parent.Done()
	if pdone == nil {
		return s // never done: context.Background, say
	}
	select {
	case <-pdone:
		s.cancel(parent.Err(), parent.Err())
		return s
	default:
	}
	go func() {
		select {
		case <-pdone:
			s.cancel(parent.Err(), parent.Err())
		case <-s.done:
		}
	}()
	return s
}

// Child returns a Scope under p, which p's end cancels in its own call.
func (p *Scope) Child() *Scope {
	s := &Scope{parent: p, done: make(chan struct{}), watches: p.watches}
	s.detach = func() { p.mu.Lock(); delete(p.children, s); p.mu.Unlock() }
	p.mu.Lock()
	if p.err != nil {
		p.mu.Unlock()
		s.cancel(p.err, p.cause)
		return s
	}
	if p.children == nil {
		p.children = map[*Scope]struct{}{}
	}
	p.children[s] = struct{}{}
	p.mu.Unlock()
	return s
}

// Cancel cancels s and the Scopes under it, with cause (nil means context.Canceled), and runs
// the functions that [Scope.AfterFunc] registered on them. Only the first Cancel or parent's end
// counts; later calls do nothing. It is safe to call from any goroutine.
func (s *Scope) Cancel(cause error) {
	if cause == nil {
		cause = context.Canceled
	}
	s.cancel(context.Canceled, cause)
}

func (s *Scope) cancel(err, cause error) {
	s.mu.Lock()
	if s.err != nil {
		s.mu.Unlock()
		return
	}
	s.err, s.cause = err, cause
	children, afters, detach := s.children, s.afters, s.detach
	s.children, s.afters, s.detach = nil, nil, nil
	close(s.done)
	s.mu.Unlock()
	if detach != nil {
		detach()
	}
	for c := range children {
		c.cancel(err, cause)
	}
	for a := range afters {
		a.run()
	}
}

// Cause returns why s was cancelled: the cause given to Cancel, or its parent's; nil while s
// is not cancelled (as Err sees it).
func (s *Scope) Cause() error {
	s.Err()
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cause
}

// Done returns a channel that is closed once s is cancelled.
func (s *Scope) Done() <-chan struct{} { return s.done }

// Err returns nil while s is not cancelled, context.Canceled once Cancel cancelled it, or its
// parent's Err when the parent's end did. Under a context that is not a Scope it looks up the
// chain too: that end reaches s from another goroutine, a little later, and Err sees it at
// once. (A parent Scope's end reaches s in its own call.) The engine calls it per event, so
// that a Scope of Scopes only takes a look at its channel.
func (s *Scope) Err() error {
	select {
	case <-s.done:
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.err
	default:
	}
	if !s.watches {
		return nil
	}
	err := s.parent.Err()
	if err == nil {
		return nil
	}
	cause := err
	if p, ok := s.parent.(*Scope); ok {
		cause = p.Cause()
	}
	s.cancel(err, cause)
	return s.Err()
}

// Deadline returns the parent's deadline: a Scope sets none of its own.
func (s *Scope) Deadline() (deadline time.Time, ok bool) {
	if s.parent == nil {
		return
	}
	return s.parent.(context.Context).Deadline() // a Scope's parent is a context.Context
}

// Value returns the parent's value for key: a Scope holds none of its own.
func (s *Scope) Value(key any) any {
	if s.parent == nil {
		return nil
	}
	return s.parent.(context.Context).Value(key) // a Scope's parent is a context.Context
}

// after is one function of AfterFunc.
type after struct {
	f     func()
	state atomic.Int32 // pending, then ran or stopped
}

const (
	pending int32 = iota
	ran
	stopped
)

// run starts a's function in its own goroutine, unless it was stopped first.
func (a *after) run() {
	if a.state.CompareAndSwap(pending, ran) {
		go a.f()
	}
}

// stop keeps a's function from running, and reports whether it did.
func (a *after) stop() bool { return a.state.CompareAndSwap(pending, stopped) }

// AfterFunc arranges for f to run in its own goroutine once s is cancelled, as
// context.AfterFunc does. Calling stop keeps f from running; it reports whether it did so
// (false once f has started, or was stopped before).
func (s *Scope) AfterFunc(f func()) (stop func() bool) {
	a := &after{f: f}
	s.Err() // a context above s that has ended cancels s now
	s.mu.Lock()
	if s.err != nil {
		s.mu.Unlock()
		a.run()
		return a.stop
	}
	if s.afters == nil {
		s.afters = map[*after]struct{}{}
	}
	s.afters[a] = struct{}{}
	s.mu.Unlock()
	return func() bool {
		s.mu.Lock()
		delete(s.afters, a)
		s.mu.Unlock()
		return a.stop()
	}
}
