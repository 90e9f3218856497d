//go:build js && wasm

package fetch

import (
	"context"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/core"
)

// hasOrigin reports whether the global has a location with an origin (a page or a worker),
// where fetch() applies CORS; outside them (Node.js) there is no CORS check to fail.
func hasOrigin() bool {
	loc, err := safejs.Global().Get("location")
	if err != nil || loc.IsUndefined() || loc.IsNull() {
		return false
	}
	origin, err := GetString(loc, "origin")
	return err == nil && origin != ""
}

// corsProbe tells a CORS failure from a network error, which fetch() reports alike (a
// TypeError). Browsers fail an EventSource's connection on a CORS failure but re-establish it
// after a network error, so the difference matters: the probe fetches the URL again in mode
// "no-cors", which succeeds (with an opaque response) exactly when the server answered. It is
// made whatever the URL's origin, since a same-origin URL may redirect to another origin.
func corsProbe(ctx context.Context, req *core.Request) bool {
	fetch, err := safejs.Global().Get("fetch")
	if err != nil {
		return false
	}
	ctrl, err := newAbortController(ctx)
	if err != nil {
		return false
	}
	defer ctrl.stop()
	credentials := "same-origin"
	if req.WithCredentials {
		credentials = "include"
	}
	init, err := safejs.ValueOf(map[string]any{"mode": "no-cors", "credentials": credentials, "cache": "no-store"})
	if err != nil || init.Set("signal", ctrl.signal) != nil {
		return false
	}
	promise, err := fetch.Invoke(req.URL, init)
	if err != nil {
		return false
	}
	_, err = Await(ctx, "fetch", promise)
	return err == nil
}
