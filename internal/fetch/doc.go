// Package fetch is a [core.Transport] over the JavaScript fetch() API, for Go compiled with
// GOOS=js GOARCH=wasm: in browsers, workers and Node.js. Every call into JavaScript goes through
// github.com/hack-pad/safejs, so a JavaScript exception becomes a Go error, not a panic.
//
// [core.Transport]: github.com/ssewasm/eventsource/internal/core
package fetch
