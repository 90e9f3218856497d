// remote.js: the engine in a dedicated worker, for the sources made with the worker option. The
// page makes one worker, with the first of them, that runs this same script; its Go side runs
// their connections (host.js), so the page's main thread only dispatches their events. Commands
// go to it, and records come back, by postMessage: internal/protocol's documentation lists the
// messages.

let remote = null; // the page's engine worker, once a source needs it
const remoteEngine = () => (remote ??= new RemoteEngine());

class RemoteEngine {
  #worker;
  #sources = new Map(); // id → {es, receive, headers}: those open in the worker
  #gone = ""; // the reason the sources fail, once the worker has failed
  #closing = []; // [id, wasOpen] of the sources close() closed in this task
  #calls = new Map(); // n → resolve, of stats calls
  #nextCall = 0;

  constructor() {
    const name = engineWorkerName + JSON.stringify({ wasm: wasmURL.href, exec: execURL.href });
    try {
      try {
        this.#worker = new Worker(scriptURL, { name });
      } catch {
        // A script from another origin (a CDN) cannot be a worker's, but a worker can import it.
        const trampoline = new Blob([`importScripts(${JSON.stringify(scriptURL)});`], { type: "text/javascript" });
        this.#worker = new Worker(URL.createObjectURL(trampoline), { name });
      }
    } catch (e) {
      console.error("EventSource polyfill: could not start its worker:", e);
      this.#gone = "internal";
      return;
    }
    this.#worker.onmessage = (e) => this.#message(e.data);
    this.#worker.onerror = (e) => {
      e.preventDefault();
      this.#fail("internal", e.message || "the worker failed to load or crashed");
    };
  }

  // open starts es's connection (its id, URL, credentials mode and checked options) in the
  // worker; receive(batch, last) takes its records.
  open(es, id, url, withCredentials, options, receive) {
    if (this.#gone) return failSource(es, this.#gone);
    this.#sources.set(id, { es, receive, headers: options.headers });
    const { signal, worker, headers, ...rest } = options;
    this.#post({ op: "open", id, url, withCredentials, options: { ...rest, headers: !!headers } });
  }

  // close ends source id in the worker; those closed in one task go in one message, so that
  // the worker aborts the fetches that wait for a connection before it frees any (see
  // closeInGo).
  close(id, wasOpen) {
    if (!this.#sources.delete(id)) return;
    if (this.#closing.push([id, wasOpen]) === 1) microtask(() => this.#post({ op: "close", sources: this.#closing.splice(0) }));
  }

  stop() {
    this.#post({ op: "stop" });
  }

  // stats resolves with what the worker's Go side holds (see install.js), or null.
  stats() {
    if (this.#gone) return Promise.resolve(null);
    return new Promise((resolve) => {
      const n = ++this.#nextCall;
      this.#calls.set(n, resolve);
      this.#post({ op: "stats", n });
    });
  }

  #post(m) {
    if (!this.#gone) this.#worker.postMessage(m);
  }

  #message(m) {
    const s = m.id === undefined ? undefined : this.#sources.get(m.id);
    switch (m.op) {
      case undefined:
        if (s) s.receive(m.batch, m.last);
        return;
      case "headers": {
        // Called even for a source closed meanwhile: the worker waits for an answer.
        const answer = (value) => this.#post({ op: "headers", n: m.n, ...value });
        if (!s || !s.headers) return answer({ error: "the source is closed" });
        s.headers().then((pairs) => answer({ pairs }), (e) => answer({ error: String(e && e.message ? e.message : e) }));
        return;
      }
      case "fail":
        if (s) {
          this.#sources.delete(m.id);
          failSource(s.es, m.reason);
        }
        return;
      case "stats":
        this.#calls.get(m.n)?.(m.value);
        this.#calls.delete(m.n);
        return;
      case "gone":
        this.#fail(m.reason, m.why);
    }
  }

  // #fail: the worker's Go side is gone (it failed to load, or crashed), or the worker itself:
  // every source fails, and those made afterwards fail at once.
  #fail(reason, why) {
    if (this.#gone) return;
    this.#gone = reason;
    console.error("EventSource polyfill: its worker failed; every EventSource with the worker option fails:", why);
    this.#worker.terminate();
    for (const s of this.#sources.values()) failSource(s.es, reason);
    this.#sources.clear();
    for (const resolve of this.#calls.values()) resolve(null);
    this.#calls.clear();
  }
}
