// The engine host (host.js) under Node.js, with the Go side stubbed: how it shares connections
// among pages' sources, what a source joining or resuming one gets, and when a connection
// closes. Run by internal/protocol's TestShim. Batches are written as internal/protocol
// specifies them, and what a page gets is read with the shim's own decoder (protocol.js).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

// host.js and protocol.js are parts of the shim, which build.sh joins with the others inside
// one function: here they run in a function of their own, with what they use from the other
// files stubbed.
const source = ["protocol.js", "host.js"].map((f) => readFileSync(new URL(f, import.meta.url), "utf8")).join("\n");
const load = () => {
  const go = { opened: [], closed: [] }; // the Go side's sources: {id, url, options, deliver}
  const stubs = {
    g: {},
    hostOf: null, // not a worker: nothing starts by itself
    bridge: { stop() {}, online() {} },
    startGo: () => Promise.resolve(),
    goneWatchers: [],
    engineDied: (e) => {
      throw e;
    },
    stats: () => ({}),
    follow: () => {},
    openInGo: (id, url, withCredentials, options, pre, receive) => {
      go.opened.push({ id, url, withCredentials, options, deliver: (batch, last) => receive(batch, last) });
    },
    closeInGo: (id) => go.closed.push(id),
    real: globalThis,
  };
  const names = Object.keys(stubs);
  const make = new Function(...names, `${source}\nreturn { newHost, Records };`);
  return { go, ...make(...names.map((n) => stubs[n])) };
};

const tick = () => new Promise((resolve) => setImmediate(resolve));

// page returns a port a host serves, which keeps what the host posts to it: per source id,
// the records (decoded with Records), and the other messages. name is its name on a broadcast
// channel.
const page = (host, Records, name) => {
  const p = {
    name,
    records: new Map(), // id → Records
    other: [],
    postMessage(m) {
      if (m.op !== undefined) return p.other.push(m);
      let r = p.records.get(m.id);
      if (!r) p.records.set(m.id, (r = new Records()));
      if (m.lastEventId !== undefined) {
        r.lastEventId = m.lastEventId;
        r.received = m.at;
      } else r.push(m.batch, m.last, 0);
    },
    send(m) {
      p.onmessage({ data: m });
    },
    // read returns what source id's records say, as short strings.
    read(id) {
      const out = [];
      const r = p.records.get(id);
      while (r && r.next()) {
        if (r.kind === "o") out.push("open");
        else if (r.kind === "m") out.push(`${r.type}:${r.data.length > 20 ? r.data.length + " bytes" : r.data}#${r.lastEventId}`);
        else out.push(`error:${r.reason}:${r.retryIn}`);
      }
      return out;
    },
  };
  host.serve(p);
  return p;
};

// setup loads the host anew (broadcast as newHost takes it), lets its stubbed Go side start,
// and returns it with the stubbed Go side's record (go) and serve(name), which has it serve a
// page (a port) named name.
const setup = async (broadcast, lingerFor) => {
  const { go, newHost, Records } = load();
  const host = newHost(broadcast, lingerFor);
  await tick();
  return { go, host, serve: (name) => page(host, Records, name) };
};

const url = "http://example.test/sse";
const open = (id, options = {}, extra = {}) => ({ op: "open", id, url, withCredentials: false, options: { shared: true, ...options }, ...extra });
// Batches, as internal/protocol specifies them.
const o = (origin) => `${origin}\ro`;
const m = (data, id, type = "") => `${type}\r${id}\r${data}\rm`;
const d = (data) => `${data}\rd`;
const failed = "http-status\r204\rNo Content\r\rno more\re";

test("sources of two pages with the same URL and options share one connection", async () => {
  const { go, serve } = await setup();
  const a = serve(), b = serve();
  a.send(open(1));
  b.send(open(1));
  b.send(open(2, { headers: [["x-token", "t"]] }));
  assert.equal(go.opened.length, 2, "Go sources: one shared, one for the other headers");
  assert.deepEqual(await go.opened[1].options.headers(), [["x-token", "t"]], "the header pairs reach the Go side");
  go.opened[0].deliver("http://example.test\r\r1\ra\rom"); // two records in one batch: o, m
  go.opened[0].deliver(d("b"));
  assert.deepEqual(a.read(1), ["open", "message:a#1", "message:b#1"]);
  assert.deepEqual(b.read(1), ["open", "message:a#1", "message:b#1"]);
  assert.deepEqual(b.read(2), []);
});

