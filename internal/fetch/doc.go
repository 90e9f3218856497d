// Package fetch is a [core.Transport] over the JavaScript fetch() API, for Go compiled with
// GOOS=js GOARCH=wasm: in browsers, workers and Node.js. Every call into JavaScript goes through
// github.com/hack-pad/safejs, so a JavaScript exception becomes a Go error, not a panic.
//
// A request is described to the shim's request builder, or built here as fetch()'s
// RequestInit for a program without a shim (request_js.go). A response body is read one of two
// ways (body_js.go): by the shim's read loop when the Transport has one (loop_js.go), whose
// chunks come the other way, through functions the module exports (internal/wasmabi), and what
// they are parsed into goes back as their result; else by Go itself (reader_js.go), with
// read()s kept pending. Either way each chunk goes to the consumer in the callback that brings
// it. The package's one piece of state is the policy of forced collections (collect_js.go: a
// collection soon after a fetch ends, and one per 16 MiB of chunks read through read()), which
// lets go of the JavaScript values Go held.
//
// [core.Transport]: github.com/ssewasm/eventsource/internal/core
package fetch
