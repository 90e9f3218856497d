// Package fetch is a [core.Transport] over the JavaScript fetch() API, for Go compiled with
// GOOS=js GOARCH=wasm: in browsers, workers and Node.js. Every call into JavaScript goes through
// github.com/hack-pad/safejs, so a JavaScript exception becomes a Go error, not a panic. With
// the shim's read loop (Transport.ReadLoop), the chunks of a body come the other way, through
// functions the module exports (export_js.go), and what they are parsed into goes back as
// their result ([Reply]).
//
// [core.Transport]: github.com/ssewasm/eventsource/internal/core
package fetch
