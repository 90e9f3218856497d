// leader.js: sources with the shared option where the browser has no shared worker (some
// mobile browsers), or cannot start one from this script: the pages of the origin elect a
// leader with a Web Lock, and it runs their connections as the shared worker would (a host:
// host.js), with its own Go side, its commands and records crossing a BroadcastChannel. When
// the leader goes, its lock goes with it and the next page in line leads; when it stops
// answering (a frozen page), a page steals its lock. Either way every page opens its sources
// again on the new leader from where they are (RemoteEngine's resume): an open source stays
// open, and its connection starts from its last event ID.
//
// On the channel: {host, from, m} a page's command m to the leader host; {to, by, m} the
// leader by's message m to page to; {by, subs, batch, last} a batch of records of a connection,
// once for all pages, subs listing the ids of each page's sources on it (by page); {lead,
// term} the leader lead announces itself (when it takes the lead, and to a ping); {ping} a page
// asks who leads.

const quietFor = 400; // ms without a word from the leader before a page pings it
const answerIn = 250; // ms the leader has to answer a ping before a page steals its lock
const checkEvery = 100; // ms between a page's looks at the leader

// leaderEngine returns the page's side of the leader pages' engine, or null where there is no
// Web Locks API (pages that are not a secure context) or BroadcastChannel.
let leaderRemote;
const leaderEngine = () => {
  if (leaderRemote !== undefined) return leaderRemote;
  const locks = g.navigator && g.navigator.locks;
  if (!locks || typeof g.BroadcastChannel !== "function" || !g.document) return (leaderRemote = null);
  const name = engineName(true);
  // A page restored from the back/forward cache connects again (RemoteEngine's resume), as a
  // new page: it left when it entered the cache (its port's close).
  const connect = () => {
    const me = `${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}`;
    const port = new ChannelPort(name, me, () => leaderRemote.reopen());
    port.quit = campaign(locks, `ssewasm-leader ${name}`, name, me, port);
    return { port };
  };
  return (leaderRemote = new RemoteEngine(connect(), true, connect));
};

// ChannelPort is a page's port to whichever page leads: what RemoteEngine posts waits until a
// leader is known, and goes to it; when another takes over, what waits is dropped and
// resumed() has the page's sources opened again there.
class ChannelPort {
  onmessage = null; // set by RemoteEngine
  #ch;
  #me;
  #leader = "";
  #term = 0; // of the leader: each takes the lead with a term higher than any heard before
  #heard = 0; // when the leader last said anything to this page
  #pinged = 0; // when this page pinged it, if it has not answered since
  #waiting = [];
  #resumed;

