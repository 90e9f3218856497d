// A test suite that installs fake timers (a fake clock that starts at 0, as common test tools
// do) after loading the polyfill and before its wasm has started: the Go side keeps the real
// clock and timers, so sources still open, reconnect and fail as they should. A file of its
// own, since node --test runs each file in a process of its own and the wasm starts once.
import { test } from "node:test";
import assert from "node:assert/strict";
import timers from "node:timers";
import { EventSource } from "./node.mjs";

const server = process.env.SSE_SERVER;
if (!server) throw new Error("SSE_SERVER is not set: run this through `go test -run TestNode .`");

// The fakes: Date and performance.now() read a clock that only tick() moves, from 0, and
// setTimeout callbacks run only when tick() reaches them.
const fake = { now: 0, queue: [], next: 1 };
const RealDate = Date;
class FakeDate extends RealDate {
  constructor(...args) { super(...(args.length ? args : [fake.now])); }
  static now() { return fake.now; }
}
globalThis.Date = FakeDate;
const realPerformanceNow = performance.now;
performance.now = () => fake.now;
// A fake timer handle, as Node's: ref() and unref() (the test runner calls them).
class FakeTimeout {
  constructor(id) { this.id = id; }
  ref() { return this; }
  unref() { return this; }
}
globalThis.setTimeout = (fn, ms = 0, ...args) => {
  const handle = new FakeTimeout(fake.next++);
  fake.queue.push({ handle, at: fake.now + ms, fn: () => fn(...args) });
  return handle;
};
globalThis.clearTimeout = (handle) => { fake.queue = fake.queue.filter((t) => t.handle !== handle); };
const wait = (ms) => new Promise((resolve) => timers.setTimeout(resolve, ms));

test.after(() => {
  globalThis.Date = RealDate;
  performance.now = realPerformanceNow;
  globalThis.setTimeout = timers.setTimeout;
  globalThis.clearTimeout = timers.clearTimeout;
});

const url = (spec) => `${server}/sse?${new URLSearchParams(spec)}`;

// record collects what es fires until done(list) says so, within ms of real time.
async function record(es, done, ms = 5000) {
  const seen = [];
  es.onopen = () => seen.push(`open(${es.readyState})`);
  es.onmessage = (e) => seen.push(`message:${e.data}`);
  es.onerror = (e) => seen.push(`error(${es.readyState}):${e.reason}`);
  for (const end = RealDate.now() + ms; !done(seen) && RealDate.now() < end;) await wait(10);
  es.close();
  return seen;
}

test("with fake timers, a source opens, reconnects after its real retry delay, and ends", async () => {
  assert.equal(Date.now(), 0, "the fake clock is installed");
  const seq = ["body=" + encodeURIComponent("retry: 30\ndata: one\n\n"), "body=" + encodeURIComponent("data: two\n\n"), "status=204"].join("|");
  const es = new EventSource(url({ key: `fake-${RealDate.now()}`, seq }));
  const seen = await record(es, (s) => s.length === 6);
  assert.deepEqual(seen, ["open(1)", "message:one", "error(0):end-of-stream", "open(1)", "message:two", "error(0):end-of-stream"]);
});

test("with fake timers, events carry the real time", async () => {
  const es = new EventSource(url({ body: "data: x\n\n", hold: "forever" }));
  let stamp;
  es.onmessage = (e) => { stamp = e.timeStamp; };
  for (const end = RealDate.now() + 5000; stamp === undefined && RealDate.now() < end;) await wait(10);
  es.close();
  assert.ok(stamp > 0, `timeStamp ${stamp}`);
});
