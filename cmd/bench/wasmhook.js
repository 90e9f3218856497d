// wasmhook.js: inlined before the polyfill's script in the memory workload's page only. It
// wraps WebAssembly.instantiate and instantiateStreaming to keep the memory that an instance
// exports as "mem" (Go's wasm does) in globalThis.benchWasmMemory.
"use strict";
(() => {
  const W = WebAssembly;
  const keep = (r) => {
    const inst = r instanceof W.Instance ? r : r && r.instance;
    if (inst && inst.exports.mem instanceof W.Memory) globalThis.benchWasmMemory = inst.exports.mem;
    return r;
  };
  for (const name of ["instantiate", "instantiateStreaming"]) {
    const f = W[name];
    if (f) W[name] = function (...args) { return f.apply(this, args).then(keep); };
  }
})();
