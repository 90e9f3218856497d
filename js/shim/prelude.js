// prelude.js: the EventSource polyfill's shim, first of its files (build.sh joins them, in the
// order it lists, inside one function, into web/eventsource.js).
//
// <script src="eventsource.js"></script> installs globalThis.EventSource at once (the browser's
// own stays reachable as globalThis.NativeEventSource); its first source that runs in the page
// loads eventsource.wasm, found next to this script unless a data-wasm attribute names another
// URL, with the Go toolchain's wasm_exec.js, found next to this script unless data-wasm-exec
// names another. Sources constructed before the wasm is ready start as soon as it is; nothing
// is lost or reordered.
//
// The Go side implements the standard's algorithm: fetching, parsing, reconnection,
// readyState, the last event ID. The shim holds the IDL surface, the loading, and the
// hand-over: Go sends each network chunk's events as one batch string (internal/protocol).
// Its files:
//   prelude.js      this: the global object, the guard against loading twice, readyStates
//   clock.js        the real clock and timers, kept from fakes installed later
//   load.js         finding and fetching eventsource.wasm and wasm_exec.js
//   engine.js       the Go side as the sources see it: its bridge, the sources it runs, a crash
//   events.js       the event objects and their dispatch, listener arguments
//   options.js      the checks of the constructor's options
//   protocol.js     the decoder of the records the Go side sends (internal/protocol)
//   request.js      the one builder of the polyfill's requests
//   eventsource.js  the EventSource class
//   remote.js       the engine in a worker, for the sources with the worker or shared option: the
//                   page's side
//   leader.js       the shared option without a shared worker: a leader page runs the connections
//   install.js      the globals: EventSource, NativeEventSource, the test hooks
//   lifecycle.js    the page's life cycle: window.stop(), online, the back/forward cache
//   body.js         reading a response body with reads pending
//   run.js          running the Go program, the bridge it calls, failing if it cannot run
//   host.js         the engine in a worker (a page's, or the origin's shared one): the worker's
//                   side, which shares a connection among the sources with the shared option

const g = globalThis;
const marker = Symbol.for("ssewasm.EventSource");
if (g[marker]) return; // loaded twice

const CONNECTING = 0, OPEN = 1, CLOSED = 2;
