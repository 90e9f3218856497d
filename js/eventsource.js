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
  // This script's own URL: the script element's, or in a worker (importScripts, no
  // currentScript) the first script URL of the stack trace, which is this file's.
  const stackURL = () => {
    const m = /((?:https?|file|blob):[^\s()@]*?\.m?[jt]s)(?::\d+)*/.exec(new Error().stack || "");
    return m ? m[1] : "";
  };
  const scriptURL = (script && script.src) || (!g.document && stackURL()) || (g.location && g.location.href) || "";
  const attr = (name) => (script && script.getAttribute(name)) || undefined;

  // The base URL for resolving EventSource URLs: the document's, a worker's location.
  const baseURL = () => (g.document ? g.document.baseURI : g.location && g.location.href);

  let bridge = null; // {open, close}, set by the Go side once it runs
  let loadError = null; // why the wasm could not be loaded, if it could not
  const waiting = new Set(); // sources constructed before the Go side was ready
  let nextId = 1;
  const specialSchemes = new Set(["http:", "https:", "ws:", "wss:", "ftp:"]);
  let startSource, failSource; // the private #start and #failToLoad, for the loader below

  // errorEvent makes an error event that says what happened (the polyfill's extension; it
  // stays a plain Event): reason, status and statusText of the response if any, willRetry, and
  // retryIn (ms) when a reconnection is scheduled (retryIn < 0: none).
  const errorEvent = (reason, status, statusText, retryIn) => {
    const e = new Event("error");
    const ro = (value) => ({ value, enumerable: true });
    Object.defineProperties(e, {
      reason: ro(reason), status: ro(status), statusText: ro(statusText),
      willRetry: ro(retryIn >= 0), retryIn: ro(retryIn >= 0 ? retryIn : undefined),
    });
    return e;
  };

  // readOptions checks the extensions of the init dictionary (README, "Options") and returns
  // them normalized for the Go side, or null when there are none. A bad value throws a
  // TypeError that names the option; unknown keys of retry are errors too.
  const readOptions = (init) => {
    if (init == null) return null;
    const bad = (name, want) => {
      throw new TypeError(`Failed to construct 'EventSource': option ${name}: ${want}`);
    };
    const o = {};
    const { headers, method, body, lastEventId, retry, idleTimeout, signal, lastEventIdParam } = init;
    if (headers !== undefined) {
      if (typeof headers === "function") {
        o.headers = async () => headerPairs(await headers(), bad);
      } else if (headers !== null && typeof headers === "object") {
        const pairs = headerPairs(headers, bad);
        o.headers = () => Promise.resolve(pairs);
      } else bad("headers", "must be an object, a Headers or a function");
    }
    if (method !== undefined) {
      if (typeof method !== "string" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) bad("method", "must be an HTTP method name");
      if (/^(CONNECT|TRACE|TRACK)$/i.test(method)) bad("method", `${method} is forbidden by fetch()`);
      o.method = method;
    }
    if (body !== undefined && body !== null) {
      if (typeof body === "string") o.body = new TextEncoder().encode(body);
      else if (body instanceof ArrayBuffer) o.body = new Uint8Array(body.slice(0));
      else if (ArrayBuffer.isView(body)) o.body = new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
      else bad("body", "must be a string, an ArrayBuffer or a typed array");
      if (!o.method || /^(GET|HEAD)$/i.test(o.method)) bad("body", "needs a method other than GET and HEAD");
    }
    if (lastEventId !== undefined) {
      if (typeof lastEventId !== "string" || /[\0\r\n]/.test(lastEventId)) bad("lastEventId", "must be a string without NUL, CR or LF");
      o.lastEventId = lastEventId;
    }
    if (retry !== undefined) {
      if (retry === null || typeof retry !== "object") bad("retry", "must be an object");
      const known = { initialDelay: [0, Infinity], maxDelay: [0, Infinity], factor: [1, 1e6], jitter: [0, 1], maxAttempts: [0, 2 ** 31 - 1] };
      o.retry = {};
      for (const key of Object.keys(retry)) {
        const v = retry[key];
        if (key === "retryServerErrors") {
          if (typeof v !== "boolean") bad("retry.retryServerErrors", "must be a boolean");
        } else if (!known[key]) {
          bad(`retry.${key}`, "is not an option (initialDelay, maxDelay, factor, jitter, maxAttempts, retryServerErrors)");
        } else if (typeof v !== "number" || !Number.isFinite(v) || v < known[key][0] || v > known[key][1] || (key === "maxAttempts" && !Number.isInteger(v))) {
          bad(`retry.${key}`, `must be a ${key === "maxAttempts" ? "whole " : ""}number from ${known[key][0]} to ${known[key][1]}`);
        }
        o.retry[key] = v;
      }
    }
    if (idleTimeout !== undefined) {
      if (typeof idleTimeout !== "number" || !Number.isFinite(idleTimeout) || idleTimeout < 0) bad("idleTimeout", "must be a number of milliseconds, 0 or more");
      o.idleTimeout = idleTimeout;
    }
    if (signal !== undefined) {
      if (typeof AbortSignal !== "function" || !(signal instanceof AbortSignal)) bad("signal", "must be an AbortSignal");
      o.signal = signal;
    }
    if (lastEventIdParam !== undefined) {
      if (typeof lastEventIdParam !== "string" || lastEventIdParam === "") bad("lastEventIdParam", "must be a non-empty string");
      o.lastEventIdParam = lastEventIdParam;
    }
    return Object.keys(o).length ? o : null;
  };

  // headerPairs turns an object or a Headers into [name, value] pairs, checked by Headers.
  const headerPairs = (h, bad) => {
    if (h === null || (typeof h !== "object")) bad("headers", "the function must return an object or a Headers");
    try {
      return [...new Headers(h)];
    } catch (e) {
      bad("headers", e.message);
    }
  };

  class EventSource extends EventTarget {
    #url;
    #withCredentials = false;
    #readyState = CONNECTING;
    #id = 0;
    #started = false;
    #origin = "";
    #options = null; // the checked extensions of the init dictionary, or null
    #prefetched = null; // {promise, ctrl}: the first request, started before the wasm was ready
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
      const options = readOptions(init); // the extensions; throws a TypeError naming a bad one
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
      this.#options = options;
      this.#id = nextId++;
      if (options && options.signal) {
        const signal = options.signal;
        if (signal.aborted) {
          this.#abort();
          return;
        }
        signal.addEventListener("abort", () => this.#abort(), { once: true });
      }
      if (bridge) this.#start();
      else if (loadError) this.#failToLoad();
      else {
        waiting.add(this);
        if (!options) this.#prefetch();
      }
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
      if (this.#prefetched) {
        this.#prefetched.ctrl.abort();
        this.#prefetched = null;
      }
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

    // HTML §9.2.2 step 15: the constructor fetches at once. While the wasm loads, the shim
    // starts that first request itself, exactly as the Go side would make it (requestInit in
    // internal/fetch/fetch_js.go), and hands it over when the Go side runs. Only for sources
    // without options: their first request may need the Go side (a headers function, say).
    #prefetch() {
      const ctrl = new AbortController();
      const promise = fetch(this.#url, {
        method: "GET",
        headers: { Accept: "text/event-stream" },
        mode: "cors",
        credentials: this.#withCredentials ? "include" : "same-origin",
        cache: "no-store",
        redirect: "follow",
        signal: ctrl.signal,
      });
      promise.catch(() => {}); // the Go side handles a failure
      this.#prefetched = { promise, ctrl };
    }

    #start() {
      this.#started = true;
      const pre = this.#prefetched;
      this.#prefetched = null;
      const err = bridge.open(this.#id, this.#url, this.#withCredentials, (batch) => this.#receive(batch), this.#options,
        pre ? pre.promise : undefined, pre ? pre.ctrl : undefined);
      if (err) {
        console.error("EventSource:", err);
        this.#failToLoad();
      }
    }

    // The init dictionary's signal aborted: close, and fire error with reason "aborted".
    #abort() {
      if (this.#readyState === CLOSED) return;
      this.close();
      queueMicrotask(() => this.dispatchEvent(errorEvent("aborted", 0, "", -1)));
    }

    // The wasm could not be loaded: fail the connection, as a fetch that cannot start would.
    #failToLoad() {
      if (this.#prefetched) {
        this.#prefetched.ctrl.abort();
        this.#prefetched = null;
      }
      queueMicrotask(() => {
        if (this.#readyState === CLOSED) return;
        this.#readyState = CLOSED;
        this.dispatchEvent(errorEvent("internal", 0, "", -1));
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
        const retry = parts[p + 3];
        this.#readyState = retry === "" ? CLOSED : CONNECTING;
        if (this.#readyState === CLOSED) this.#started = false;
        this.dispatchEvent(errorEvent(parts[p], +parts[p + 1], parts[p + 2], retry === "" ? -1 : +retry));
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
  const urlOf = (name, file) => (attr(name) || scriptURL ? new URL(attr(name) || file, attr(name) ? baseURL() : scriptURL) : null);
  const wasmURL = urlOf("data-wasm", "eventsource.wasm");
  const execURL = urlOf("data-wasm-exec", "wasm_exec.js");

  const compile = async () => {
    // Node.js (js/node.cjs) hands over the wasm's bytes, read from disk.
    const source = g[Symbol.for("ssewasm.wasmSource")];
    if (source) return WebAssembly.compile(await source);
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
