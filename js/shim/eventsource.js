// eventsource.js: the EventSource class (HTML §9.2.2) and its IDL details.

// The schemes whose URLs have a host that the URL Standard parses as a domain.
const specialSchemes = new Set(["http:", "https:", "ws:", "wss:", "ftp:"]);

class EventSource extends EventTarget {
  #url;
  #withCredentials = false;
  #readyState = CONNECTING;
  #id = 0;
  #started = false;
  #origin = "";
  #options = null; // the checked extensions of the init dictionary, or null
  #prefetched = null; // {promise, ctrl}: the first request, started before the wasm was ready
  #closer = new AbortController(); // close() aborts it, and so the fetch in progress (see closeInGo)
  // #link(ctrl) has close() abort the AbortController of a fetch of the Go side too, until the
  // fetch ends (Go aborts ctrl then) (fetch.Transport.Link).
  #link = (ctrl) => linkFetch(ctrl, this.#closer.signal);
  #remote = null; // the engine worker that runs the connection, with the worker or shared option (remote.js)
  #records = new Records(); // those received from the Go side, not dispatched yet
  #pumping = false;
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
    if (options && options.worker && typeof g.Worker !== "function") {
      throw new TypeError("Failed to construct 'EventSource': option worker: this environment has no Worker");
    }
    // The shared option wins over the worker option; without a shared worker, the worker
    // option still holds.
    if (options && ((options.shared && (this.#remote = sharedEngine())) || (options.worker && (this.#remote = remoteEngine())))) {
      this.#started = true;
      const r = this.#records;
      r.track = !!options.shared; // for a resume on a new leader page (leader.js)
      r.received = options.lastEventId ?? "";
      this.#remote.open(this, this.#id, this.#url, withCredentials, options, {
        receive: (batch, last) => this.#receive(batch, last, true),
        join: (lastEventId, at) => {
          r.lastEventId = lastEventId;
          r.received = at;
        },
        where: () => r.received,
      });
    } else if (bridge) this.#start();
    else if (loadError) this.#failToLoad();
    else {
      waiting.add(this);
      startGo();
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
    this.#records.clear();
    waiting.delete(this);
    this.#prefetched = null; // the closer aborts it
    if (this.#started) {
      this.#started = false;
      live.delete(this);
      if (this.#remote) this.#remote.close(this.#id, wasOpen);
      else closeInGo(this.#id, this.#closer, wasOpen);
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
  // starts that first request itself, built as every request of the Go side is (requestInit),
  // and hands it over when the Go side runs. Only for sources without options: their first
  // request may need the Go side (a headers function, say).
  #prefetch() {
    const ctrl = new AbortController();
    follow(ctrl, this.#closer.signal); // the Go side takes ctrl over; close() aborts it still
    const promise = fetch(this.#url, requestInit("GET", "", "", undefined, this.#withCredentials, ctrl.signal));
    promise.catch(() => {}); // the Go side handles a failure
    this.#prefetched = { promise, ctrl };
  }

  #start() {
    this.#started = true;
    live.add(this);
    const pre = this.#prefetched;
    this.#prefetched = null;
    const err = openInGo(this.#id, this.#url, this.#withCredentials, this.#options, pre, (batch, last, returned) => this.#receive(batch, last, returned), this.#link);
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

  // The page enters the back/forward cache before the Go side runs: the first request, which
  // the shim started, is aborted (the Go side makes it again when it runs).
  #suspend() {
    if (!this.#prefetched) return;
    this.#prefetched.ctrl.abort();
    this.#prefetched = null;
  }

  // The page is restored from the back/forward cache: the connection is being made again
  // (whatwg/html#12381: without an error event); its open event comes as the first one's did.
  #restore() {
    if (this.#readyState === OPEN) this.#readyState = CONNECTING;
  }

  // The wasm could not be loaded, or its Go side crashed: fail the connection, as a fetch that
  // cannot start would, with reason.
  #failToLoad(reason = loadReason) {
    this.#started = false;
    live.delete(this);
    if (this.#prefetched) {
      this.#prefetched.ctrl.abort();
      this.#prefetched = null;
    }
    microtask(() => {
      if (this.#readyState === CLOSED) return;
      this.#readyState = CLOSED;
      this.#fire(errorEvent(this, reason, 0, "", -1));
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
    this.#records.push(batch, last, now());
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
    const r = this.#records;
    try {
      while (this.#readyState !== CLOSED && r.next()) {
        let e, list;
        if (r.kind === "m") {
          list = this.#listeners.get(r.type);
          if (list === undefined || list.length === 0) continue;
          e = newMessage(r.type, this, r.time, r.data, this.#origin, r.lastEventId);
        } else if (r.kind === "o") {
          // "Announce the connection": readyState OPEN, fire open. An open source hears it again
          // only when a new leader page resumes its shared connection (leader.js): no event.
          this.#origin = r.origin;
          if (this.#readyState === OPEN) continue;
          this.#readyState = OPEN;
          e = newEvent("open", this, r.time);
        } else {
          // "Reestablish the connection" (a retry delay follows: CONNECTING) or "fail the
          // connection" (none: CLOSED); either way, fire error.
          this.#readyState = r.retryIn < 0 ? CLOSED : CONNECTING;
          if (this.#readyState === CLOSED) {
            this.#started = false;
            live.delete(this);
            if (this.#remote) this.#remote.close(this.#id, false); // the worker forgets it
          }
          e = errorEvent(this, r.reason, r.status, r.statusText, r.retryIn);
        }
        if ((list ??= this.#listeners.get(e.type)) === undefined || list.length === 0) continue;
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
    failSource = (es, reason) => es.#failToLoad(reason);
    abortSource = (es) => es.#abort();
    suspendSource = (es) => es.#suspend();
    restoreSource = (es) => es.#restore();
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
