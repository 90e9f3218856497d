// remote.js: the engine in a worker, the page's side. Sources made with the worker option run
// in the page's dedicated engine worker, one for the page; those made with the shared option in
// the origin's shared engine worker, one for all its pages, where the sources of every page
// with the same URL, credentials mode and options share one connection. Both run this same
// script (host.js is their side), so the page's main thread only dispatches the events.
// Commands go to the worker, and records come back, by postMessage: internal/protocol's
// documentation lists the messages.

let remote = null; // the page's dedicated engine worker, once a source needs it
let sharedRemote; // the shared one, once a source needs it: null where there is none
const engineName = (shared) => engineWorkerName + JSON.stringify({ wasm: wasmURL.href, exec: execURL.href, shared });

const remoteEngine = () => {
  if (remote) return remote;
  const name = engineName(false);
  let worker;
  try {
    try {
      worker = new Worker(scriptURL, { name });
    } catch {
      // A script from another origin (a CDN) cannot be a worker's, but a worker can import it.
      const trampoline = new Blob([`importScripts(${JSON.stringify(scriptURL)});`], { type: "text/javascript" });
      worker = new Worker(URL.createObjectURL(trampoline), { name });
    }
  } catch (e) {
    console.error("EventSource polyfill: could not start its worker:", e);
  }
  return (remote = new RemoteEngine(worker && { port: worker, errors: worker }, false));
};

// sharedEngine returns the origin's shared engine worker; where the browser has no
// SharedWorker or cannot start one from this script (a script from another origin: a blob:
// URL, as for the dedicated worker, would be each page's own), the leader pages' engine
// (leader.js); where neither can run, null: the sources with the shared option then get a
// connection each, as without it.
const sharedEngine = () => {
  if (sharedRemote !== undefined) return sharedRemote;
  let why = "this environment has no SharedWorker";
  if (typeof g.SharedWorker === "function") {
    try {
      // extendedLifetime (Chromium 148 on): the browser keeps the worker running for a while
      // after its last page goes, so that a navigation to another page of the site keeps its
      // connections (they linger: see host.js). It is in the worker's name, as a worker asked
      // for with another extendedLifetime than an existing one of the same name fails to start.
      const connect = () => {
        const w = new g.SharedWorker(scriptURL, { name: engineName("extended"), extendedLifetime: true });
        return { port: w.port, errors: w };
      };
      return (sharedRemote = new RemoteEngine(connect(), true, connect));
    } catch (e) {
      why = e;
    }
  }
  sharedRemote = leaderEngine();
  if (!sharedRemote) console.warn("EventSource polyfill: sources with the shared option do not share their connections here (no shared worker, nor Web Locks and BroadcastChannel in a page):", why);
  return sharedRemote;
};

// RemoteEngine is the page's side of an engine worker: to.port carries the messages (the worker
// itself, or a shared worker's port), to.errors, if any, fires its error events; to is undefined
// when it could not start. A shared engine's connect() makes a new to for a page restored from
// the back/forward cache (suspend, resume).
class RemoteEngine {
  #port;
  #shared;
  #connect;
  #away = false; // the page is in the back/forward cache: it has left the shared engine
  #sources = new Map(); // id → {es, receive, headers}: those open in the worker
  #gone = ""; // the reason the sources fail, once the worker has failed
  #closing = []; // [id, wasOpen] of the sources close() closed in this task
  #calls = new Map(); // n → resolve, of stats calls
  #nextCall = 0;
  #hello = null; // the hello message of a shared engine's page, once it holds its lock

  constructor(to, shared, connect) {
    this.#shared = shared;
    this.#connect = connect;
    if (!to) {
      this.#gone = "internal";
      return;
    }
    this.#attach(to);
    if (shared) g.addEventListener("pagehide", (e) => {
      if (!e.persisted) this.#post({ op: "bye" }); // the page goes: its sources go with it
    });
  }

  #attach({ port, errors }) {
    this.#port = port;
    port.onmessage = (e) => this.#message(e.data);
    if (errors) errors.onerror = (e) => {
      e.preventDefault();
      this.#fail("internal", e.message || "the worker failed to load or crashed");
    };
    if (this.#shared) this.#holdLock();
  }

