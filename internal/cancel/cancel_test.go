package cancel

import (
	"context"
	"errors"
	"testing"
	"time"
)

// wait is how long a test waits for what must happen; what must not happen is given far less.
const wait = 5 * time.Second

func isDone(s *Scope) bool {
	select {
	case <-s.Done():
		return true
	default:
		return false
	}
}

func awaitDone(t *testing.T, s *Scope) {
	t.Helper()
	select {
	case <-s.Done():
	case <-time.After(wait):
		t.Fatal("the scope was not cancelled")
	}
}

func TestScope(t *testing.T) {
	errMine := errors.New("mine")
	errParent := errors.New("parent's")
	type key struct{}
	tests := []struct {
		name      string
		cancel    func() (*Scope, error) // builds a scope, cancels it somehow, returns the wanted cause
		wantErr   error
		wantValue any
	}{
		{"root, own cause", func() (*Scope, error) {
			s := Root()
			s.Cancel(errMine)
			return s, errMine
		}, context.Canceled, nil},
		{"root, nil cause", func() (*Scope, error) {
			s := Root()
			s.Cancel(nil)
			return s, context.Canceled
		}, context.Canceled, nil},
		{"first cancel counts", func() (*Scope, error) {
			s := Root()
			s.Cancel(errMine)
			s.Cancel(errParent)
			return s, errMine
		}, context.Canceled, nil},
		{"under a scope, its cause", func() (*Scope, error) {
			p := Root()
			s := New(p)
			p.Cancel(errParent)
			return s, errParent
		}, context.Canceled, nil},
		{"under a cancelled scope", func() (*Scope, error) {
			p := Root()
			p.Cancel(errParent)
			return New(p), errParent
		}, context.Canceled, nil},
		{"two levels down", func() (*Scope, error) {
			p := Root()
			s := New(New(p))
			p.Cancel(errParent)
			return s, errParent
		}, context.Canceled, nil},
		{"under a context, its Err", func() (*Scope, error) {
			ctx, cancel := context.WithCancelCause(context.WithValue(context.Background(), key{}, "v"))
			s := New(ctx)
			cancel(errParent)
			awaitDone(t, s)
			return s, context.Canceled
		}, context.Canceled, "v"},
		{"under a timed-out context", func() (*Scope, error) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
			defer cancel()
			s := New(ctx)
			awaitDone(t, s)
			return s, context.DeadlineExceeded
		}, context.DeadlineExceeded, nil},
		{"under a done context", func() (*Scope, error) {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return New(ctx), context.Canceled
		}, context.Canceled, nil},
		{"own cancel under a context", func() (*Scope, error) {
			ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
			defer cancel()
			s := New(ctx)
			s.Cancel(errMine)
			return s, errMine
		}, context.Canceled, "v"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, wantCause := tt.cancel()
			if !isDone(s) {
				t.Fatal("Done is not closed")
			}
			if err := s.Err(); err != tt.wantErr {
				t.Errorf("Err = %v, want %v", err, tt.wantErr)
			}
			if cause := s.Cause(); cause != wantCause {
				t.Errorf("Cause = %v, want %v", cause, wantCause)
			}
			if v := s.Value(key{}); v != tt.wantValue {
				t.Errorf("Value = %v, want %v", v, tt.wantValue)
			}
		})
	}
}

func TestScopeNotCancelled(t *testing.T) {
	p := Root()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for name, s := range map[string]*Scope{"root": Root(), "under a scope": New(p), "under a context": New(ctx), "under Background": New(context.Background())} {
		if isDone(s) || s.Err() != nil || s.Cause() != nil {
			t.Errorf("%s: done before any cancel (Err %v, Cause %v)", name, s.Err(), s.Cause())
		}
		if _, ok := s.Deadline(); ok {
			t.Errorf("%s: has a deadline", name)
		}
	}
}

func TestScopeChildLeavesParent(t *testing.T) {
	p := Root()
	for range 3 {
		New(p).Cancel(nil)
	}
	kept := New(p)
	p.mu.Lock()
	n := len(p.children)
	p.mu.Unlock()
	if n != 1 {
		t.Fatalf("the parent holds %d children, want the 1 not cancelled", n)
	}
	// A child's cancel leaves its parent alone.
	kept.Cancel(nil)
	if isDone(p) {
		t.Fatal("a child's cancel cancelled its parent")
	}
}

