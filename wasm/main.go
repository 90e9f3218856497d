//go:build js && wasm

// Command wasm is the EventSource polyfill's WebAssembly side. The shim (js/shim/)
// loads it and hands it a bridge object; main installs open and close on it, signals that it
// is ready, and then serves EventSource objects for the life of the page.
package main

import (
	"os"

	"github.com/hack-pad/safejs"
)

// bridgeName is the global property through which the shim hands over its bridge object.
const bridgeName = "__eventsourceWasmBridge"

func main() {
	if err := run(); err != nil {
		// Nothing is listening yet: tell the console, and the shim through its onerror. (Not
		// through os.Stderr, whose error handling would cost the wasm about 7 KB.)
		if console, e := safejs.Global().Get("console"); e == nil {
			_, _ = console.Call("error", "eventsource: "+err.Error())
		}
		os.Exit(1)
	}
	select {} // keep serving callbacks; returning would end the Go program
}

func run() error {
	global := safejs.Global()
	bridge, err := global.Get(bridgeName)
	if err != nil || bridge.Type() != safejs.TypeObject {
		return errMissingBridge
	}
	if err := global.Delete(bridgeName); err != nil {
		return err
	}
	return newBridge(bridge).install()
}
