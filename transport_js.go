//go:build js && wasm

package eventsource

import (
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/fetch"
)

// defaultTransport is the host's fetch() in WebAssembly, with requests built in Go (a program
// has no shim to build them).
func defaultTransport() core.Transport {
	return &fetch.Transport{Init: fetch.RequestInit, ReadInGo: fetch.ReadInGo}
}
