//go:build js && wasm

package fetch

import (
	"fmt"
	"sync/atomic"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/core"
)

// Func is a Go function callable from JavaScript, made by [FuncOf].
type Func struct {
	fn       safejs.Func
	released atomic.Bool
}

// liveFuncs counts the Funcs made and not yet released.
var liveFuncs atomic.Int64

// LiveFuncs returns how many Funcs are made and not released: a closed EventSource must leave
// none behind.
func LiveFuncs() int64 { return liveFuncs.Load() }

// Value returns the JavaScript function.
func (f *Func) Value() safejs.Value { return f.fn.Value() }

// Release frees the function; JavaScript must not call it afterwards. Releasing twice is
// harmless.
func (f *Func) Release() {
	if f.released.CompareAndSwap(false, true) {
		liveFuncs.Add(-1)
		f.fn.Release()
	}
}

// FuncOf is safejs.FuncOf for callbacks that must never panic into JavaScript: a panic in fn is
// recovered and passed to onPanic (if not nil), and the callback returns undefined.
func FuncOf(fn func(this safejs.Value, args []safejs.Value) any, onPanic func(error)) (*Func, error) {
	f, err := safejs.FuncOf(func(this safejs.Value, args []safejs.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = nil
				if onPanic != nil {
					onPanic(fmt.Errorf("eventsource: panic in callback: %v", r))
				}
			}
		}()
		return fn(this, args)
	})
	if err != nil {
		return nil, err
	}
	liveFuncs.Add(1)
	return &Func{fn: f}, nil
}

// settled is the outcome of a promise: its value, or the reason it was rejected.
type settled struct {
	value  safejs.Value
	reason safejs.Value
	ok     bool
}

// thenFuncs are the two callbacks of promise.then, which report to a channel. They are made
// once and reused for every promise of a stream (one per chunk), and released by release.
type thenFuncs struct {
	onOK, onErr *Func
	results     chan settled
}

func newThenFuncs() (*thenFuncs, error) {
	t := &thenFuncs{results: make(chan settled, 1)}
	var err error
	t.onOK, err = FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		t.results <- settled{value: arg0(args), ok: true}
		return nil
	}, nil)
	if err != nil {
		return nil, err
	}
	t.onErr, err = FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		t.results <- settled{reason: arg0(args)}
		return nil
	}, nil)
	if err != nil {
		t.onOK.Release()
		return nil, err
	}
	return t, nil
}

// then attaches the callbacks to promise; its outcome arrives on t.results.
func (t *thenFuncs) then(promise safejs.Value) error {
	_, err := promise.Call("then", t.onOK.Value(), t.onErr.Value())
	return err
}

func (t *thenFuncs) release() {
	t.onOK.Release()
	t.onErr.Release()
}

func arg0(args []safejs.Value) safejs.Value {
	if len(args) == 0 {
		return safejs.Undefined()
	}
	return args[0]
}

// jsError turns a rejection reason (usually a TypeError or DOMException) into a Go error that
// names it.
func jsError(op string, reason safejs.Value) error {
	name, _ := GetString(reason, "name")
	msg, _ := GetString(reason, "message")
	if name == "" && msg == "" {
		msg, _ = reason.String()
	}
	err := &Error{Op: op, Name: name, Message: msg}
	if name == "AbortError" {
		// Whoever aborted: the source's own aborts end its context first, which the
		// processing model checks before it looks at the error.
		return &core.AbortError{Err: err}
	}
	return err
}

// Error is a JavaScript exception or rejection raised by fetch() or a stream read.
type Error struct {
	Op      string // what was awaited: "fetch", "read", "headers"
	Name    string // the exception's name, e.g. "TypeError" or "AbortError"
	Message string
}

// Error formats the exception as "op: Name: message".
func (e *Error) Error() string { return e.Op + ": " + e.Name + ": " + e.Message }

// GetString returns v[p] as a string ("" if v is not an object, or v[p] is undefined or null).
func GetString(v safejs.Value, p string) (string, error) {
	if v.Type() != safejs.TypeObject && v.Type() != safejs.TypeFunction {
		return "", nil
	}
	x, err := v.Get(p)
	if err != nil || x.IsUndefined() || x.IsNull() {
		return "", err
	}
	return x.String()
}
