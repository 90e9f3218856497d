// eventsource.js: the EventSource polyfill's loader and JavaScript face.
//
// <script src="eventsource.js"></script> installs globalThis.EventSource at once (the browser's
// own stays reachable as globalThis.NativeEventSource) and loads eventsource.wasm, found next to
// this script unless a data-wasm attribute names another URL, with the Go toolchain's
// wasm_exec.js, found next to this script unless data-wasm-exec names another. Sources
// constructed before the wasm is ready start as soon as it is; nothing is lost or reordered.
//
// The Go side implements the standard's algorithm: fetching, parsing, reconnection,
// readyState, the last event ID. This file holds the IDL surface, the loading, and the
// hand-over: Go sends each network chunk's events as one batch string (see wasm/batch.go).
"use strict";
(() => {
  const g = globalThis;
  const marker = Symbol.for("ssewasm.EventSource");
  if (g[marker]) return; // loaded twice

  const CONNECTING = 0, OPEN = 1, CLOSED = 2;
  const script = g.document && g.document.currentScript;
  const scriptURL = (script && script.src) || (g.location && g.location.href) || "";
  const attr = (name) => (script && script.getAttribute(name)) || undefined;

  // The base URL for resolving EventSource URLs: the document's, a worker's location.
  const baseURL = () => (g.document ? g.document.baseURI : g.location && g.location.href);

  let bridge = null; // {open, close}, set by the Go side once it runs
  let loadError = null; // why the wasm could not be loaded, if it could not
  const waiting = new Set(); // sources constructed before the Go side was ready
  let nextId = 1;
  const specialSchemes = new Set(["http:", "https:", "ws:", "wss:", "ftp:"]);
  let startSource, failSource; // the private #start and #failToLoad, for the loader below

  class EventSource extends EventTarget {
    #url;
    #withCredentials = false;
    #readyState = CONNECTING;
    #id = 0;
    #started = false;
    #origin = "";
    #batches = []; // [{parts, kinds, k, p}] records not dispatched yet
    #pumping = false;
    #handlers = { open: null, message: null, error: null };
    #listeners = { open: null, message: null, error: null };

    // HTML §9.2.2, the EventSource(url, eventSourceInitDict) constructor.
    constructor(url, eventSourceInitDict = undefined) {
      super();
      if (arguments.length < 1) {
        throw new TypeError("Failed to construct 'EventSource': 1 argument required, but only 0 present.");
      }
      url = `${url}`; // DOMString conversion: a Symbol throws a TypeError
      const init = eventSourceInitDict;
      if (init !== undefined && init !== null && typeof init !== "object" && typeof init !== "function") {
        throw new TypeError("Failed to construct 'EventSource': The provided value is not of type 'EventSourceInit'.");
      }
      const withCredentials = init == null ? false : Boolean(init.withCredentials);
      // Steps 3-5: parse the URL relative to the settings object; failure is a SyntaxError.
      let parsed;
      try {
        parsed = new URL(url, baseURL());
      } catch {
        parsed = null;
      }
      // The URL Standard's host parser never yields a domain with "%" in a special URL (it is a
      // forbidden domain code point), but some engines percent-encode instead of failing
      // (Chromium turns "http://a b" into "http://a%20b/").
      if (!parsed || (specialSchemes.has(parsed.protocol) && parsed.hostname.includes("%"))) {
        throw new DOMException(`Failed to construct 'EventSource': The URL '${url}' is invalid.`, "SyntaxError");
      }
      this.#url = parsed.href;
      this.#withCredentials = withCredentials; // step 7
      this.#id = nextId++;
      if (bridge) this.#start();
      else if (loadError) this.#failToLoad();
      else waiting.add(this);
    }

    get url() { return this.#url; }
    get withCredentials() { return this.#withCredentials; }
    get readyState() { return this.#readyState; }

    get onopen() { return this.#handlers.open; }
    set onopen(v) { this.#setHandler("open", v); }
    get onmessage() { return this.#handlers.message; }
    set onmessage(v) { this.#setHandler("message", v); }
    get onerror() { return this.#handlers.error; }
    set onerror(v) { this.#setHandler("error", v); }

    // close(): abort the fetch, cancel a pending reconnection, set readyState to CLOSED. Events
    // already received but not yet dispatched are dropped: each task checks readyState.
    close() {
      this.#readyState = CLOSED;
      this.#batches.length = 0;
      waiting.delete(this);
      if (this.#started) {
        this.#started = false;
        bridge.close(this.#id);
      }
    }

    // Event handler IDL attributes (HTML §8.1.8.1): the first non-null value registers one
    // listener, which keeps its place among the others when the value changes; null removes
    // it. Non-object values are treated as null ([LegacyTreatNonObjectAsNull]).
    #setHandler(type, v) {
      if (typeof v !== "object" && typeof v !== "function") v = null;
      this.#handlers[type] = v;
      if (v === null) {
        if (this.#listeners[type]) this.removeEventListener(type, this.#listeners[type]);
        this.#listeners[type] = null;
      } else if (!this.#listeners[type]) {
        const listener = (event) => {
          const h = this.#handlers[type];
          if (typeof h === "function") h.call(event.currentTarget, event);
        };
        this.#listeners[type] = listener;
        this.addEventListener(type, listener);
      }
    }

    #start() {
      this.#started = true;
      const err = bridge.open(this.#id, this.#url, this.#withCredentials, (batch) => this.#receive(batch));
      if (err) console.error("EventSource:", err);
    }

    // The wasm could not be loaded: fail the connection, as a fetch that cannot start would.
    #failToLoad() {
      queueMicrotask(() => {
        if (this.#readyState === CLOSED) return;
        this.#readyState = CLOSED;
        this.dispatchEvent(new Event("error"));
      });
    }

    // #receive takes a batch from Go. Its records are dispatched one per microtask, so that
    // microtasks a listener queues run before the next event, as between native tasks.
    #receive(batch) {
      if (this.#readyState === CLOSED) return;
      const parts = batch.split("\r");
      const kinds = parts.pop();
      this.#batches.push({ parts, kinds, k: 0, p: 0 });
      if (!this.#pumping) {
        this.#pumping = true;
        queueMicrotask(this.#pump);
      }
    }

    #pump = () => {
      const b = this.#batches[0];
      if (!b || this.#readyState === CLOSED) {
        this.#pumping = false;
        return;
      }
      const kind = b.kinds[b.k++], parts = b.parts, p = b.p;
      if (b.k === b.kinds.length) this.#batches.shift();
      if (kind === "m") {
        b.p = p + 3;
        this.dispatchEvent(new MessageEvent(parts[p] || "message", {
          data: parts[p + 2], origin: this.#origin, lastEventId: parts[p + 1],
        }));
      } else if (kind === "o") {
        // "Announce the connection": readyState OPEN, fire open.
        b.p = p + 1;
        this.#origin = parts[p];
        this.#readyState = OPEN;
        this.dispatchEvent(new Event("open"));
      } else if (kind === "e") {
        // "Reestablish the connection" (a retry delay follows: CONNECTING) or "fail the
        // connection" (none: CLOSED); either way, fire error.
        b.p = p + 5;
        this.#readyState = parts[p + 3] === "" ? CLOSED : CONNECTING;
        if (this.#readyState === CLOSED) this.#started = false;
        this.dispatchEvent(new Event("error"));
      }
      queueMicrotask(this.#pump);
    };

    static {
      startSource = (es) => es.#start();
      failSource = (es) => es.#failToLoad();
    }
  }

  // IDL details the class syntax does not give: constants on the constructor and prototype,
  // enumerable attributes, and the class string.
  for (const [name, value] of [["CONNECTING", CONNECTING], ["OPEN", OPEN], ["CLOSED", CLOSED]]) {
    const desc = { value, enumerable: true, writable: false, configurable: false };
    Object.defineProperty(EventSource, name, desc);
    Object.defineProperty(EventSource.prototype, name, desc);
  }
  for (const name of ["url", "withCredentials", "readyState", "onopen", "onmessage", "onerror", "close"]) {
    Object.defineProperty(EventSource.prototype, name, { enumerable: true });
  }
  Object.defineProperty(EventSource.prototype, Symbol.toStringTag, { value: "EventSource", configurable: true });

  // For tests: what the Go side holds ({sources, funcs, goroutines}), or null before it runs.
  Object.defineProperty(EventSource, Symbol.for("ssewasm.stats"), { value: () => (bridge ? bridge.stats() : null) });

  if (g.EventSource) g.NativeEventSource = g.EventSource;
  g.EventSource = EventSource;
  g[marker] = true;

  // Loading: compile the wasm while wasm_exec.js loads, then run the Go program, which calls
  // bridge.ready() once it has installed open and close.
  const wasmURL = new URL(attr("data-wasm") || "eventsource.wasm", attr("data-wasm") ? baseURL() : scriptURL);
  const execURL = new URL(attr("data-wasm-exec") || "wasm_exec.js", attr("data-wasm-exec") ? baseURL() : scriptURL);

  const compile = async () => {
    const response = fetch(wasmURL);
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (e) {
      // compileStreaming needs the application/wasm type; fall back for servers without it.
      const res = await response;
      if (!res.ok) throw new Error(`${wasmURL}: HTTP ${res.status}`);
      return WebAssembly.compile(await res.clone().arrayBuffer());
    }
  };

  const loadGo = () => new Promise((resolve, reject) => {
    if (typeof g.Go === "function") return resolve();
    if (typeof g.importScripts === "function" && !g.document) {
      g.importScripts(execURL.href); // a worker
      return resolve();
    }
    const el = g.document.createElement("script");
    el.src = execURL.href;
    el.onload = () => resolve();
    el.onerror = () => reject(new Error(`could not load ${execURL}`));
    (g.document.head || g.document.documentElement).appendChild(el);
  });

  const start = async () => {
    const [module] = await Promise.all([compile(), loadGo()]);
    const go = new g.Go();
    const instance = await WebAssembly.instantiate(module, go.importObject);
    await new Promise((resolve, reject) => {
      g.__eventsourceWasmBridge = {
        ready() { bridge = this; resolve(); },
        report(msg) { console.error("EventSource (wasm):", msg); },
      };
      go.run(instance).then(() => reject(new Error("the Go program exited")), reject);
    });
    for (const es of waiting) startSource(es);
    waiting.clear();
  };

  start().catch((e) => {
    loadError = e;
    console.error("EventSource polyfill: could not load its WebAssembly:", e);
    for (const es of waiting) failSource(es);
    waiting.clear();
  });
})();
