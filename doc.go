// Package eventsource is a client for server-sent events (the WHATWG HTML standard's
// EventSource) for Go programs, native or compiled to WebAssembly.
//
// [Open] connects to an event stream and keeps the connection going as a browser's EventSource
// does: it follows the standard's parsing and processing model exactly, re-establishes a dropped
// connection after the reconnection time with the Last-Event-ID header, and fails for good on a
// response that is not a 200 text/event-stream. Events are read with [EventSource.Events]:
//
//	es, err := eventsource.Open(ctx, "https://example.com/updates")
//	if err != nil {
//		return err
//	}
//	defer es.Close()
//	for ev, err := range es.Events() {
//		if err != nil {
//			log.Print(err) // the connection dropped (and is re-established) or failed
//			continue
//		}
//		fmt.Println(ev.Type, ev.Data)
//	}
//
// Natively the stream is fetched with net/http; compiled with GOOS=js GOARCH=wasm, with the
// host's fetch().
package eventsource
