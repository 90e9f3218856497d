// Tests of the polyfill under Node.js (node --test), against the Go test server whose base URL
// is in SSE_SERVER (node_test.go starts it and runs this file).
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { EventSource } from "./node.mjs";

const server = process.env.SSE_SERVER;
if (!server) throw new Error("SSE_SERVER is not set: run this through `go test -run TestNode .`");

const url = (spec) => `${server}/sse?${new URLSearchParams(spec)}`;
const key = () => `node-${Date.now()}-${Math.random().toString(36).slice(2)}`;

// record collects what es fires until done(list) says so, with a time limit.
function record(es, done, ms = 5000) {
  const seen = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { es.close(); reject(new Error(`timed out; saw ${JSON.stringify(seen)}`)); }, ms);
    const add = (s) => {
      seen.push(s);
      if (done(seen)) { clearTimeout(timer); es.close(); resolve(seen); }
    };
    es.onopen = () => add(`open(${es.readyState})`);
    es.onmessage = (e) => add(`message:${e.data}#${e.lastEventId}@${e.origin}`);
    es.onerror = (e) => add(`error(${es.readyState}):${e.reason}`);
  });
}

test("installs globalThis.EventSource, since Node has none", () => {
  assert.equal(globalThis.EventSource, EventSource);
  assert.equal(typeof EventSource, "function");
  assert.equal(EventSource.CLOSED, 2);
});

test("relative URLs are a SyntaxError: Node has no base URL", () => {
  assert.throws(() => new EventSource("/sse"), (e) => e.name === "SyntaxError");
});

test("the worker option is a TypeError: Node has no Worker", () => {
  assert.throws(() => new EventSource("http://127.0.0.1:1/", { worker: true }), (e) => e instanceof TypeError && /option worker: this environment has no Worker/.test(e.message));
});

test("the shared option: Node has no shared worker, so each source has a connection of its own", async () => {
  const k = key();
  const u = url({ key: k, hold: "forever", body: "data: x\n\n" });
  const warned = [];
  const warn = console.warn;
  console.warn = (...args) => warned.push(args.join(" "));
  let a, b;
  try {
    a = new EventSource(u, { shared: true, headers: { "X-Token": "t" } });
    b = new EventSource(u, { shared: true, headers: { "X-Token": "t" } });
  } finally {
    console.warn = warn;
  }
  try {
    const seen = await Promise.all([record(a, (s) => s.length === 2), record(b, (s) => s.length === 2)]);
    assert.deepEqual(seen, [["open(1)", `message:x#@${server}`], ["open(1)", `message:x#@${server}`]]);
    const log = await (await fetch(`${server}/log?key=${k}`)).json();
    assert.deepEqual(log.map((r) => r.headers["X-Token"]), ["t", "t"], "two requests, with the headers");
    assert.equal(warned.length, 1, "one warning, once: " + warned.join("; "));
    assert.match(warned[0], /no SharedWorker/);
  } finally {
    a.close();
    b.close();
  }
});

test("receives events, reconnects with Last-Event-ID", async () => {
  const k = key();
  const seq = ["body=" + encodeURIComponent("retry: 20\nid: 1\ndata: one\n\n"),
    "hold=forever&body=" + encodeURIComponent("data: two\n\n")].join("|");
  const es = new EventSource(url({ key: k, seq }));
  assert.equal(es.readyState, 0);
  const seen = await record(es, (s) => s.length === 5);
  assert.deepEqual(seen, ["open(1)", `message:one#1@${server}`, "error(0):end-of-stream", "open(1)", `message:two#1@${server}`]);
  const log = await (await fetch(`${server}/log?key=${k}`)).json();
  assert.deepEqual(log.filter((r) => r.method === "GET").map((r) => r.headers["Last-Event-Id"]), [undefined, "1"]);
});

test("a 404 fails the connection", async () => {
  const es = new EventSource(url({ status: "404" }));
  const seen = await record(es, (s) => s.length === 1);
  assert.deepEqual(seen, ["error(2):http-status"]);
  assert.equal(es.readyState, 2);
});

test("options reach the server", async () => {
  const k = key();
  const es = new EventSource(url({ key: k, hold: "forever", body: "data: x\n\n" }), {
    headers: () => ({ "X-Token": "t1" }), lastEventId: "start",
  });
  await record(es, (s) => s.length === 2);
  const log = await (await fetch(`${server}/log?key=${k}`)).json();
  assert.equal(log[0].headers["X-Token"], "t1");
  assert.equal(log[0].headers["Last-Event-Id"], "start");
});

test("close() in a listener leaves nothing behind on the Go side", async () => {
  const stats = EventSource[Symbol.for("ssewasm.stats")];
  // A response read to its end before the listener runs (Node's own server sends the body and
  // its end at once), and one held open.
  const local = http.createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/event-stream" });
    res.end(("data: " + "x".repeat(58) + "\n\n").repeat(1000) + "data: last\n\n");
  });
  await new Promise((resolve) => local.listen(0, "127.0.0.1", resolve));
  try {
    // The first body is one chunk of over 64 KiB, which the shim hands to Go in parts.
    let before = stats(); // null until the Go side runs
    for (const t0 = Date.now(); !before && Date.now() - t0 < 5000; before = stats()) await new Promise((r) => setTimeout(r, 20));
    const counts = [];
    for (const u of [`http://127.0.0.1:${local.address().port}/`, url({ body: "data: last\n\n", hold: "forever" })]) {
      const es = new EventSource(u);
      let n = 0;
      await new Promise((resolve) => {
        es.onmessage = (e) => {
          if (e.data === "x".repeat(58)) n++;
          else if (e.data === "last") { es.close(); resolve(); }
        };
      });
      counts.push(n);
    }
    assert.deepEqual(counts, [1000, 0], "the events before the last, whole");
    // The Go side releases a closed source's callbacks once its body's read has settled; that
    // takes a few tasks. Only the bridge's own six (open, close, stop, online, suspend,
    // resume) stay. The JavaScript values it
    // held (responses, streams) are let go at the collection that follows.
    const done = (s) => s.funcs === 6 && s.sources === 0 && s.values <= before.values;
    let s = stats();
    for (const t0 = Date.now(); !done(s) && Date.now() - t0 < 3000;) {
      await new Promise((r) => setTimeout(r, 20));
      s = stats();
    }
    assert.deepEqual({ sources: s.sources, funcs: s.funcs, values: Math.max(s.values, before.values) }, { sources: 0, funcs: 6, values: before.values });
  } finally {
    local.close();
  }
});