test("a source joining an open connection gets open, the last event ID, and a long message begun", async () => {
  const { go, serve } = await setup();
  const a = serve();
  a.send(open(1));
  const c = go.opened[0];
  c.deliver(o("http://example.test"));
  c.deliver(m("a", "7"));
  c.deliver("p", "x".repeat(30)); // a long message begins
  const b = serve();
  b.send(open(5));
  c.deliver("p", "y".repeat(30));
  c.deliver(d("z"));
  assert.equal(go.opened.length, 1, "one Go source");
  assert.deepEqual(a.read(1), ["open", "message:a#7", "message:61 bytes#7"]);
  assert.deepEqual(b.read(5), ["open", "message:61 bytes#7"], "the joiner: open, the whole long message, the stream's last event ID");
  assert.equal(b.records.get(5).received, "7", "where the joiner's stream is");
});

test("a connection closes with its last source, and a failed one is not joined", async () => {
  const { go, serve } = await setup();
  const a = serve(), b = serve();
  a.send(open(1));
  b.send(open(1));
  a.send({ op: "close", sources: [[1, false]] });
  assert.deepEqual(go.closed, [], "one source left: the connection stays");
  b.send({ op: "bye" }); // the page goes
  assert.deepEqual(go.closed, [go.opened[0].id], "the last source gone: the connection closes");

  a.send(open(2));
  go.opened[1].deliver(failed);
  const c = serve();
  c.send(open(3)); // not on the failed one: a page opens it after the failure
  assert.equal(go.opened.length, 3, "a source made after a failure gets a new connection");
  assert.deepEqual(a.read(2), ["error:http-status:-1"]);
  assert.deepEqual(c.read(3), []);
  b.send(open(4)); // a page that has said bye is served no more
  assert.equal(go.opened.length, 3);
});

test("a source resuming on a new leader joins the connection at its place, or starts one from there", async () => {
  const { go, serve } = await setup();
  const a = serve(), b = serve(), late = serve();
  a.send(open(1, {}, { resume: { lastEventId: "7" } }));
  assert.equal(go.opened[0].options.lastEventId, "7", "the first resumer's connection starts from its last event ID");
  b.send(open(1, {}, { resume: { lastEventId: "7" } }));
  assert.equal(go.opened.length, 1, "a resumer at the same place joins");
  go.opened[0].deliver(o("http://example.test"));
  go.opened[0].deliver(m("c", "9"));
  late.send(open(1, {}, { resume: { lastEventId: "7" } })); // it was frozen: behind the others
  assert.equal(go.opened.length, 2, "a resumer behind the stream gets a connection from its place");
  assert.equal(go.opened[1].options.lastEventId, "7");
  late.send(open(1, {}, { resume: { lastEventId: "7" } })); // resumed again: replaces itself
  assert.equal(go.opened.length, 3, "resumed again: its old connection closes, a new one starts");
  assert.deepEqual(go.closed, [go.opened[1].id]);
  const fresh = serve();
  fresh.send(open(1)); // a new source, not a resume: from then on, on the main one
  assert.equal(go.opened.length, 3);
  go.opened[0].deliver(d("e"));
  assert.deepEqual(fresh.read(1), ["open", "message:e#9"]);
});

