// Package protocol is the protocol between the EventSource engine (Go: internal/core, run by
// wasm/) and the page's face (JavaScript: js/shim/), specified here in one place. It is pure
// Go: the engine encodes with it, and the shim's decoder (js/shim/protocol.js) is tested under
// Node.js against what this package encodes (testdata/batches.json, written by its tests).
//
// # Records out: what a source fires
//
// The engine hands what a source fires to the face in batches: one per network chunk, however
// many events it holds, because each crossing from Go to JavaScript costs about as much as a
// whole event in the browser's own EventSource. A batch is one string: fields, each followed
// by CR (which no field can contain: CR ends a line of the stream, and a response's status
// text cannot hold one), then the kinds of its records, one letter each ([Batch.Bytes]):
//
//	o  the connection is open (readyState OPEN; fire open): origin, of the messages that follow
//	m  a message event: type ("" for "message"), lastEventId, data
//	d  a message event of type "message" whose lastEventId is that of the last m record of
//	   the source (of any batch; "" before the first): data
//	p  the start of the data of the next m or d record, which comes first: data
//	x  the p records since the last m or d record belong to no message: drop them
//	e  an error event: reason, status, statusText, retry delay in ms ("" when the connection
//	   failed: readyState CLOSED; else readyState CONNECTING), message (the underlying error)
//
// A record's last field may instead come beside the batch, as a string of its own (the "last"
// field): the data of a long message, and every p record's data, are not copied into a batch.
// Only the last record of a batch can have it, and its batch's fields then lack that field.
//
// The data of m, d and p records are the stream's bytes, not yet decoded: the face decodes a
// batch with the WHATWG "UTF-8 decode" (TextDecoder), which a field's CR ends, as it ends
// whatever a decoder has started. The byte order mark of the stream is already removed; one
// that data begins with is data.
//
// # Commands in: what the face asks
//
// The face calls the engine through the bridge object that wasm/ installs (wasm/bridge.go):
// open(id, url, withCredentials, deliver, options, started, abort, reply, link) starts a
// source, close(id) closes one, stop() is the page's window.stop(), online() the page's
// "online" event after an "offline" one, suspend() and resume() the page's entry into the
// back/forward cache and its restore from it. deliver(at, r, lastAt,
// lastR) receives batches from calls of Go: at and r locate them in the module's memory, r / 2
// bytes at at, which are ASCII if r is odd (see internal/wasmabi's Text). reply receives those
// that come back as the result of the read loop's call into Go instead (internal/fetch's
// Reply, the module's exports in internal/wasmabi).
//
// # Carried by postMessage
//
// A source made with the worker option runs in the page's engine worker, and one made with the
// shared option in the origin's shared engine worker, a port for each page (js/shim/remote.js
// on the page's side, host.js on the worker's), which calls open, close and stop as the page's
// shim does, and the same batches cross by postMessage, one message each; a shared worker
// sends a connection's batches to each source on it (where there is none, a leader page does,
// over a BroadcastChannel: js/shim/leader.js, which adds {op: "open", ..., resume:
// {lastEventId}} for a source that opens again on a new leader from where its stream is):
//
//	page → worker  {op: "open", id, url, withCredentials, options}   options as the shim
//	                   checked them, with headers true for a headers function (which stays in
//	                   the page), or with the shared option the header pairs, and no signal
//	                   (the page closes the source)
//	               {op: "hello", lock}                               (shared) the page holds the
//	                                                                 Web Lock lock while it lives
//	               {op: "bye"}                                       (shared) the page is gone,
//	                                                                 or in the back/forward
//	                                                                 cache (it comes back as a
//	                                                                 new page, resuming)
//	               {op: "close", sources: [[id, wasOpen], ...]}      close() of those, together
//	               {op: "stop"}                                      the page's window.stop()
//	               {op: "online"}                                    the network is back
//	               {op: "suspend"} / {op: "resume"}                  the page enters the
//	                                                                 back/forward cache / is
//	                                                                 restored from it
//	               {op: "headers", n, pairs} / {op: "headers", n, error}  a function's answer
//	               {op: "stats", n}                                  what its Go side holds
//	worker → page  {id, batch, last}                                 records of source id
//	               {id, lastEventId, at}                             (shared) source id joins a
//	                   connection: lastEventId is that of its last m record, at the last event
//	                   ID its stream has come to; then come an "o" record if it is open and the
//	                   "p" records of a message begun, then the others
//	               {op: "headers", id, n}                            call source id's function
//	               {op: "fail", id, reason}                          source id cannot start
//	               {op: "stats", n, value}
//	               {op: "gone", reason, why}                         its Go side is gone: every
//	                                                                 source fails with reason
//
// # The options
//
// options.json lists the options of the constructor beside withCredentials: their names,
// kinds and ranges, the Go API's options that set each, and the core.Config field it sets.
// It is the one list the others are tested against: the shim's checks (js/shim/options.js,
// by TestShim), the engine's reading of the checked options (wasm/options.go, by its
// TestConfigFollowsTheSchema), the Go API (options.go), the types (js/eventsource.d.ts) and
// the README's table (options_schema_test.go).
package protocol
