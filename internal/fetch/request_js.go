//go:build js && wasm

package fetch

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/ascii"
	"github.com/ssewasm/eventsource/internal/core"
)

// The requests of a Transport: described to the shim's request builder (Transport.Request),
// or built here as fetch()'s RequestInit (Transport.Init, the Go API's).

// describe has t.Request make the fetch of req (or its probe).
func (t *Transport) describe(req *core.Request, signal safejs.Value, probe ...string) (safejs.Value, error) {
	args, err := description(req, signal, probe...)
	if err != nil {
		return safejs.Value{}, err
	}
	return t.Request.Invoke(args...)
}

// description returns the arguments of Transport.Request for req (or its probe).
func description(req *core.Request, signal safejs.Value, probe ...string) ([]any, error) {
	var mode any = safejs.Undefined()
	if len(probe) != 0 {
		mode = probe[0]
	}
	var body any = safejs.Undefined()
	if req.Body != nil && len(probe) == 0 {
		b, err := uint8Array(req.Body)
		if err != nil {
			return nil, err
		}
		body = b
	}
	headers := ""
	if len(req.Header) != 0 {
		headers = headerLines(req.Header)
	}
	return []any{req.URL, req.Method, headers, byteString(req.LastEventID), body, req.WithCredentials, signal, mode}, nil
}

// headerLines encodes extra headers for Transport.Request, as "name\rvalue\r...". It is a
// function of its own, which a source without headers never calls, and so never has the
// browser compile (V8 compiles wasm lazily).
func headerLines(header map[string][]string) string {
	var b strings.Builder
	for name, values := range header {
		b.WriteString(name)
		b.WriteByte('\r')
		b.WriteString(byteString(ascii.Join(values, ", ")))
		b.WriteByte('\r')
	}
	return b.String()
}

// callFetch calls fetch() for req (or its probe) with t.Init's RequestInit.
func (t *Transport) callFetch(req *core.Request, signal safejs.Value, probe ...string) (safejs.Value, error) {
	fetch, err := safejs.Global().Get("fetch")
	if err != nil || fetch.Type() != safejs.TypeFunction {
		return safejs.Value{}, errors.New("fetch() is not available in this JavaScript environment")
	}
	init, err := t.Init(req, signal, probe...)
	if err != nil {
		return safejs.Value{}, fmt.Errorf("building the request: %w", err)
	}
	return fetch.Invoke(req.URL, init)
}

// RequestInit builds fetch()'s RequestInit for req, or for its CORS probe when probe names its
// mode, as the shim's requestInit does (js/shim/request.js, which builds every request of the
// polyfill): this one serves the Go API compiled to wasm, which has no shim (Transport.Init),
// and is tested to build the same (TestRequestInitMatchesTheShim).
func RequestInit(req *core.Request, signal safejs.Value, probe ...string) (safejs.Value, error) {
	if len(probe) != 0 {
		init := map[string]any{"mode": probe[0], "credentials": credentials(req), "cache": "no-store"}
		if probe[0] == "same-origin" {
			init["redirect"] = "manual"
		}
		v, err := safejs.ValueOf(init)
		if err != nil {
			return v, err
		}
		return v, v.Set("signal", signal)
	}
	headers := make(map[string]any, len(req.Header)+2)
	for name, values := range req.Header {
		headers[name] = byteString(ascii.Join(values, ", "))
	}
	headers["Accept"] = "text/event-stream"
	if req.LastEventID != "" {
		// HTML §9.2.3 "reestablish the connection" step 6.2: the last event ID string,
		// encoded as UTF-8, as the `Last-Event-ID` header.
		headers["Last-Event-ID"] = byteString(req.LastEventID)
	}
	method := req.Method
	if method == "" {
		method = "GET"
	}
	init, err := safejs.ValueOf(map[string]any{
		"method":      method,
		"headers":     headers,
		"mode":        "cors",
		"credentials": credentials(req),
		"cache":       "no-store",
		"redirect":    "follow",
	})
	if err != nil {
		return init, err
	}
	if req.Body != nil {
		body, err := uint8Array(req.Body)
		if err != nil {
			return init, err
		}
		if err := init.Set("body", body); err != nil {
			return init, err
		}
	}
	return init, init.Set("signal", signal)
}

// uint8Array copies b into a new JavaScript Uint8Array.
func uint8Array(b []byte) (safejs.Value, error) {
	ctor, err := safejs.Global().Get("Uint8Array")
	if err != nil {
		return safejs.Value{}, err
	}
	arr, err := ctor.New(len(b))
	if err != nil {
		return safejs.Value{}, err
	}
	_, err = safejs.CopyBytesToJS(arr, b)
	return arr, err
}

// byteString returns s as a JavaScript ByteString holds it: one code unit per byte of its
// UTF-8 encoding. fetch() sends a header value's code units as bytes (and refuses a value with
// code units above U+00FF), so this sends the UTF-8 bytes the standard asks for.
func byteString(s string) string {
	ascii := true
	for i := 0; i < len(s) && ascii; i++ {
		ascii = s[i] < 0x80
	}
	if ascii {
		return s
	}
	runes := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		runes[i] = rune(s[i])
	}
	return string(runes)
}
