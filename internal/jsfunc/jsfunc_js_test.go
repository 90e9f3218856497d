//go:build js && wasm

package jsfunc

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
)

func promise(t *testing.T, method string, arg any) safejs.Value {
	t.Helper()
	ctor, err := safejs.Global().Get("Promise")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ctor.Call(method, arg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestAwait(t *testing.T) {
	before := LiveFuncs()
	timeout, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	ctx := cancel.New(timeout)
	v, err := Await(ctx, "test", promise(t, "resolve", "yes"))
	if s, _ := v.String(); err != nil || s != "yes" {
		t.Errorf("a resolved promise: %v, %v; want yes", s, err)
	}
	errCtor, _ := safejs.Global().Get("TypeError")
	reason, _ := errCtor.New("no luck")
	_, err = Await(ctx, "test", promise(t, "reject", reason))
	var e *Error
	if !errors.As(err, &e) || e.Op != "test" || e.Name != "TypeError" || e.Message != "no luck" {
		t.Errorf("a rejected promise: %v; want test: TypeError: no luck", err)
	}
	if n := LiveFuncs(); n != before {
		t.Errorf("live Funcs after Await: %d, want %d", n, before)
	}
}

func TestAwaitCancelled(t *testing.T) {
	ctor, _ := safejs.Global().Get("Promise")
	executor, err := FuncOf(func(safejs.Value, []safejs.Value) any { return nil }, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer executor.Release()
	never, _ := ctor.New(executor.Value())

	parent, stop := context.WithCancel(context.Background())
	stop()
	if _, err := Await(cancel.New(parent), "test", never); !errors.Is(err, context.Canceled) {
		t.Errorf("Await with a cancelled context: %v, want context.Canceled", err)
	}
	// Cancelled while it waits, by a Scope's Cancel and by the end of a context above it.
	scope := cancel.Root()
	time.AfterFunc(10*time.Millisecond, func() { scope.Cancel(nil) })
	if _, err := Await(scope, "test", never); !errors.Is(err, context.Canceled) {
		t.Errorf("Await cancelled while it waits: %v, want context.Canceled", err)
	}
	timeout, stop := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer stop()
	if _, err := Await(cancel.New(timeout), "test", never); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Await under a context that times out: %v, want context.DeadlineExceeded", err)
	}
}

func TestFuncOfRecoversPanics(t *testing.T) {
	var got error
	f, err := FuncOf(func(safejs.Value, []safejs.Value) any { panic("boom") }, func(err error) { got = err })
	if err != nil {
		t.Fatal(err)
	}
	before := LiveFuncs()
	if _, err := f.Value().Invoke(); err != nil {
		t.Errorf("calling a Func that panics: %v, want no exception in JavaScript", err)
	}
	if got == nil || !strings.Contains(got.Error(), "boom") {
		t.Errorf("onPanic got %v, want the panic", got)
	}
	f.Release()
	f.Release() // harmless
	if n := LiveFuncs(); n != before-1 {
		t.Errorf("live Funcs after Release: %d, want %d", n, before-1)
	}
}

func TestGetString(t *testing.T) {
	obj, _ := safejs.ValueOf(map[string]any{"a": "x", "n": nil})
	for _, tt := range []struct {
		v    safejs.Value
		prop string
		want string
	}{
		{obj, "a", "x"}, {obj, "n", ""}, {obj, "missing", ""}, {safejs.Undefined(), "a", ""},
	} {
		if got, err := GetString(tt.v, tt.prop); err != nil || got != tt.want {
			t.Errorf("GetString(%v, %q) = %q, %v; want %q", tt.v, tt.prop, got, err, tt.want)
		}
	}
}
