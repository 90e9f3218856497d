//go:build js && wasm

package jsfunc

import (
	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
)

// settled is the outcome of a promise: its value, or the reason it was rejected; or, with
// ended, the end of the wait's ctx.
type settled struct {
	value  safejs.Value
	reason safejs.Value
	ok     bool
	ended  bool
}

// Await waits for promise to settle or ctx to end, and returns its value or its rejection as an
// *Error whose Op is op.
func Await(ctx cancel.Notifier, op string, promise safejs.Value) (safejs.Value, error) {
	// The promise's outcome, and the end of ctx, each sent once: whichever comes first is
	// received (see cancel.Notifier).
	results := make(chan settled, 2)
	onOK, err := FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		results <- settled{value: Arg0(args), ok: true}
		return nil
	}, nil)
	if err != nil {
		return safejs.Value{}, err
	}
	onErr, err := FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		results <- settled{reason: Arg0(args)}
		return nil
	}, nil)
	if err != nil {
		onOK.Release()
		return safejs.Value{}, err
	}
	release := func() {
		onOK.Release()
		onErr.Release()
	}
	if _, err := promise.Call("then", onOK.Value(), onErr.Value()); err != nil {
		release()
		return safejs.Value{}, err
	}
	stop := ctx.AfterFunc(func() { results <- settled{ended: true} })
	r := <-results
	if r.ended {
		// The abort signal rejects the promise soon; release the callbacks only then, so
		// that JavaScript never calls a released function.
		go func() {
			<-results
			release()
		}()
		return safejs.Value{}, ctx.Err()
	}
	stop()
	release()
	if !r.ok {
		return safejs.Value{}, ErrorOf(op, r.reason)
	}
	return r.value, nil
}

// Error is a JavaScript exception or rejection (a TypeError or a DOMException, say).
type Error struct {
	Op      string // what was awaited: "fetch", "read", "headers"
	Name    string // the exception's name, e.g. "TypeError" or "AbortError"
	Message string
}

// Error formats the exception as "op: Name: message".
func (e *Error) Error() string { return e.Op + ": " + e.Name + ": " + e.Message }

// ErrorOf returns the *Error of a rejection reason or exception.
func ErrorOf(op string, reason safejs.Value) *Error {
	name, _ := GetString(reason, "name")
	msg, _ := GetString(reason, "message")
	if name == "" && msg == "" {
		msg, _ = reason.String()
	}
	return &Error{Op: op, Name: name, Message: msg}
}

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
