//go:build js && wasm

package eventsource

import "github.com/ssewasm/eventsource/internal/fetch"

// defaultTransport is the host's fetch() in WebAssembly.
func defaultTransport() Transport { return &fetch.Transport{} }
