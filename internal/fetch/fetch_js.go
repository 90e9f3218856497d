//go:build js && wasm

package fetch

import (
	"errors"
	"fmt"
	"io"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// Transport fetches event streams with the host's fetch(). The shim's polyfill sets Request and
// ReadLoop; the Go API, which has no shim, sets Init and ReadInGo, so that neither wasm carries
// the other's request builder and body reader.
type Transport struct {
	// ReadLoop, if it is a JavaScript function loop(body, id, fulfilled, rejected, reply,
	// signal, holdLines), reads each response body (a ReadableStream) instead of the Go side
	// calling read() once per chunk, until the body is done, a read fails or signal (the
	// fetch's abort signal) aborts. It hands each chunk to Go through the module's exports
	// (internal/wasmabi), or to fulfilled, and the end to fulfilled, a failure or the abort to
	// rejected: it must settle after an abort even when the body does not (Node.js 20 leaves a
	// read pending when a fetch whose body has been read to its end is aborted), since the
	// callbacks are released then. The shim offers one.
	ReadLoop safejs.Value
	// Reply is the JavaScript function to which ReadLoop passes what the consumer of a chunk
	// handed back with wasmabi.Reply.
	Reply safejs.Value
	// HoldLines, passed to ReadLoop after signal, lets it keep a small chunk that holds no line
	// break (no CR or LF byte) in Go's buffer without a call into Go, until a chunk with one
	// comes, the buffer is full or the body ends: such bytes end no line, so an event stream's
	// parser has nothing to do with them yet, and a stream written a few bytes at a time costs
	// a call per line rather than per chunk. It must stay false where the consumer needs each
	// chunk as it arrives (an idle timeout, which every byte that arrives restarts).
	HoldLines bool
	// Request, if it is a JavaScript function request(url, method, headers, lastEventId, body,
	// withCredentials, signal, probe), makes every fetch, from the request's description, and
	// returns fetch()'s promise: headers are the extra headers as "name\rvalue\r..." and
	// lastEventId the Last-Event-ID ("" for none), both with values as byte strings (see
	// byteString); body is a Uint8Array or undefined; probe is undefined, or the mode of the
	// CORS probe ("no-cors", or "same-origin", which follows no redirect). The shim's builds
	// the one RequestInit of the polyfill's requests, its first request's too (js/shim/
	// request.js). Without it, fetch() is called with Init's.
	Request safejs.Value
	// Init builds the RequestInit of req (or of its probe) when Request is not a function:
	// RequestInit, which the Go API sets (a program that has no shim). The polyfill does not
	// set it, so that its wasm does not carry a second builder.
	Init func(req *core.Request, signal safejs.Value, probe ...string) (safejs.Value, error)
	// ReadInGo reads each response body when ReadLoop is not a function: the package's ReadInGo,
	// calling the body's read() once per chunk, which the Go API sets. Without either, a
	// response fails as a network error.
	ReadInGo func(body safejs.Value, ctrl *abortController) (core.Body, error)
	// Link, if it is a JavaScript function, is called with the AbortController of each fetch,
	// which it may abort too; every fetch aborts its controller when it ends. The shim's aborts
	// it on the source's close(), so that the fetch in progress ends at once, in JavaScript,
	// before the call into Go that cancels the source: a page that closes many sources in a
	// loop frees no connection on which a request of a source it closes next would go out.
	// (It returns nothing: a value that Go held would stay in wasm_exec.js's table until a
	// collection.)
	Link safejs.Value

	started *started // a first request the page has already started, if any
}

// started is a fetch started in JavaScript: its promise and its AbortController.
type started struct{ promise, ctrl safejs.Value }

// Started returns a Transport whose first Fetch takes over a request the page started already
// (the shim starts the first request in the EventSource constructor, as the standard does,
// while the wasm still loads): promise is what fetch() returned and ctrl the AbortController
// of its signal. The page must have made the request that Fetch would make (with the same
// RequestInit as Transport.Request).
func Started(promise, ctrl safejs.Value) *Transport {
	return &Transport{started: &started{promise: promise, ctrl: ctrl}}
}

// Fetch sends req as the standard's EventSource request (HTML §9.2.2, the EventSource
// constructor, steps 8-11): a GET in mode "cors" with credentials "same-origin" (or "include"
// when req.WithCredentials), cache mode "no-store", `Accept: text/event-stream`, and
// Last-Event-ID when it is not empty; redirects are followed. Cancelling ctx aborts the fetch
// and any read of its body.
func (t *Transport) Fetch(ctx *cancel.Scope, req *core.Request) (*core.Response, error) {
	var (
		ctrl    *abortController
		promise safejs.Value
		err     error
	)
	if err := checkURL(req.URL); err != nil {
		if s := t.started; s != nil {
			t.started = nil
			_, _ = s.ctrl.Call("abort")
		}
		return nil, err
	}
	if s := t.started; s != nil {
		t.started = nil
		if ctrl, err = adoptAbortController(ctx, s.ctrl); err != nil {
			return nil, err
		}
		promise = s.promise
	} else if ctrl, promise, err = t.start(ctx, req); err != nil {
		return nil, err
	}
	res, err := await(ctx, "fetch", promise)
	_, aborted := err.(*core.AbortError) // await's errors are never wrapped
	if err != nil && ctx.Err() == nil && !aborted && t.probeCORS(ctx, req) == maybeCORS {
		// The server answers, so the failure may have been a CORS check's; but it may have
		// been a transient fault too (a server restarting, a connection cut), which must not
		// fail the source for good: the real request is made once more, and only its failure
		// too concludes CORS.
		ctrl.stop()
		if ctrl, promise, err = t.start(ctx, req); err != nil {
			return nil, err
		}
		if res, err = await(ctx, "fetch", promise); err != nil && ctx.Err() == nil {
			ctrl.stop()
			return nil, &core.CORSError{Err: err}
		}
	}
	if err != nil {
		ctrl.stop()
		return nil, err
	}
	resp, err := response(res)
	if err != nil {
		ctrl.stop()
		return nil, err
	}
	body, err := res.Get("body")
	if err == nil && !body.IsNull() && !body.IsUndefined() {
		resp.Body, err = t.newBody(body, ctrl)
	} else {
		resp.Body = emptyBody{ctrl}
	}
	if err != nil {
		ctrl.stop()
		return nil, err
	}
	return resp, nil
}

// start starts the fetch of req, with an AbortController that ctx aborts (and t.Link: see
// newAbortController); with probe, the CORS probe of req instead (see probeCORS).
func (t *Transport) start(ctx *cancel.Scope, req *core.Request, probe ...string) (*abortController, safejs.Value, error) {
	ctrl, err := newAbortController(ctx, t.Link)
	if err != nil {
		return nil, safejs.Value{}, err
	}
	var promise safejs.Value
	switch {
	case t.Request.Type() == safejs.TypeFunction:
		promise, err = t.describe(req, ctrl.signal, probe...)
	case t.Init != nil:
		promise, err = t.callFetch(req, ctrl.signal, probe...)
	default:
		err = errors.New("no request builder (Transport.Request or Init)")
	}
	if err != nil {
		ctrl.stop()
		return nil, safejs.Value{}, fmt.Errorf("eventsource: fetch %s: %w", req.URL, err)
	}
	return ctrl, promise, nil
}

// response reads the status, type and final URL of a fetch Response.
func response(res safejs.Value) (*core.Response, error) {
	status, err := res.Get("status")
	if err != nil {
		return nil, err
	}
	code, err := status.Int()
	if err != nil {
		return nil, err
	}
	resp := &core.Response{Status: code}
	if resp.StatusText, err = jsfunc.GetString(res, "statusText"); err != nil {
		return nil, err
	}
	if resp.URL, err = jsfunc.GetString(res, "url"); err != nil {
		return nil, err
	}
	headers, err := res.Get("headers")
	if err != nil {
		return nil, err
	}
	if resp.ContentType, err = header(headers, "content-type"); err != nil {
		return nil, err
	}
	if resp.RetryAfter, err = header(headers, "retry-after"); err != nil {
		return nil, err
	}
	return resp, nil
}

// header returns the value of a response header ("" if absent). A cross-origin response
// exposes only the CORS-safelisted response headers (Content-Type among them) and those the
// server lists in Access-Control-Expose-Headers.
func header(headers safejs.Value, name string) (string, error) {
	v, err := headers.Call("get", name)
	if err != nil || v.IsNull() {
		return "", err
	}
	return v.String()
}

// abortController aborts a fetch when ctx ends or the body is closed.
type abortController struct {
	ctrl   safejs.Value
	signal safejs.Value
	stopFn func() bool
}

// newAbortController returns an AbortController that ctx aborts. When link is a function, it is
// called with the controller, which it may abort too (Transport.Link).
func newAbortController(ctx *cancel.Scope, link safejs.Value) (*abortController, error) {
	ctor, err := safejs.Global().Get("AbortController")
	if err != nil {
		return nil, err
	}
	ctrl, err := ctor.New()
	if err != nil {
		return nil, fmt.Errorf("eventsource: new AbortController: %w", err)
	}
	a, err := adoptAbortController(ctx, ctrl)
	if err != nil || link.Type() != safejs.TypeFunction {
		return a, err
	}
	_, _ = link.Invoke(ctrl) // without it, close() still aborts, through Go
	return a, nil
}

// adoptAbortController makes ctx abort a JavaScript AbortController.
func adoptAbortController(ctx *cancel.Scope, ctrl safejs.Value) (*abortController, error) {
	signal, err := ctrl.Get("signal")
	if err != nil {
		return nil, err
	}
	a := &abortController{ctrl: ctrl, signal: signal}
	a.stopFn = ctx.AfterFunc(a.abort)
	return a, nil
}

func (a *abortController) abort() { _, _ = a.ctrl.Call("abort") }

// stop aborts the fetch (if it is still going) and forgets ctx. The fetch is over then, and
// its JavaScript values (the request, the response, the callbacks' arguments) are garbage, or
// soon are: a collection releases them.
func (a *abortController) stop() {
	a.stopFn()
	a.abort()
	collectSoon()
}

// emptyBody is the body of a response that has none.
type emptyBody struct{ ctrl *abortController }

func (emptyBody) Stream(*cancel.Scope, func([]byte)) error { return io.EOF }
func (b emptyBody) Close() error                           { b.ctrl.stop(); return nil }
