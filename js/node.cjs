// node.cjs: the polyfill for Node.js 20 and later, which has fetch() but no EventSource.
//
//   const { EventSource } = require("ssewasm-eventsource");
//
// loads the Go toolchain's wasm_exec.js and the polyfill (web/eventsource.js) with its wasm
// read from disk, and installs globalThis.EventSource when Node has none. The export is the
// polyfill in any case.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const web = path.join(__dirname, "..", "web");
const had = Object.getOwnPropertyDescriptor(globalThis, "EventSource");

if (typeof globalThis.Go !== "function") require(path.join(web, "wasm_exec.js"));
globalThis[Symbol.for("ssewasm.wasmSource")] = fs.promises.readFile(path.join(web, "eventsource.wasm"));
// The real clock and timers, which a test's fake timers replace on globalThis only: the
// polyfill's Go runtime keeps using these (see js/shim/clock.js).
const timers = require("node:timers");
globalThis[Symbol.for("ssewasm.clock")] = {
  performance: require("node:perf_hooks").performance,
  setTimeout: timers.setTimeout,
  clearTimeout: timers.clearTimeout,
  setImmediate: timers.setImmediate,
  queueMicrotask: globalThis.queueMicrotask,
};
require(path.join(web, "eventsource.js"));

const EventSource = globalThis.EventSource;
if (had) {
  // Node's own EventSource stays the global; the polyfill is the export.
  Object.defineProperty(globalThis, "EventSource", had);
  delete globalThis.NativeEventSource;
}
module.exports = { EventSource, default: EventSource };