  // #holdLock has the shared worker forget this page's sources when the page is gone some other
  // way than by pagehide (a crash): the page holds a Web Lock that the worker waits for. The
  // lock is taken before the worker hears of it, so that the worker's request cannot be
  // granted before the page holds it. #release lets it go.
  #release = null;
  #holdLock() {
    const locks = g.navigator && g.navigator.locks;
    if (!locks) return; // a page that is not a secure context
    const lock = `ssewasm-page ${Date.now().toString(36)} ${Math.random().toString(36).slice(2)}`;
    locks.request(lock, () => {
      if (this.#away) return;
      this.#post((this.#hello = { op: "hello", lock }));
      return new Promise((resolve) => (this.#release = resolve)); // held as long as the page is here
    }).catch(() => {});
  }

  // open starts es's connection (its id, URL, credentials mode and checked options) in the
  // worker. face.receive(batch, last) takes its records; face.join(lastEventId, at), when es
  // joins a shared connection, the last event ID of the connection's last message record and
  // where its stream is (the last event ID it has come to); face.where() where es's stream is,
  // when it resumes on a new leader page (resume).
  open(es, id, url, withCredentials, options, face) {
    if (this.#gone) return failSource(es, this.#gone);
    const { signal, worker, headers, ...rest } = options;
    // A shared connection takes headers only as pairs (options.js refuses a function): the
    // worker holds them, as any page of the origin may be the one left.
    const open = { op: "open", id, url, withCredentials, options: { ...rest, headers: options.shared ? headers && headers.pairs : !!headers } };
    this.#sources.set(id, { es, face, open, headers });
    this.#post(open);
  }

  // reopen opens every source again on a new host, a leader page that took over from another
  // (leader.js), from where each is.
  reopen() {
    if (this.#hello) this.#post(this.#hello);
    for (const s of this.#sources.values()) this.#post({ ...s.open, resume: { lastEventId: s.face.where() } });
  }

  // close ends source id in the worker; those closed in one task go in one message, so that
  // the worker aborts the fetches that wait for a connection before it frees any (see
  // closeInGo).
  close(id, wasOpen) {
    if (!this.#sources.delete(id)) return;
    if (this.#closing.push([id, wasOpen]) === 1) microtask(() => this.#post({ op: "close", sources: this.#closing.splice(0) }));
  }

  // stop: the page's window.stop(). A dedicated worker's fetches are the page's, which it
  // aborts; a shared connection goes on for the other pages, and this page's sources on it
  // fail here.
  stop() {
    if (!this.#shared) return this.#post({ op: "stop" });
    for (const s of [...this.#sources.values()]) abortSource(s.es);
  }

  // online: the page's "online" event after an "offline" one (see install.js).
  online() {
    this.#post({ op: "online" });
  }

  // suspend: the page enters the back/forward cache. A dedicated worker's fetches are the
  // page's: they end, without an event. A shared engine's page leaves it, as if it went, and
  // lets its port and lock go: Chromium evicts a page from the cache when a shared worker's
  // message or a broadcast comes to it, and the connections go on without the page.
  suspend() {
    if (!this.#shared) return this.#post({ op: "suspend" });
    if (this.#gone || this.#away) return;
    this.#post({ op: "bye" });
    this.#away = true;
    this.#hello = null;
    this.#release?.();
    this.#release = null;
    this.#port.close();
  }

  // resume: the page is restored from the back/forward cache (restore), or resumed after it
  // was frozen; its sources reconnect at once, from where each is. A shared engine's page comes
  // back to it as a new page, and each source joins a connection whose stream is where its own
  // is, or has one of its own from there until it comes to where the others are (host.js).
  resume(restore) {
    if (this.#gone || (this.#shared && !this.#away)) return;
    if (restore) for (const s of this.#sources.values()) restoreSource(s.es);
    if (!this.#shared) return this.#post({ op: "resume" });
    this.#away = false;
    try {
      this.#attach(this.#connect());
    } catch (e) {
      return this.#fail("internal", e);
    }
    this.reopen();
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
    if (!this.#gone && !this.#away) this.#port.postMessage(m);
  }

  #message(m) {
    const s = m.id === undefined ? undefined : this.#sources.get(m.id);
    switch (m.op) {
      case undefined:
        if (!s) return;
        if (m.lastEventId !== undefined) s.face.join(m.lastEventId, m.at);
        else s.face.receive(m.batch, m.last);
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
    console.error(`EventSource polyfill: its ${this.#shared ? "shared " : ""}worker failed; every EventSource with the ${this.#shared ? "shared" : "worker"} option fails:`, why);
    if (this.#shared) this.#port.close();
    else this.#port.terminate();
    for (const s of this.#sources.values()) failSource(s.es, reason);
    this.#sources.clear();
    for (const resolve of this.#calls.values()) resolve(null);
    this.#calls.clear();
  }
}
