// harness.js: the page's side of cmd/bench, inlined after the polyfill's script tag.
// globalThis.benchConfig, set just before, says which implementation the page uses ("native":
// the browser's own, kept as NativeEventSource; "polyfill": globalThis.EventSource), whether
// the polyfill's script was loaded, the page's timeout, whether to measure startup, and whether
// the polyfill's sources have an option that runs their engine elsewhere (option: "worker",
// -worker, or "shared", -shared).
"use strict";
globalThis.bench = (() => {
  const cfg = globalThis.benchConfig;
  const Impl = cfg.impl === "native" ? globalThis.NativeEventSource || globalThis.EventSource : globalThis.EventSource;
  // ES is the implementation's constructor, with the option asked for.
  const ES = cfg.option ? function (url) { return new Impl(url, { [cfg.option]: true }); } : Impl;
  const stats = () => {
    const f = globalThis.EventSource[Symbol.for("ssewasm.stats")];
    return f ? f() : null;
  };
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // sig abbreviates data as cmd/bench's signature does.
  const sig = (d) => d.slice(0, 40) + "|" + d.length + "|" + d.slice(Math.max(0, d.length - 40));

  // ready resolves once the polyfill's engine runs (its Go side starts with the first source
  // that needs it, in the page or an engine worker: a first one, so that it runs already), in
  // every page of the polyfill except the startup page (which counts the load), so that the
  // streams time the implementations. A page of native loads the polyfill too, which stays idle.
  const ready = (async () => {
    if (!cfg.script) return;
    if (typeof globalThis.NativeEventSource !== "function" || globalThis.EventSource === globalThis.NativeEventSource) {
      throw new Error("the polyfill did not install itself as EventSource, keeping NativeEventSource");
    }
    if (cfg.startup || cfg.impl === "native") return;
    if (typeof globalThis.EventSource[Symbol.for("ssewasm.stats")] !== "function") {
      throw new Error('the polyfill has no EventSource[Symbol.for("ssewasm.stats")]');
    }
    await new Promise((resolve, reject) => {
      const es = new ES("/hello");
      es.onmessage = () => { es.close(); resolve(); };
      es.onerror = () => { es.close(); reject(new Error("the polyfill's engine did not start")); };
    });
    const t0 = performance.now();
    while (!cfg.option && stats() === null) {
      if (performance.now() - t0 > cfg.timeoutMs) throw new Error("the polyfill's wasm did not start");
      await sleep(4);
    }
  })();

  // run opens a source on url and resolves, once n messages have arrived (or on an error event
  // or the timeout), with a tally of them and the times of open, first and last message. With
  // latency set, each message's data is its send time in Unix ns, and lat gets receive - send
  // in ms. The steady-state handler is minimal: it measures the implementation; with async set,
  // it is an async function (which returns a promise).
  const run = (url, n, latency, async) => new Promise((resolve) => {
    const es = new ES(url);
    const lat = [];
    let count = 0, sum = 0, first = "", tOpen = -1, tFirst = -1, done = false;
    const finish = (error, last, timedOut) => {
      const tLast = performance.now();
      if (done) return;
      done = true;
      clearTimeout(timer);
      es.close();
      const tally = { n: count, sum, first: count ? sig(first) : "", last: last === undefined ? "" : sig(last) };
      resolve({ error, timedOut: !!timedOut, tally, tOpen, tFirst, tLast, lat });
    };
    const timer = setTimeout(() => finish(`timed out after ${count} of ${n} messages`, undefined, true), cfg.timeoutMs);
    es.onopen = () => { if (tOpen < 0) tOpen = performance.now(); };
    es.onerror = () => finish(`error event after ${count} of ${n} messages (readyState ${es.readyState})`);
    const rest = latency
      ? (e) => { lat.push(performance.timeOrigin + performance.now() - e.data / 1e6); sum += e.data.length; if (++count === n) finish("", e.data); }
      : async
        ? async (e) => { sum += e.data.length; if (++count === n) finish("", e.data); }
        : (e) => { sum += e.data.length; if (++count === n) finish("", e.data); };
    es.onmessage = (e) => { tFirst = performance.now(); first = e.data; es.onmessage = rest; rest(e); };
  });

  // startup opens a source at once; it resolves with performance.now() (ms since navigation
  // start) at the first message, and when the polyfill's wasm had arrived (its resource
  // timing's responseEnd; -1 without it).
  const startup = cfg.startup && new Promise((resolve) => {
    const es = new ES("/hello");
    const timer = setTimeout(() => resolve({ error: "timed out" }), cfg.timeoutMs);
    const wasmEnd = () => {
      const r = performance.getEntriesByType("resource").find((r) => new URL(r.name).pathname.endsWith(".wasm"));
      return r ? r.responseEnd : -1;
    };
    es.onmessage = (e) => { const t = performance.now(); clearTimeout(timer); es.close(); resolve({ t, wasmEnd: wasmEnd(), data: e.data, error: "" }); };
    es.onerror = () => { clearTimeout(timer); es.close(); resolve({ error: "error event" }); };
  });

  // wasmMem is the byte length of the polyfill's wasm memory, caught by wasmhook.js, or -1.
  const wasmMem = () => (globalThis.benchWasmMemory ? globalThis.benchWasmMemory.buffer.byteLength : -1);

  return { ready, run, startup, stats, wasmMem };
})();
