// run.js: running the Go program, with the bridge it calls (the memory it shares with the shim),
// and failing every source when it cannot run.

const start = async () => {
  const [module] = await load();
  const go = withRealClock(() => new g.Go())();
  const imports = go.importObject.gojs;
  for (const name of ["runtime.nanotime1", "runtime.walltime", "runtime.scheduleTimeoutEvent", "runtime.clearTimeoutEvent"]) {
    if (typeof imports[name] === "function") imports[name] = withRealClock(imports[name]);
  }
  const instance = await WebAssembly.instantiate(module, go.importObject);
  const ex = instance.exports;
  // Text that Go leaves in its memory (see internal/wasmabi): r / 2 bytes at at,
  // all ASCII and few if r is odd. A leading BOM is data: the parser has stripped the
  // stream's own.
  const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
  // memory() is a view of the module's whole memory, made anew only once the memory has grown,
  // which detaches the old buffer (its views' length becomes 0). Making a view per chunk, with a
  // read of the memory's buffer, cost an event that arrives alone after an idle moment about
  // 5 µs more (cold caches).
  let mem8 = new Uint8Array(0);
  const memory = () => (mem8.length ? mem8 : (mem8 = new Uint8Array(ex.mem.buffer)));
  text = (at, r) => {
    at >>>= 0;
    const bytes = memory().subarray(at, at + Math.floor(r / 2));
    return r % 2 ? String.fromCharCode.apply(null, bytes) : utf8.decode(bytes);
  };
  stats = () => {
    const at = ex.eventsource_stats() >>> 0; // first: the call may grow the memory
    const [sources, funcs, goroutines, gcs, heap] = new Float64Array(ex.mem.buffer, at, 5);
    // wasm_exec.js keeps the values Go references in go._ids (by value) until Go lets go;
    // -1 if another version of it keeps them elsewhere.
    return { sources, funcs, goroutines, gcs, heap, values: go._ids?.size ?? -1 };
  };
  const bufferSize = 65536; // of the Go buffer into which readLoop copies each chunk
  await new Promise((resolve, reject) => {
    g.__eventsourceWasmBridge = {
      ready() { bridge = this; resolve(); },
      report(msg) { console.error("EventSource (wasm):", msg); },
      // readLoop reads a response body for the Go side (fetch.Transport.ReadLoop): it copies
      // each chunk straight into a Go buffer and has Go parse it, through the module's exports
      // (see internal/wasmabi), which costs far less than a call of a Go function;
      // the events come back as the call's result, the batch that reply takes. The end of the
      // body goes to fulfilled, a failure to rejected, and so does the abort of the fetch
      // (signal): the loop settles then even where the body does not (Node.js 20, for a body
      // read to its end), and Go releases its callbacks.
      // request makes each fetch of the Go side from its description (fetch.Transport.Request).
      request(url, method, headers, lastEventId, body, withCredentials, signal, probe) {
        return fetch(url, requestInit(method, headers, lastEventId, body, withCredentials, signal, probe));
      },
      // With holdLines, a small chunk without a line break (no CR or LF) stays in the Go
      // buffer, after those before it, until a chunk with one comes (fetch.Transport.HoldLines).
      readLoop(body, id, fulfilled, rejected, reply, signal, holdLines) {
        let at = 0; // the Go buffer, of bufferSize bytes
        let held = 0; // the bytes at its start that Go has not had yet
        // give hands Go the n bytes at the buffer's start; false when goroutines have work to
        // do (fulfilled(null) wakes them).
        const give = (n) => {
          held = 0;
          const r = ex.eventsource_chunk(id, n);
          if (r > 0) reply(text(ex.eventsource_reply(), r)); // the events parsed from them
          return r >= 0;
        };
        const write = (chunk) => {
          // A large chunk (the browser hands over what has piled up) goes in parts, so that
          // the Go side never needs a larger buffer.
          for (let off = 0; off < chunk.length; off += bufferSize) {
            if (at === 0 && (at = ex.eventsource_chunk_buffer(id, bufferSize) >>> 0) === 0) {
              return fulfilled({ value: chunk.subarray(off), done: false }); // Go takes it through a call
            }
            const part = chunk.length <= bufferSize ? chunk : chunk.subarray(off, off + bufferSize);
            if (held + part.length > bufferSize && !give(held)) return fulfilled(null);
            memory().set(part, at + held);
            held += part.length;
            // Only small chunks are looked at: for a large one, the call costs little beside
            // the parsing.
            if (holdLines && part.length < 1024 && part.indexOf(10) < 0 && part.indexOf(13) < 0) continue;
            if (!give(held)) return fulfilled(null);
          }
        };
        // A call into Go that throws, or a trap of the module, is a crash: see engineDied.
        const toGo = (fn, v) => {
          try {
            fn(v);
          } catch (e) {
            engineDied(e);
          }
        };
        // At the end of the body, Go has the bytes held first (a line that the end cuts short
        // is the parser's to drop); after a failure they are dropped: they end no line, and
        // the parser drops the line they are part of anyway.
        const end = () => {
          if (held && !give(held)) fulfilled(null);
          fulfilled({ done: true });
        };
        readAhead(body, write, signal).then(() => toGo(end),
          (e) => (e instanceof WebAssembly.RuntimeError ? engineDied(e) : toGo(rejected, e)));
      },
    };
    // Before ready(), an exit is a failure to load; after it, a crash.
    const exited = (e) => (bridge ? engineDied(e) : reject(e));
    go.run(instance).then(() => exited(new Error("the Go program exited")), exited);
  });
  for (const es of waiting) startSource(es);
  waiting.clear();
};

// wasmBlocked reports whether the page's Content-Security-Policy forbids compiling
// WebAssembly: then even the smallest module, eight bytes, fails to compile.
const wasmBlocked = () => {
  try {
    new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    return false;
  } catch {
    return true;
  }
};

// startGo starts the Go side, once; started settles once it runs, or has failed to.
let started = null;
const startGo = () => {
  if (started) return started;
  started = start();
  started.catch(goFailed);
  return started;
};
const goFailed = (e) => {
  loadError = e;
  if (wasmBlocked()) {
    loadReason = "csp";
    console.error("EventSource polyfill: the page's Content-Security-Policy forbids WebAssembly; allow it with 'wasm-unsafe-eval' in script-src (every EventSource fails with reason \"csp\"):", e);
  } else {
    console.error("EventSource polyfill: could not load its WebAssembly:", e);
  }
  for (const es of waiting) failSource(es);
  waiting.clear();
  for (const watch of goneWatchers) watch(loadReason, e);
};
if (!g.document) startGo();
