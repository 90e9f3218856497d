//go:build js && wasm

// Command floor is the startup floor that cmd/bench compares the polyfill with: the smallest Go
// program that uses safejs, as the polyfill's Go side does. It calls the page's floorReady()
// once it runs, and stays.
package main

import "github.com/hack-pad/safejs"

func main() {
	if ready, err := safejs.Global().Get("floorReady"); err == nil {
		_, _ = ready.Invoke()
	}
	select {}
}