func TestScopeDeadline(t *testing.T) {
	at := time.Now().Add(time.Hour)
	ctx, cancel := context.WithDeadline(context.Background(), at)
	defer cancel()
	if d, ok := New(New(ctx)).Deadline(); !ok || !d.Equal(at) {
		t.Fatalf("Deadline = %v, %v; want the parent's %v", d, ok, at)
	}
}

func TestAfterFunc(t *testing.T) {
	// How the scope ends: its own Cancel, a parent Scope's, or the context it is under.
	ends := []struct {
		name string
		make func() (*Scope, func())
	}{
		{"own cancel", func() (*Scope, func()) { s := Root(); return s, func() { s.Cancel(nil) } }},
		{"parent scope", func() (*Scope, func()) { p := Root(); return p.Child(), func() { p.Cancel(nil) } }},
		{"context", func() (*Scope, func()) {
			ctx, cancel := context.WithCancel(context.Background())
			return New(ctx), cancel
		}},
	}
	for _, e := range ends {
		t.Run(e.name+", runs once done", func(t *testing.T) {
			s, end := e.make()
			ran := make(chan struct{})
			stop := s.AfterFunc(func() { close(ran) })
			select {
			case <-ran:
				t.Fatal("ran before the scope was done")
			case <-time.After(10 * time.Millisecond):
			}
			end()
			select {
			case <-ran:
			case <-time.After(wait):
				t.Fatal("did not run once the scope was done")
			}
			if stop() {
				t.Fatal("stop reported stopping a function that ran")
			}
		})
		t.Run(e.name+", stopped", func(t *testing.T) {
			s, end := e.make()
			ran := make(chan struct{})
			stop := s.AfterFunc(func() { close(ran) })
			if !stop() {
				t.Fatal("stop did not report stopping the function")
			}
			if stop() {
				t.Fatal("a second stop reported stopping it again")
			}
			end()
			select {
			case <-ran:
				t.Fatal("ran after stop")
			case <-time.After(20 * time.Millisecond):
			}
		})
		t.Run(e.name+", already done", func(t *testing.T) {
			s, end := e.make()
			end()
			ran := make(chan struct{})
			s.AfterFunc(func() { close(ran) })
			select {
			case <-ran:
			case <-time.After(wait):
				t.Fatal("did not run for a scope already done")
			}
		})
	}
	t.Run("stop forgets the function", func(t *testing.T) {
		s := Root()
		s.AfterFunc(func() {})()
		s.mu.Lock()
		n := len(s.afters)
		s.mu.Unlock()
		if n != 0 {
			t.Fatalf("the scope holds %d functions after stop", n)
		}
	})
}

// TestScopeRace cancels scopes from several sides at once (run with -race).
func TestScopeRace(t *testing.T) {
	for range 100 {
		p := Root()
		s := New(p)
		ran := make(chan struct{})
		s.AfterFunc(func() { close(ran) })
		go p.Cancel(nil)
		go s.Cancel(errors.New("own"))
		go New(s).Cancel(nil)
		<-ran
		awaitDone(t, p)
	}
}

// TestScopeSeesParentAtOnce checks that Err and Cause see a context's end as soon as it has
// come, before it reaches the Scope from the goroutine that watches it, through a child too.
func TestScopeSeesParentAtOnce(t *testing.T) {
	for range 100 {
		ctx, stop := context.WithCancel(context.Background())
		s := New(ctx)
		child := s.Child()
		stop()
		if err := child.Err(); err != context.Canceled {
			t.Fatalf("the child's Err right after its context's end = %v, want context.Canceled", err)
		}
		if cause := s.Cause(); cause != context.Canceled {
			t.Fatalf("Cause right after the context's end = %v, want context.Canceled", cause)
		}
		if !isDone(s) || !isDone(child) {
			t.Fatal("Err saw the end, but Done is not closed")
		}
	}
}