test("a resumer behind the stream catches up on a connection of its own, then goes over to the main one", async () => {
  const { go, serve } = await setup();
  const a = serve(), back = serve();
  a.send(open(1));
  const main = go.opened[0];
  main.deliver(o("http://example.test"));
  main.deliver(m("a", "1"));
  main.deliver(m("b", "2"));
  back.send(open(1, {}, { resume: { lastEventId: "1" } })); // restored from the back/forward cache
  assert.equal(go.opened.length, 2, "a catch-up connection");
  const up = go.opened[1];
  assert.equal(up.options.lastEventId, "1");
  up.deliver(o("http://example.test"));
  up.deliver(m("b", "2")); // level with the main one: the source goes over
  assert.deepEqual(go.closed, [up.id], "the catch-up connection closes");
  up.deliver(m("late", "3")); // what it still delivers, closing, is not heard
  main.deliver(m("c", "3"));
  assert.deepEqual(back.read(1), ["open", "message:b#2", "message:c#3"], "every message once, in order");
  assert.deepEqual(a.read(1), ["open", "message:a#1", "message:b#2", "message:c#3"]);
  // Not while a long message has begun on either, nor at different places.
  const c = serve();
  c.send(open(1, {}, { resume: { lastEventId: "2" } }));
  const up2 = go.opened[2];
  up2.deliver(o("http://example.test"));
  up2.deliver("p", "x".repeat(30));
  main.deliver("p", "x".repeat(30));
  assert.equal(go.closed.length, 1, "mid-message: no hand-over");
  up2.deliver(d("y"));
  main.deliver(m("e", "5"));
  assert.equal(go.closed.length, 1, "at different places: no hand-over");
  main.deliver(m("f", "6"));
  up2.deliver(m("d", "4"));
  up2.deliver(m("e", "5"));
  up2.deliver(m("f", "6")); // the catch-up connection comes to the main one's place
  assert.deepEqual(go.closed, [up.id, up2.id]);
  main.deliver(m("g", "7"));
  // (The long message has the last event ID the page's records had, which this page never set.)
  assert.deepEqual(c.read(1).map((r) => r.replace(/\d+ bytes/, "long")), ["open", "message:long#", "message:d#4", "message:e#5", "message:f#6", "message:g#7"]);
});

test("when the main connection closes, a catch-up one takes its place", async () => {
  const { go, serve } = await setup();
  const a = serve(), back = serve();
  a.send(open(1));
  go.opened[0].deliver(o("http://example.test"));
  go.opened[0].deliver(m("b", "2"));
  back.send(open(1, {}, { resume: { lastEventId: "1" } }));
  a.send({ op: "close", sources: [[1, true]] });
  assert.deepEqual(go.closed, [go.opened[0].id]);
  const fresh = serve();
  fresh.send(open(1)); // joins the catch-up connection, now the main one
  assert.equal(go.opened.length, 2);
});

test("with lingerFor, a connection left by its last page waits that long for the next one", async () => {
  const { go, serve } = await setup(undefined, 50);
  const a = serve();
  a.send(open(1));
  go.opened[0].deliver(o("http://example.test"));
  go.opened[0].deliver(m("a", "1"));
  a.send({ op: "bye" }); // the page goes: a navigation, say
  assert.deepEqual(go.closed, [], "the connection lingers");
  const next = serve();
  next.send(open(1));
  assert.equal(go.opened.length, 1, "the next page's source joins it");
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.deepEqual(go.closed, [], "joined: it stays");
  go.opened[0].deliver(m("b", "2"));
  assert.deepEqual(next.read(1), ["open", "message:b#2"]);
  next.send({ op: "close", sources: [[1, true]] });
  assert.deepEqual(go.closed, [go.opened[0].id], "closed by close(): at once");
  const c = serve();
  c.send(open(2));
  c.send({ op: "bye" });
  await new Promise((resolve) => setTimeout(resolve, 80));
  assert.deepEqual(go.closed, [go.opened[0].id, go.opened[1].id], "no page came: closed after lingerFor");
});

test("stop closes every connection and serves no more", async () => {
  const { go, host, serve } = await setup();
  const a = serve();
  a.send(open(1));
  a.send(open(2, { retry: { factor: 2 } }));
  host.stop();
  assert.deepEqual(go.closed.sort(), go.opened.map((s) => s.id).sort());
  a.send(open(3));
  assert.equal(go.opened.length, 2, "no source opens after stop");
});

test("with broadcast, a connection's batch goes out once, to the sources of every page on it", async () => {
  const sent = [];
  const { go, serve } = await setup((m) => sent.push(m));
  const a = serve("A"), b = serve("B");
  a.send(open(1));
  a.send(open(2));
  b.send(open(7));
  go.opened[0].deliver(o("http://example.test"));
  assert.deepEqual(sent, [{ subs: { A: [1, 2], B: [7] }, batch: o("http://example.test"), last: undefined }]);
  assert.deepEqual(a.read(1), [], "nothing to each page's port: the channel carries it");
  a.send({ op: "close", sources: [[2, true]] });
  go.opened[0].deliver(m("x", "1"));
  assert.deepEqual(sent[1].subs, { A: [1], B: [7] });
});
