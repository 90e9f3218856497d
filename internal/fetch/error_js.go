//go:build js && wasm

package fetch

import (
	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// jsError turns a rejection reason of fetch() or a stream read into a Go error that names it:
// a *jsfunc.Error, marked as a core.AbortError when it is an abort.
func jsError(op string, reason safejs.Value) error {
	return abortMarked(jsfunc.ErrorOf(op, reason))
}

// abortMarked marks an AbortError as a core.AbortError: whoever aborted, the source's own
// aborts end its context first, which the processing model checks before it looks at the
// error.
func abortMarked(err error) error {
	if e, ok := err.(*jsfunc.Error); ok && e.Name == "AbortError" { // ErrorOf's, which Await never wraps
		return &core.AbortError{Err: err}
	}
	return err
}

// await is jsfunc.Await, with an abort marked (abortMarked).
func await(ctx *cancel.Scope, op string, promise safejs.Value) (safejs.Value, error) {
	v, err := jsfunc.Await(ctx, op, promise)
	return v, abortMarked(err)
}
