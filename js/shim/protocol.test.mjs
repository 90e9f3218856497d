// The shim's decoder (protocol.js) against the batches Go encodes (internal/protocol's
// testdata/batches.json, named by PROTOCOL_GOLDEN): run by internal/protocol's TestShim.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

// protocol.js is a part of the shim, which build.sh joins with the others inside one function:
// here it runs alone, in a function of its own.
const source = readFileSync(new URL("protocol.js", import.meta.url), "utf8");
const Records = new Function(`${source}\nreturn Records;`)();

// The shim decodes Go's bytes as run.js's text() does: UTF-8, a leading BOM kept as data.
const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });
const text = (base64) => utf8.decode(Buffer.from(base64, "base64"));

// read returns what next() reads, record by record, in the golden file's terms.
const read = (records) => {
  const out = [];
  while (records.next()) {
    const r = records;
    if (r.kind === "o") out.push({ kind: "open", origin: r.origin });
    else if (r.kind === "m") out.push({ kind: "message", type: r.type, lastEventId: r.lastEventId, data: r.data });
    else out.push({ kind: "error", reason: r.reason, status: r.status, statusText: r.statusText, retryIn: r.retryIn, message: r.message });
  }
  return out;
};

// withDefaults fills in what Go's JSON leaves out (omitempty).
const withDefaults = (r) => {
  const defaults = {
    open: { origin: "" },
    message: { type: "", lastEventId: "", data: "" },
    error: { reason: "", status: 0, statusText: "", retryIn: 0, message: "" },
  }[r.kind];
  return { ...defaults, ...r };
};

const golden = JSON.parse(readFileSync(process.env.PROTOCOL_GOLDEN, "utf8"));
assert.ok(golden.length > 0, "no cases in the golden file");

for (const c of golden) {
  test(c.name, () => {
    // All batches at once, then one at a time: the decoder keeps its state across batches
    // either way.
    const whole = new Records();
    for (const b of c.batches) whole.push(text(b.batch), b.last === undefined ? undefined : text(b.last), 1);
    assert.deepEqual(read(whole), c.records.map(withDefaults));

    const stepwise = new Records();
    const got = [];
    for (const b of c.batches) {
      stepwise.push(text(b.batch), b.last === undefined ? undefined : text(b.last), 2);
      got.push(...read(stepwise));
    }
    assert.deepEqual(got, c.records.map(withDefaults));
  });
}

test("clear drops unread records and pieces", () => {
  const r = new Records();
  r.push("a\rb\rdd", undefined, 0);
  assert.ok(r.next());
  r.push("p", "piece", 0);
  r.clear();
  assert.equal(r.next(), false);
  r.push("c\rd", undefined, 0);
  assert.ok(r.next());
  assert.equal(r.data, "c");
});

test("an unknown record kind throws", () => {
  const r = new Records();
  r.push("a\rq", undefined, 0);
  assert.throws(() => r.next(), /unknown record kind "q"/);
});
