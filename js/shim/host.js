// host.js: the engine serving pages' commands with its Go side (see remote.js; internal/protocol
// lists the messages): a page's dedicated worker serves that page through its global scope,
// the origin's shared worker each page through a port of its own, and where there is no shared
// worker, the leader page the others through a BroadcastChannel (leader.js).

// newHost returns {serve(port), stop()}: serve takes a page's commands from port (with
// postMessage, and onmessage, which it sets); stop closes every connection and serves no more.
// With lingerFor (ms), a shared connection whose last source went with its page (not by
// close()) stays that long for a source of the next page to join: a navigation from one page of
// the site to another keeps the stream (the page that was left may be in the back/forward
// cache: restored, its sources resume as any others).
// With broadcast (a leader page's channel, which every page hears), a connection's records go
// out once, as {subs, batch, last}, subs listing by port name the ids of each page's sources on
// it, instead of once to each source.
const newHost = (broadcast, lingerFor = 0) => {
  const pages = new Set(); // those served, each {post, sources: Map(id → Connection)}
  const byKey = new Map(); // the shared connections, by what a source must match to join one
  // The catch-up connections, by key: those of sources that resumed (a page restored from the
  // back/forward cache, or on a new leader page) behind the stream of byKey's; each hands its
  // sources over to it once it has come to the same place (Connection's #merge).
  const catchUps = new Map();
  let nextConn = 0; // the ids of the Go side's sources, over all pages
  let gone = false; // the Go side is gone (failed to load, or crashed), or stop() was called
  const queued = []; // [page, m]: the commands that came before the Go side runs

  // Connection is one source of the Go side and the pages' sources that receive its records:
  // one, or with the shared option, each source of a page of the origin with the same URL,
  // credentials mode and options. Of a shared one it follows the records (as js/shim/protocol.js
  // reads them), so that a source joining it later can be told where the stream is.
  class Connection {
    id = ++nextConn;
    closer = new AbortController(); // closing the connection aborts its fetch
    subs = new Map(); // page → the ids of its sources on this connection
    key; // in byKey, if shared
    open = false; // an "o" record came, and no "e" since
    origin = "";
    lastEventId = ""; // of the last "m" record
    at; // where the stream is: the last event ID it has come to
    pieces = []; // the "p" records since the last "m", "d" or "x"

    constructor(key, at, catchUp) {
      this.key = key;
      this.at = at;
      if (!catchUp) {
        if (key !== undefined) byKey.set(key, this);
        return;
      }
      if (!catchUps.has(key)) catchUps.set(key, new Set());
      catchUps.get(key).add(this);
    }

    // #forget: no source may join the connection any more (it failed, or closes).
    #forget() {
      if (byKey.get(this.key) === this) {
        byKey.delete(this.key);
        // A catch-up connection, if any, becomes the main one.
        const ups = catchUps.get(this.key);
        const [next] = ups ?? [];
        if (next) {
          ups.delete(next);
          byKey.set(this.key, next);
        }
      } else catchUps.get(this.key)?.delete(this);
      if (catchUps.get(this.key)?.size === 0) catchUps.delete(this.key);
    }

    #to = null; // with broadcast, the subs of its message: made again after a change of subs

    #linger = null; // the timer that closes a shared connection left by its last page

    add(page, id) {
      real.clearTimeout(this.#linger);
      this.#linger = null;
      if (!this.subs.has(page)) this.subs.set(page, new Set());
      this.subs.get(page).add(id);
      page.sources.set(id, this);
      this.#to = null;
    }

    // join adds page's source id to a shared connection that runs already: it gets the open
    // event if the connection is open, the stream's last event ID, and the pieces of a long
    // message that has begun, then the records that follow, as the others do.
    join(page, id) {
      this.add(page, id);
      page.post({ id, lastEventId: this.lastEventId, at: this.at });
      if (this.open) page.post({ id, batch: `${this.origin}\ro` });
      for (const piece of this.pieces) page.post({ id, batch: "p", last: piece });
    }

    // deliver hands a batch of records (and the field beside it) to every source on the
    // connection.
    deliver(batch, last) {
      if (this.key !== undefined) this.#follow(batch, last);
      if (broadcast) {
        if (!this.#to) {
          this.#to = {};
          for (const [page, ids] of this.subs) this.#to[page.name] = [...ids];
        }
        broadcast({ subs: this.#to, batch, last });
      } else for (const [page, ids] of this.subs) for (const id of ids) page.post({ id, batch, last });
      if (this.key !== undefined && catchUps.has(this.key)) this.#merge();
    }

    // #merge hands the sources of a catch-up connection over to the main one, and closes it, once
    // the two streams are at the same place: both open, at the same event ID (not none), and
    // between messages. The sources have then had every record up to there, and the main
    // connection's next one comes after it. (As the resume itself, this takes event IDs to name
    // a place in the stream.)
    #merge() {
      const main = byKey.get(this.key);
      if (!main) return;
      const level = (up) => up.at !== "" && up.at === main.at && up.open && main.open && !up.pieces.length && !main.pieces.length;
      for (const up of this === main ? [...catchUps.get(this.key)] : [this]) {
        if (!level(up)) continue;
        for (const [page, ids] of up.subs) for (const id of ids) main.add(page, id);
        up.subs.clear();
        up.#forget();
        closeInGo(up.id, up.closer, true);
      }
    }

    // #follow reads a batch's records (internal/protocol) for what join needs, and forgets a
    // connection that has failed (an "e" record without a retry delay): a source made
    // afterwards starts a new one.
    #follow(batch, last) {
      const parts = batch.split("\r");
      const kinds = parts.pop();
      if (last !== undefined) parts.push(last);
      let p = 0;
      for (const kind of kinds) {
        switch (kind) {
          case "o":
            this.open = true;
            this.origin = parts[p++];
            break;
          case "m":
            this.lastEventId = this.at = parts[p + 1];
            p += 3;
            this.pieces = [];
            break;
          case "d":
            p++;
            this.pieces = [];
            break;
          case "p":
            this.pieces.push(parts[p++]);
            break;
          case "x":
            this.pieces = [];
            break;
          case "e":
            this.open = false;
            if (parts[p + 3] === "") this.#forget();
            p += 5;
            break;
        }
      }
    }

    // remove takes page's source id off the connection, which closes once none is left (with
    // linger, after lingerFor, unless a source has joined it by then).
    remove(page, id, linger) {
      const ids = this.subs.get(page);
      if (!ids || !ids.delete(id)) return;
      page.sources.delete(id);
      this.#to = null;
      if (ids.size === 0) this.subs.delete(page);
      if (this.subs.size) return;
      if (linger && lingerFor > 0 && this.key !== undefined && byKey.get(this.key) === this) {
        this.#linger = real.setTimeout(() => this.subs.size || this.#close(), lingerFor);
        return;
      }
      this.#close();
    }

    #close() {
      this.#linger = null;
      this.#forget();
      closeInGo(this.id, this.closer, this.open);
    }
  }

  // open starts page's source id, or with the shared option joins the connection that runs it.
  // A source that resumes on a new leader page (leader.js: resume, {lastEventId}) joins one
  // whose stream is where its own is, or starts one from there: it misses nothing, and gets
  // nothing twice (a page that was frozen while it led is behind the others).
  const open = (page, { id, url, withCredentials, options, resume }) => {
    page.sources.get(id)?.remove(page, id); // resumed again, on a leader it was on before
    let key, catchUp = false;
    if (options.shared) {
      const { shared, ...rest } = options;
      key = JSON.stringify([url, withCredentials, rest]);
      const main = byKey.get(key);
      // A resumer joins a connection whose stream is where its own is, if any.
      const c = resume ? [main, ...(catchUps.get(key) ?? [])].find((c) => c && c.at === resume.lastEventId) : main;
      if (c) return c.join(page, id);
      catchUp = !!main;
    }
    if (resume) options.lastEventId = resume.lastEventId;
    const c = new Connection(key, options.lastEventId ?? "", catchUp);
    if (key !== undefined) {
      // Pairs, which the worker keeps: the connection may outlive the page that opened it.
      const pairs = options.headers;
      if (pairs) options.headers = () => Promise.resolve(pairs);
      else delete options.headers;
    } else if (options.headers) {
      // The page calls the function; the Go side calls this before every request.
      options.headers = () => page.call(id);
    } else delete options.headers;
    c.add(page, id);
    const err = openInGo(c.id, url, withCredentials, options, undefined, (batch, last) => c.deliver(batch, last), (ctrl) => linkFetch(ctrl, c.closer.signal));
    if (err) {
      console.error("EventSource (worker):", err);
      c.remove(page, id);
      page.post({ op: "fail", id, reason: "internal" });
    }
  };

  // close: the page closed sources, [id, wasOpen] each; as closeInGo does, the connections of
  // those that were not open go first, then the others. linger: see remove.
  const close = (page, sources, linger) => {
    for (const wasOpen of [false, true]) {
      for (const [id, open] of sources) if (open === wasOpen) page.sources.get(id)?.remove(page, id, linger);
    }
  };

  // bye: the page is gone, or in the back/forward cache; its sources go with it.
  const bye = (page) => {
    if (!pages.delete(page)) return;
    close(page, [...page.sources.keys()].map((id) => [id, true]), true);
    page.gone();
  };

  const run = (page, m) => {
    switch (m.op) {
      case "open":
        return open(page, m);
      case "close":
        return close(page, m.sources);
      case "stop":
        return bridge.stop();
      case "online":
        return bridge.online();
      case "suspend":
        return suspendInGo();
      case "resume":
        return resumeInGo();
      case "headers":
        return page.answer(m);
      case "stats":
        return page.post({ op: "stats", n: m.n, value: stats() });
      case "hello":
        // The page holds m.lock as long as it lives: once the host gets it, the page is gone.
        return g.navigator.locks?.request(m.lock, { signal: stopped.signal }, () => bye(page)).catch(() => {});
      case "bye":
        return bye(page);
    }
  };

  // serve takes the commands of a page from port (the worker's global scope, or a port of the
  // shared worker's).
  const serve = (port) => {
    const calls = new Map(); // n → {resolve, reject}: headers calls waiting for the page
    let nextCall = 0;
    const page = {
      name: port.name, // a page's name on a broadcast channel
      sources: new Map(),
      post: (m) => port.postMessage(m),
      gone: () => port.onbye?.(),
      // call has the page call source id's headers function.
      call: (id) => new Promise((resolve, reject) => {
        const n = ++nextCall;
        calls.set(n, { resolve, reject });
        page.post({ op: "headers", id, n });
      }),
      answer: (m) => {
        const call = calls.get(m.n);
        calls.delete(m.n);
        if (m.error !== undefined) call?.reject(new Error(m.error));
        else call?.resolve(m.pairs);
      },
    };
    pages.add(page);
    port.onmessage = (e) => handle(page, e.data);
  };

  // handle runs page's command m, or keeps it until the Go side runs.
  const handle = (page, m) => {
    if (gone || !pages.has(page)) return;
    if (!bridge) return queued.push([page, m]);
    try {
      run(page, m);
    } catch (err) {
      engineDied(err); // which tells the pages
    }
  };

  const stopped = new AbortController(); // stop() aborts the lock requests of hello
  const watch = (reason, why) => {
    gone = true;
    for (const page of pages) page.post({ op: "gone", reason, why: String(why) });
  };
  goneWatchers.push(watch);
  startGo().then(() => {
    for (const [page, m] of queued.splice(0)) handle(page, m);
  }, () => {}); // goneWatchers tell the pages

  // stop: the pages go to another host (a leader page that lost its lead): its connections
  // close, without a record to the pages.
  const stop = () => {
    if (gone) return;
    gone = true;
    goneWatchers.splice(goneWatchers.indexOf(watch), 1);
    stopped.abort();
    for (const page of [...pages]) {
      pages.delete(page);
      for (const [id, c] of [...page.sources]) c.remove(page, id);
    }
  };
  return { serve, stop };
};
// The shared worker's connections linger for a next page (see newHost): where the browser keeps
// the worker alive after its last page goes (extendedLifetime, remote.js), a navigation to
// another page of the site keeps the stream; where it does not, the worker ends with the page.
const lingerFor = 5000;
if (hostOf) {
  const { serve } = newHost(undefined, hostOf.shared ? lingerFor : 0);
  if (hostOf.shared) g.onconnect = (e) => serve(e.ports[0]);
  else serve(g);
}