  constructor(name, me, resumed) {
    this.#me = me;
    this.#resumed = resumed;
    this.#ch = new BroadcastChannel(name);
    this.#ch.onmessage = (e) => unlessFrozen(() => {
      const d = e.data;
      // What a leader that has lost the lead still sends (it was frozen) is dropped.
      if (d.by !== undefined && d.by === this.#leader) {
        this.#heard = now();
        this.#pinged = 0;
        if (d.to === me) this.onmessage({ data: d.m });
        else if (d.subs && d.subs[me]) for (const id of d.subs[me]) this.onmessage({ data: { id, batch: d.batch, last: d.last } });
      } else if (d.lead !== undefined) this.#lead(d.lead, d.term);
    });
    this.#ch.postMessage({ ping: true });
  }

  get term() {
    return this.#term;
  }

  // #lead: leader, of term, has announced itself. A leader of an older term (one that lost
  // its lead while frozen, and answers a ping as it wakes) is not heard.
  #lead(leader, term) {
    if (term < this.#term) return;
    this.#heard = now();
    this.#pinged = 0;
    if (leader === this.#leader) return;
    const was = this.#leader;
    this.#leader = leader;
    this.#term = term;
    if (was) {
      this.#waiting.length = 0;
      this.#resumed();
    }
    for (const m of this.#waiting.splice(0)) this.postMessage(m);
  }

  postMessage(m) {
    if (this.closed) return;
    if (this.#leader) this.#ch.postMessage({ host: this.#leader, from: this.#me, m });
    else this.#waiting.push(m);
  }

  // close: the engine has failed (RemoteEngine: its Go side is gone), or the page enters the
  // back/forward cache: the page stands no more, and leads no more (quit: see campaign).
  closed = false;
  quit = null;
  close() {
    this.closed = true;
    this.#ch.close();
    this.quit?.();
  }

  // check pings a leader that has been quiet, and reports whether one did not answer in time.
  check() {
    if (this.closed || !this.#leader || now() - this.#heard < quietFor) return false;
    if (!this.#pinged) {
      this.#pinged = now();
      this.#ch.postMessage({ ping: true });
      return false;
    }
    return now() - this.#pinged > answerIn;
  }
}

// campaign has the page stand for leader: it waits in line for lock, and once it holds it,
// leads (lead) until the lock is stolen (the page was frozen, say), then stands again.
// Meanwhile it watches the leader, and steals the lock from one that does not answer. It
// returns quit, which ends all that: the page leaves the line, or stops leading and lets the
// lock go (the next in line leads).
const campaign = (locks, lock, name, me, port) => {
  let stop = null; // stops the page's host, while it leads
  let release = null; // lets the lock go, while the page leads
  let inLine = null; // aborts the page's request that waits in line
  let stealing = false;
  let quitted = false;
  const take = () => {
    if (quitted) return;
    stealing = false;
    stop = lead(name, me, port.term + 1);
    return new Promise((resolve) => (release = resolve)); // the lock is held while the page leads
  };
  // A request of the page's fails when the lock it held is stolen (the host stops, and the
  // page stands again), or while it waits, when the page aborts it to steal instead.
  const lost = () => unlessFrozen(() => {
    if (!stop) return;
    stop();
    stop = release = null;
    if (!quitted) stand();
  });
  const stand = () => {
    inLine = new AbortController();
    locks.request(lock, { signal: inLine.signal }, take).catch(lost);
  };
  stand();
  const watch = real.setInterval(() => {
    if (stop || stealing || frozen || !port.check()) return;
    stealing = true;
    inLine.abort();
    locks.request(lock, { steal: true }, take).catch(() => {
      if (stop) return lost();
      stealing = false; // the steal failed: back in line
      if (!quitted) stand();
    });
  }, checkEvery);
  return () => {
    quitted = true;
    real.clearInterval(watch);
    inLine.abort();
    if (stop) stop();
    release?.();
    stop = release = null;
  };
};

// For tests (install.js): whether this page leads, and freeze(ms), which has a leading page
// act as if frozen for ms: what the leader pages' engine would do in it (answer, relay, hear
// from the leader, lose the lead) waits, and happens in order afterwards. It reports whether
// the page leads.
let leading = false;
let frozen = null; // while the page acts frozen: what waits, functions to call
const unlessFrozen = (f) => (frozen ? frozen.push(f) : f());
const leaderHook = {
  leading: () => leading,
  freeze: (ms) => {
    if (!leading || frozen) return false;
    frozen = [];
    real.setTimeout(() => {
      const missed = frozen;
      frozen = null;
      for (const f of missed) f();
    }, ms);
    return true;
  },
};

// lead serves the pages' commands on the channel with a host of the page's own Go side, and
// returns the function that stops it.
const lead = (name, me, term) => {
  const ch = new BroadcastChannel(name);
  const host = newHost((m) => send({ by: me, ...m }));
  const ports = new Map(); // page → its port on the channel
  let stopped = false;
  const send = (m) => unlessFrozen(() => stopped || ch.postMessage(m));
  leading = true;
  ch.onmessage = (e) => unlessFrozen(() => {
    if (stopped) return;
    const d = e.data;
    if (d.ping) return send({ lead: me, term });
    if (d.host !== me) return;
    let port = ports.get(d.from);
    if (!port) {
      port = { name: d.from, postMessage: (m) => send({ to: d.from, by: me, m }), onbye: () => ports.delete(d.from) };
      ports.set(d.from, port);
      host.serve(port);
    }
    port.onmessage({ data: d.m });
  });
  send({ lead: me, term });
  return () => {
    stopped = true;
    leading = false;
    host.stop();
    ch.close();
  };
};
