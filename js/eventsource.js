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

  // The real clock, timers and microtask queue, as found when this file runs. A page or a test
  // that installs fake timers later (a fake clock that starts at 0, as test tools do) must not
  // break the polyfill: Go's runtime aborts when its clock reads 0 ("nanotime returning zero"),
  // and its timers (reconnection delays) must run. Node.js hands over its own from node:timers
  // and node:perf_hooks (js/node.cjs), which fakes leave alone.
  const real = g[Symbol.for("ssewasm.clock")] || g;
  const perf = real.performance;
  const now = perf.now.bind(perf);
  const microtask = real.queueMicrotask.bind(g);
  // The globals wasm_exec.js reads when Go asks for the time or a timer: Date (walltime; also
  // Go's clock origin, read once in new Go()), performance, setTimeout and clearTimeout.
  const clock = {
    Date: class Date {
      static now() { return perf.timeOrigin + now(); }
      getTime() { return Date.now(); }
    },
    performance: { now },
    setTimeout: real.setTimeout,
    clearTimeout: real.clearTimeout,
  };
  const loadTime = { Date: g.Date, now: perf.now };
  // withRealClock(fn) runs fn with those globals set to the real ones, if something has
  // replaced one of them (since this file ran, for Date), and puts back what it found.
  const withRealClock = (fn) => function (...args) {
    if (g.setTimeout === clock.setTimeout && g.clearTimeout === clock.clearTimeout && g.performance === perf &&
      perf.now === loadTime.now && g.Date === loadTime.Date) {
      return fn.apply(this, args); // nothing faked: the common case costs five comparisons
    }
    const found = {};
    for (const name in clock) {
      found[name] = g[name];
      g[name] = clock[name];
    }
    try {
      return fn.apply(this, args);
    } finally {
      for (const name in clock) g[name] = found[name];
    }
  };
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

  // Loading starts here, before the rest of this file runs: wasm_exec.js, and the wasm, compiled
  // as it arrives. start(), at the end, runs the Go program, which calls bridge.ready() once it
  // has installed open and close.
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
    // A script added by script loads at low priority, and Chromium holds it back behind the
    // wasm's request: ask for it at the priority of a script in the page, which it stands for.
    el.fetchPriority = "high";
    el.src = execURL.href;
    el.onload = () => resolve();
    el.onerror = () => reject(new Error(`could not load ${execURL}`));
    (g.document.head || g.document.documentElement).appendChild(el);
  });

  // In a page, wasm_exec.js's request goes first, as it is small; in a worker, importScripts
  // blocks, so the wasm's request goes first there.
  const goLoaded = g.document ? loadGo() : null;
  const compiled = compile();
  const loaded = Promise.all([compiled, goLoaded ?? loadGo()]);

  let bridge = null; // {open, close}, set by the Go side once it runs
  let text, stats; // decode text from Go's memory, and read its stats: set once it runs
  let loadError = null; // why the wasm could not be loaded, if it could not
  let loadReason = "internal"; // the reason of the error events of sources it fails: or "csp"
  const live = new Set(); // the sources started on the Go side and not closed or failed

  // engineDied(why): the Go side has crashed: it exited (a panic, running out of memory), or a
  // call into it threw, which a working one never does. Every source fails, with reason
  // "internal", and those made afterwards fail at once: none waits for a Go side that is gone.
  const engineDied = (why) => {
    if (!bridge) return;
    bridge = null;
    loadError = why;
    loadReason = "internal";
    console.error("EventSource polyfill: its WebAssembly side crashed; every EventSource fails:", why);
    for (const es of live) failSource(es);
    live.clear();
  };
  const waiting = new Set(); // sources constructed before the Go side was ready
  let nextId = 1;
  const specialSchemes = new Set(["http:", "https:", "ws:", "wss:", "ftp:"]);
  // follow(ctrl, signal) aborts ctrl when signal aborts, unless ctrl is aborted first: the
  // listener goes then, so that a long-lived source's signal keeps none per fetch.
  const follow = (ctrl, signal) => {
    const abort = () => ctrl.abort();
    signal.addEventListener("abort", abort, { once: true });
    ctrl.signal.addEventListener("abort", () => signal.removeEventListener("abort", abort), { once: true });
  };

  // closeInGo(id, closer, open) ends the fetch of a source that close() closed, by aborting
  // closer (Go's fetches follow its signal), and has the Go side close the source, in a
  // microtask, with the others closed meanwhile. A page that closes many sources in a loop must
  // not free a connection for a request that waits for one (six per host over HTTP/1.1) of a
  // source it closes a moment later: the browser sends such a request as soon as a connection
  // is free. So the fetch of a source that was not open (waiting for its response, perhaps for
  // a connection) is aborted at once, and that of an open one (which holds a connection) only
  // in the microtask, after all those.
  const closing = [];
  const closeInGo = (id, closer, open) => {
    if (!open) closer.abort();
    if (closing.push({ id, closer }) === 1) microtask(() => {
      const closed = closing.splice(0);
      for (const c of closed) c.closer.abort();
      try {
        for (const c of closed) if (bridge) bridge.close(c.id);
      } catch (e) {
        engineDied(e);
      }
    });
  };
  let startSource, failSource, abortSource; // the private #start, #failToLoad and #abort, for the loader and stop below

  // ---- Events and listeners ----------------------------------------------------------------
  //
  // The standard fires open and error as Events and messages as MessageEvents. A platform
  // MessageEvent costs Chromium about 1.9 µs to create and 0.5 µs to dispatch, more than its own
  // EventSource spends on a whole event, so the polyfill fires script objects that behave as
  // those events instead: instances of Event or MessageEvent with every attribute and method of
  // the DOM and HTML interfaces, isTrusted true as the browser's own events have, created for
  // about 0.02 µs. An EventSource keeps its listeners itself and invokes them as DOM's "dispatch"
  // does at a target; it also registers them with EventTarget, so that dispatchEvent() of an
  // event made by script reaches them the platform's way. What a script can tell: the event's
  // prototype is not MessageEvent.prototype itself but inherits from it, and a platform API
  // that wants a platform Event (dispatchEvent on another target, say) refuses it (README,
  // "Differences from the browser's own EventSource").

  const NONE = 0, AT_TARGET = 2; // Event.eventPhase values
  // An event's flags (DOM §2.2), in one number.
  const STOP = 1, STOP_IMMEDIATE = 2, CANCELED = 4, DISPATCHING = 8, BUBBLES = 16, CANCELABLE = 32;
  const noPorts = Object.freeze([]);
  const report = typeof g.reportError === "function" ? (e) => g.reportError(e) : (e) => microtask(() => { throw e; });

  // The prototypes of the events: eventProto for open and error, messageProto for messages.
  // Their constructor is the platform's, so that e.constructor === MessageEvent, and their class
  // string is inherited from it.
  const ownProto = (base) => base && Object.create(base.prototype, { constructor: { value: base, writable: true, configurable: true } });
  const eventProto = ownProto(g.Event);
  const messageProto = ownProto(g.MessageEvent) || ownProto(g.Event);
  let newEvent, newMessage, fire, fireOne, finish; // set in SourceEvent's static block

  // Stamp's constructor returns the object it is given, so that a subclass's fields (private
  // ones too) are defined on an object of any prototype.
  class Stamp {
    constructor(o) { return o; }
  }

  // SourceEvent is the state of an event fired by an EventSource; the accessors on eventProto
  // and messageProto read it.
  class SourceEvent extends Stamp {
    isTrusted = true; // an own property, as [LegacyUnforgeable] makes it on platform events
    #type; #target; #timeStamp; #data; #origin; #lastEventId;
    #current = null; // the current target, set while the event is dispatched (eventPhase AT_TARGET)
    #flags = 0;
    #init = null; // {source, ports} once initMessageEvent has set them

    constructor(proto, type, target, timeStamp, data, origin, lastEventId) {
      super(Object.create(proto));
      this.#type = type;
      this.#target = target;
      this.#timeStamp = timeStamp;
      this.#data = data;
      this.#origin = origin;
      this.#lastEventId = lastEventId;
    }

    static {
      newEvent = (type, target, timeStamp) => new SourceEvent(eventProto, type, target, timeStamp, undefined, "", "");
      newMessage = (type, target, timeStamp, data, origin, lastEventId) => new SourceEvent(messageProto, type, target, timeStamp, data, origin, lastEventId);

      // DOM §2.9 "initialize" an event, for initEvent and initMessageEvent.
      const initialize = (e, type, bubbles, cancelable) => {
        e.#type = `${type}`;
        e.#flags = (bubbles ? BUBBLES : 0) | (cancelable ? CANCELABLE : 0);
        e.#target = null;
        e.isTrusted = false;
      };
      const has = (e, flag) => (e.#flags & flag) !== 0;
      const need = (n, args, method, iface) => {
        if (args.length < n) throw new TypeError(`Failed to execute '${method}' on '${iface}': ${n} argument required, but only ${args.length} present.`);
      };
      const members = {
        type: { get() { return this.#type; } },
        target: { get() { return this.#target; } },
        srcElement: { get() { return this.#target; } },
        currentTarget: { get() { return this.#current; } },
        eventPhase: { get() { return this.#current === null ? NONE : AT_TARGET; } },
        bubbles: { get() { return has(this, BUBBLES); } },
        cancelable: { get() { return has(this, CANCELABLE); } },
        defaultPrevented: { get() { return has(this, CANCELED); } },
        composed: { get() { return false; } },
        timeStamp: { get() { return this.#timeStamp; } },
        returnValue: {
          get() { return !has(this, CANCELED); },
          set(v) { if (!v && has(this, CANCELABLE)) this.#flags |= CANCELED; },
        },
        cancelBubble: {
          get() { return has(this, STOP); },
          set(v) { if (v) this.#flags |= STOP; },
        },
        composedPath: { value() { return has(this, DISPATCHING) ? [this.#target] : []; } },
        stopPropagation: { value() { this.#flags |= STOP; } },
        stopImmediatePropagation: { value() { this.#flags |= STOP | STOP_IMMEDIATE; } },
        // The events an EventSource fires are not cancelable; one made so with initEvent is
        // canceled (its listener may be passive, but it can only be dispatched by an
        // EventSource, which does not cancel it anyway).
        preventDefault: { value() { if (has(this, CANCELABLE)) this.#flags |= CANCELED; } },
        initEvent: {
          value(type, bubbles = false, cancelable = false) {
            need(1, arguments, "initEvent", "Event");
            if (!has(this, DISPATCHING)) initialize(this, type, bubbles, cancelable);
          },
        },
      };
      const messageMembers = {
        data: { get() { return this.#data; } },
        origin: { get() { return this.#origin; } },
        lastEventId: { get() { return this.#lastEventId; } },
        source: { get() { return this.#init ? this.#init.source : null; } },
        ports: { get() { return this.#init ? this.#init.ports : noPorts; } },
        initMessageEvent: {
          value(type, bubbles = false, cancelable = false, data = null, origin = "", lastEventId = "", source = null, ports = []) {
            need(1, arguments, "initMessageEvent", "MessageEvent");
            if (has(this, DISPATCHING)) return;
            initialize(this, type, bubbles, cancelable);
            this.#data = data;
            this.#origin = `${origin}`;
            this.#lastEventId = `${lastEventId}`;
            this.#init = { source, ports: Object.freeze([...ports]) };
          },
        },
      };
      const attrs = (m) => {
        for (const d of Object.values(m)) Object.assign(d, { enumerable: true, configurable: true }, "value" in d ? { writable: true } : {});
        return m;
      };
      Object.defineProperties(eventProto, attrs(members));
      Object.defineProperties(messageProto, attrs({ ...members, ...messageMembers }));

      // fire dispatches e at target, whose listeners for e's type are list, as DOM §2.9
      // "dispatch" does for a target with no parent: over a clone of the list, first the
      // capturing listeners, then the others ("invoke" at the target, for the capturing and
      // then the bubbling phase), skipping listeners removed meanwhile; an exception is
      // reported and the next listener still runs. The browser calls each listener from a task
      // with an empty JavaScript stack, so the microtasks a listener queues run before the next
      // listener (see settle).
      fire = async (e, target, list) => {
        const listeners = list.slice();
        begin(e, target);
        for (let capturing = 1; capturing >= 0 && !(e.#flags & STOP); capturing--) {
          for (const l of listeners) {
            if (l.removed || l.capture !== (capturing === 1)) continue;
            await settle(invoke(e, target, l));
            if (e.#flags & STOP_IMMEDIATE) break;
          }
        }
        finish(e);
      };
      // fireOne, then an await of settle of its result, then finish, do what fire does when
      // there is one listener, without its copy of the list and its promise.
      fireOne = (e, target, l) => {
        begin(e, target);
        return invoke(e, target, l);
      };
      const begin = (e, target) => {
        e.#flags |= DISPATCHING;
        e.#current = target;
      };
      const invoke = (e, target, l) => {
        if (l.once) l.remove();
        try {
          return call(l.callback, e, target);
        } catch (err) {
          report(err);
        }
      };
      finish = (e) => {
        // DOM §2.9 "dispatch", the last steps: unset the dispatch and stop flags, and the
        // current target.
        e.#flags &= ~(DISPATCHING | STOP | STOP_IMMEDIATE);
        e.#current = null;
      };
    }
  }

  // call invokes a listener's callback as WebIDL's "call a user object's operation" does: a
  // function with this = the current target, or else the object's handleEvent method.
  const call = (callback, e, target) => {
    if (typeof callback === "function") return callback.call(target, e);
    const handleEvent = callback.handleEvent;
    if (typeof handleEvent !== "function") throw new TypeError("'handleEvent' property of event listener is not a function");
    return handleEvent.call(callback, e);
  };

  // settle(result) is what the pump awaits after a listener call that returned result, so that
  // the microtasks the call queued run first, as the microtask checkpoint after each listener
  // call of the browser's own does. One await lets those the call queued run, but not those
  // that they queue in turn: an async listener's `await a; await b;` would finish after the
  // next listener. So after a listener that returned a promise (an async function), the next
  // waits for a task of its own, which comes after a checkpoint that empties the queue; other
  // listeners cost one await, as before (README, "Speed").
  const settle = (result) => (result instanceof Promise ? nextTask() : undefined);

  // nextTask() returns a promise resolved in a task of its own: through a MessageChannel (no
  // clamping, unlike setTimeout), or Node.js's setImmediate.
  let taskQueue = null;
  const nextTask = () => new Promise((resolve) => {
    if (typeof real.setImmediate === "function") return real.setImmediate(resolve);
    if (!taskQueue) {
      const channel = new MessageChannel();
      taskQueue = { port: channel.port2, waiting: [] };
      channel.port1.onmessage = () => taskQueue.waiting.shift()();
    }
    taskQueue.waiting.push(resolve);
    taskQueue.port.postMessage(null);
  });

  // errorEvent makes an error event that says what happened (the polyfill's extension; it
  // stays an Event): reason, status and statusText of the response if any, willRetry, and
  // retryIn (ms) when a reconnection is scheduled (retryIn < 0: none).
  const errorEvent = (target, reason, status, statusText, retryIn) => {
    const e = newEvent("error", target, now());
    const ro = (value) => ({ value, enumerable: true });
    return Object.defineProperties(e, {
      reason: ro(reason), status: ro(status), statusText: ro(statusText),
      willRetry: ro(retryIn >= 0), retryIn: ro(retryIn >= 0 ? retryIn : undefined),
    });
  };

  // readListenerArgs converts addEventListener's and removeEventListener's arguments as
  // WebIDL does (DOM §2.7): the type to a string, the callback to an object or null, and the
  // options to a dictionary (its members read in order: capture, once, passive, signal) or a
  // boolean capture.
  const readListenerArgs = (method, args, full) => {
    const fail = (msg) => { throw new TypeError(`Failed to execute '${method}' on 'EventTarget': ${msg}`); };
    if (args.length < 2) fail(`2 arguments required, but only ${args.length} present.`);
    const type = `${args[0]}`;
    let callback = args[1], options = args[2];
    if (callback === undefined) callback = null;
    if (callback !== null && typeof callback !== "object" && typeof callback !== "function") fail("parameter 2 is not of type 'Object'.");
    const o = { type, callback, capture: false, once: false, passive: undefined, signal: undefined };
    if (options !== null && (typeof options === "object" || typeof options === "function")) {
      o.capture = Boolean(options.capture);
      if (full) {
        o.once = Boolean(options.once);
        const passive = options.passive;
        if (passive !== undefined) o.passive = Boolean(passive);
        o.signal = options.signal;
        if (o.signal !== undefined && !(typeof AbortSignal === "function" && o.signal instanceof AbortSignal)) {
          fail("Failed to read the 'signal' property from 'AddEventListenerOptions': Failed to convert value to 'AbortSignal'.");
        }
      }
    } else o.capture = Boolean(options);
    return o;
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
    #lastEventId = ""; // of the last message record (see wasm/batch.go)
    #options = null; // the checked extensions of the init dictionary, or null
    #prefetched = null; // {promise, ctrl}: the first request, started before the wasm was ready
    #closer = new AbortController(); // close() aborts it, and so the fetch in progress (see closeInGo)
    // #link(ctrl) has close() abort the AbortController of a fetch of the Go side too, until the
    // fetch ends (Go aborts ctrl then) (fetch.Transport.Link).
    #link = (ctrl) => follow(ctrl, this.#closer.signal);
    #batches = []; // [{parts, kinds, k, p, time}] records not dispatched yet
    #pumping = false;
    #pieces = ""; // the start of the next message's data (records "p")
    #handlers = { open: null, message: null, error: null };
    #handlerListeners = { open: null, message: null, error: null };
    #listeners = new Map(); // type → [{callback, capture, once, removed, remove, native}], in order

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
        // Not for a URL the Go side fails at once (another scheme, credentials: see
        // fetch.checkURL and core's fetchable), which no request must reach.
        if (!options && /^https?:$/.test(parsed.protocol) && !parsed.username && !parsed.password) this.#prefetch();
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

    // addEventListener and removeEventListener keep the listener list (DOM §2.7 "add an event
    // listener", "remove an event listener") that the events this EventSource fires are
    // dispatched over, and mirror it into EventTarget's own for dispatchEvent().
    addEventListener(type, callback, options = undefined) {
      const a = readListenerArgs("addEventListener", arguments, true);
      this.#add(a.type, a.callback, a.capture, a.once, a.passive, a.signal);
    }

    removeEventListener(type, callback, options = undefined) {
      const a = readListenerArgs("removeEventListener", arguments, false);
      const l = this.#find(a.type, a.callback, a.capture);
      if (l) l.remove();
    }

    #find(type, callback, capture) {
      const list = this.#listeners.get(type);
      if (list) for (const l of list) if (l.callback === callback && l.capture === capture) return l;
      return null;
    }

    #add(type, callback, capture, once, passive, signal) {
      if ((signal && signal.aborted) || callback === null || this.#find(type, callback, capture)) return;
      let list = this.#listeners.get(type);
      if (!list) this.#listeners.set(type, (list = []));
      const l = {
        callback, capture, once, removed: false,
        remove: () => {
          if (l.removed) return;
          l.removed = true;
          list.splice(list.indexOf(l), 1);
          super.removeEventListener(type, l.native, { capture });
        },
        // For events dispatched by script, through EventTarget.
        native: (e) => {
          if (l.removed) return;
          if (l.once) l.remove();
          call(callback, e, this);
        },
      };
      list.push(l);
      super.addEventListener(type, l.native, passive === undefined ? { capture } : { capture, passive });
      if (signal) signal.addEventListener("abort", l.remove, { once: true });
    }

    // close(): abort the fetch, cancel a pending reconnection, set readyState to CLOSED. Events
    // already received but not yet dispatched are dropped: each task checks readyState.
    close() {
      const wasOpen = this.#readyState === OPEN;
      this.#readyState = CLOSED;
      this.#batches.length = 0;
      waiting.delete(this);
      this.#prefetched = null; // the closer aborts it
      if (this.#started) {
        this.#started = false;
        live.delete(this);
        closeInGo(this.#id, this.#closer, wasOpen);
      } else this.#closer.abort();
    }

    // Event handler IDL attributes (HTML §8.1.8.1): the first non-null value registers one
    // listener, which keeps its place among the others when the value changes; null removes
    // it. Non-object values are treated as null ([LegacyTreatNonObjectAsNull]).
    #setHandler(type, v) {
      if (typeof v !== "object" && typeof v !== "function") v = null;
      this.#handlers[type] = v;
      const hl = this.#handlerListeners;
      if (v === null) {
        if (hl[type]) this.#find(type, hl[type], false).remove();
        hl[type] = null;
      } else if (!hl[type]) {
        // Called with this = the current target, this EventSource.
        hl[type] = function (event) {
          const h = this.#handlers[type];
          if (typeof h === "function") return h.call(this, event);
        };
        this.#add(type, hl[type], false, false, undefined, undefined);
      }
    }

    // HTML §9.2.2 step 15: the constructor fetches at once. While the wasm loads, the shim
    // starts that first request itself, exactly as the Go side would make it (requestInit in
    // internal/fetch/fetch_js.go), and hands it over when the Go side runs. Only for sources
    // without options: their first request may need the Go side (a headers function, say).
    #prefetch() {
      const ctrl = new AbortController();
      follow(ctrl, this.#closer.signal); // the Go side takes ctrl over; close() aborts it still
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
      live.add(this);
      const pre = this.#prefetched;
      this.#prefetched = null;
      // deliver(at, r, lastAt, lastR): a batch and maybe a big event's data, in Go's memory.
      const deliver = (at, r, lastAt, lastR) => this.#receive(text(at, r), lastR ? text(lastAt, lastR) : undefined, false);
      let err;
      try {
        err = bridge.open(this.#id, this.#url, this.#withCredentials, deliver,
          this.#options, pre ? pre.promise : undefined, pre ? pre.ctrl : undefined, (batch) => this.#receive(batch, undefined, true),
          this.#link);
      } catch (e) {
        return engineDied(e); // this source among the others
      }
      if (err) {
        console.error("EventSource:", err);
        this.#failToLoad();
      }
    }

    // The init dictionary's signal aborted, or the page stopped loading: close, and fire error
    // with reason "aborted".
    #abort() {
      if (this.#readyState === CLOSED) return;
      this.close();
      microtask(() => this.#fire(errorEvent(this, "aborted", 0, "", -1)));
    }

    // The wasm could not be loaded: fail the connection, as a fetch that cannot start would.
    #failToLoad() {
      this.#started = false;
      live.delete(this);
      if (this.#prefetched) {
        this.#prefetched.ctrl.abort();
        this.#prefetched = null;
      }
      microtask(() => {
        if (this.#readyState === CLOSED) return;
        this.#readyState = CLOSED;
        this.#fire(errorEvent(this, loadReason, 0, "", -1));
      });
    }

    // #fire dispatches e to the listeners for its type; the promise settles when they have run.
    #fire(e) {
      const list = this.#listeners.get(e.type);
      return list && list.length ? fire(e, this, list) : undefined;
    }

    // #receive takes a batch from Go. Its records are dispatched in order by #pump, which
    // starts at once when the Go side has returned (a reply of the read loop), else in a
    // microtask: the Go side is still in its call.
    #receive(batch, last, returned) {
      if (this.#readyState === CLOSED) return;
      const parts = batch.split("\r");
      const kinds = parts.pop();
      if (last !== undefined) parts.push(last); // a big event's data
      this.#batches.push({ parts, kinds, k: 0, p: 0, time: now() });
      if (!this.#pumping) {
        this.#pumping = true;
        if (returned) this.#pump();
        else microtask(() => this.#pump());
      }
    }

    // #pump dispatches the records received, each after the listeners of the one before and
    // their microtasks have run (see fire), until none is left or close() was called. Events
    // from one network chunk share one timeStamp: the time it arrived.
    async #pump() {
      // #pumping is unset in the same step as the last record is found done, so that a batch
      // received after it starts a new pump.
      try {
        for (let b; (b = this.#batches[0]) && this.#readyState !== CLOSED;) {
          const kind = b.kinds[b.k++], parts = b.parts, p = b.p;
          if (b.k === b.kinds.length) this.#batches.shift();
          let e, list;
          if (kind === "d" || kind === "m") {
            let type = "message", data;
            if (kind === "d") {
              b.p = p + 1;
              data = parts[p];
            } else {
              b.p = p + 3;
              type = parts[p] || type;
              this.#lastEventId = parts[p + 1];
              data = parts[p + 2];
            }
            if (this.#pieces !== "") {
              data = this.#pieces + data;
              this.#pieces = "";
            }
            list = this.#listeners.get(type);
            if (list === undefined || list.length === 0) continue;
            e = newMessage(type, this, b.time, data, this.#origin, this.#lastEventId);
          } else if (kind === "p") {
            // The start of the next message's data: joined as a rope, not copied.
            b.p = p + 1;
            this.#pieces += parts[p];
          } else if (kind === "x") {
            this.#pieces = "";
          } else if (kind === "o") {
            // "Announce the connection": readyState OPEN, fire open.
            b.p = p + 1;
            this.#origin = parts[p];
            this.#readyState = OPEN;
            e = newEvent("open", this, b.time);
          } else if (kind === "e") {
            // "Reestablish the connection" (a retry delay follows: CONNECTING) or "fail the
            // connection" (none: CLOSED); either way, fire error.
            b.p = p + 5;
            const retry = parts[p + 3];
            this.#readyState = retry === "" ? CLOSED : CONNECTING;
            if (this.#readyState === CLOSED) {
              this.#started = false;
              live.delete(this);
            }
            e = errorEvent(this, parts[p], +parts[p + 1], parts[p + 2], retry === "" ? -1 : +retry);
          }
          if (e === undefined || (list ??= this.#listeners.get(e.type)) === undefined || list.length === 0) continue;
          if (list.length > 1) {
            await fire(e, this, list);
          } else {
            // The common case, as fire does it but without its copy of the list and its promise.
            await settle(fireOne(e, this, list[0]));
            finish(e);
          }
        }
      } finally {
        this.#pumping = false;
      }
    }

    static {
      startSource = (es) => es.#start();
      failSource = (es) => es.#failToLoad();
      abortSource = (es) => es.#abort();
    }
  }

  // IDL details the class syntax does not give: constants on the constructor and prototype,
  // enumerable attributes, and the class string.
  for (const [name, value] of [["CONNECTING", CONNECTING], ["OPEN", OPEN], ["CLOSED", CLOSED]]) {
    const desc = { value, enumerable: true, writable: false, configurable: false };
    Object.defineProperty(EventSource, name, desc);
    Object.defineProperty(EventSource.prototype, name, desc);
  }
  for (const name of ["url", "withCredentials", "readyState", "onopen", "onmessage", "onerror", "close", "addEventListener", "removeEventListener"]) {
    Object.defineProperty(EventSource.prototype, name, { enumerable: true });
  }
  Object.defineProperty(EventSource.prototype, Symbol.toStringTag, { value: "EventSource", configurable: true });

  // For tests: what the Go side holds ({sources, funcs, goroutines, gcs, heap, values: the
  // JavaScript values it references}), or null before it runs.
  Object.defineProperty(EventSource, Symbol.for("ssewasm.stats"), { value: () => (bridge ? stats() : null) });

  if (g.EventSource) g.NativeEventSource = g.EventSource;
  g.EventSource = EventSource;

  // window.stop() aborts the document's fetches, and the browsers' own EventSource fails its
  // connection then (HTML §9.2.3: "if res is an aborted network error, then fail the
  // connection"); fetch() reports that abort as a plain network error, so the polyfill learns
  // of it here. Sources whose fetch the Go side runs fail there if a fetch is in progress (not
  // while they wait to reconnect); those still waiting for the Go side have theirs in progress.
  if (g.document && typeof g.stop === "function") {
    const nativeStop = g.stop;
    g.stop = {
      stop() {
        for (const es of waiting) abortSource(es);
        try {
          if (bridge) bridge.stop();
        } catch (err) {
          engineDied(err); // and the page's stop() goes on
        }
        return nativeStop.call(this);
      },
    }.stop;
  }
  g[marker] = true;

  // readAhead reads body, passing each chunk to write, with several read() calls pending at
  // every moment, until the body ends (the promise resolves), fails or signal aborts (it
  // rejects). When a connection breaks right after its last bytes, Chromium can hand several
  // chunks to the stream and then error it in one go, and erroring a ReadableStream throws away
  // the chunks queued in it: only reads already pending get them. With one read pending (a
  // pipeTo, a read() loop), about 1 % of streams whose last three events came within a
  // millisecond before the break lost their tail in headless Chromium 156; with four, about
  // 0.1 %, and those lost the whole burst, which no reader got (testdata/chromium-drop has a
  // reproduction). Firefox lost none either way.
  const readsAhead = 4;
  const readAhead = (body, write, signal) => new Promise((resolve, reject) => {
    const reader = body.getReader();
    const reads = [];
    let over = false;
    const end = (err) => {
      if (over) return;
      over = true;
      signal.removeEventListener("abort", aborted);
      if (err === undefined) return resolve();
      reader.cancel(err).catch(() => {});
      reject(err);
    };
    const aborted = () => end(signal.reason);
    const next = () => {
      while (reads.length < readsAhead) {
        const read = reader.read();
        read.catch(() => {}); // the one awaited reports it; the others fail alike
        reads.push(read);
      }
      reads.shift().then(({ value, done }) => {
        if (over) return;
        if (done) return end();
        try {
          write(value);
        } catch (err) {
          return end(err);
        }
        next();
      }, end);
    };
    if (signal.aborted) return end(signal.reason);
    signal.addEventListener("abort", aborted);
    next();
  });

  const start = async () => {
    const [module] = await loaded;
    const go = withRealClock(() => new g.Go())();
    const imports = go.importObject.gojs;
    for (const name of ["runtime.nanotime1", "runtime.walltime", "runtime.scheduleTimeoutEvent", "runtime.clearTimeoutEvent"]) {
      if (typeof imports[name] === "function") imports[name] = withRealClock(imports[name]);
    }
    const instance = await WebAssembly.instantiate(module, go.importObject);
    const ex = instance.exports;
    // Text that Go leaves in its memory (see internal/fetch/export_js.go): r / 2 bytes at at,
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
        // (see internal/fetch/export_js.go), which costs far less than a call of a Go function;
        // the events come back as the call's result, the batch that reply takes. The end of the
        // body goes to fulfilled, a failure to rejected, and so does the abort of the fetch
        // (signal): the loop settles then even where the body does not (Node.js 20, for a body
        // read to its end), and Go releases its callbacks.
        readLoop(body, id, fulfilled, rejected, reply, signal) {
          let at = 0; // the Go buffer, of bufferSize bytes
          const write = (chunk) => {
            // A large chunk (the browser hands over what has piled up) goes in parts, so that
            // the Go side never needs a larger buffer.
            for (let off = 0; off < chunk.length; off += bufferSize) {
              if (at === 0 && (at = ex.eventsource_chunk_buffer(id, bufferSize) >>> 0) === 0) {
                return fulfilled({ value: chunk.subarray(off), done: false }); // Go takes it through a call
              }
              const part = chunk.length <= bufferSize ? chunk : chunk.subarray(off, off + bufferSize);
              memory().set(part, at);
              const r = ex.eventsource_chunk(id, part.length);
              if (r > 0) {
                reply(text(ex.eventsource_reply(), r)); // the events parsed from the part
              } else if (r < 0) {
                return fulfilled(null); // Go has goroutines to run
              }
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
          readAhead(body, write, signal).then(() => toGo(fulfilled, { done: true }),
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

  start().catch((e) => {
    loadError = e;
    if (wasmBlocked()) {
      loadReason = "csp";
      console.error("EventSource polyfill: the page's Content-Security-Policy forbids WebAssembly; allow it with 'wasm-unsafe-eval' in script-src (every EventSource fails with reason \"csp\"):", e);
    } else {
      console.error("EventSource polyfill: could not load its WebAssembly:", e);
    }
    for (const es of waiting) failSource(es);
    waiting.clear();
  });
})();
