//go:build js && wasm

package jsfunc

import (
	"fmt"
	"sync/atomic"

	"github.com/hack-pad/safejs"
)

// Func is a Go function callable from JavaScript, made by [FuncOf].
type Func struct {
	fn       safejs.Func
	released atomic.Bool
}

// liveFuncs counts the Funcs made and not yet released: the package's one piece of state, a
// counter that tests and the polyfill's stats read (LiveFuncs).
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

// Arg0 returns a callback's first argument, or undefined.
func Arg0(args []safejs.Value) safejs.Value {
	if len(args) == 0 {
		return safejs.Undefined()
	}
	return args[0]
}
