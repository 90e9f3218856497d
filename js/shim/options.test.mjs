// The shim's checks of the constructor's options (options.js) against the option schema
// (internal/protocol/options.json, named by OPTIONS_SCHEMA): run by internal/protocol's TestShim.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

// options.js is a part of the shim, which build.sh joins with the others inside one function:
// here it runs alone, in a function of its own.
const source = readFileSync(new URL("options.js", import.meta.url), "utf8");
const readOptions = new Function(`${source}\nreturn readOptions;`)();

const schema = JSON.parse(readFileSync(process.env.OPTIONS_SCHEMA, "utf8"));
assert.ok(schema.options.length > 0, "no options in the schema");

// The values each kind accepts, and those it refuses (with what the option needs beside it).
const samples = {
  number: (o) => ({
    good: [o.min, o.max ?? 1e9, o.integer ? o.min + 1 : (o.min + (o.max ?? o.min + 2)) / 2],
    bad: ["5", NaN, Infinity, null, o.min - (o.integer ? 1 : 0.5), ...(o.max === null ? [] : [o.max + 1]), ...(o.integer ? [o.min + 0.5] : [])],
  }),
  boolean: () => ({ good: [true, false], bad: [1, "true", null] }),
  string: (o) => ({
    good: ["a b é"],
    bad: [5, null, ...(o.nonEmpty ? [""] : []), ...(o.forbidden ? ["a\nb", "a\rb", "a\0b"] : [])],
  }),
  headers: () => ({ good: [{ "X-A": "1" }, new Headers({ "X-A": "1" }), () => ({ "X-A": "1" })], bad: [5, "x", { "bad name": "x" }] }),
  method: () => ({ good: ["POST", "PATCH"], bad: ["a b", "TRACE", "CONNECT", 5, ""] }),
  body: () => ({ good: ["x", new ArrayBuffer(2), new Uint8Array(2)], bad: [{}, 5], with: { method: "POST" } }),
  AbortSignal: () => ({ good: [new AbortController().signal], bad: [{}, 5, null] }),
  object: () => ({ good: [{}], bad: [5, null, "x"] }),
};

// check tests the values of one option (path is its name, with its parent's: retry.factor)
// given to readOptions inside wrap(value).
const check = (o, path, wrap) => {
  const s = samples[o.kind](o);
  for (const value of s.good) {
    const init = { ...s.with, ...wrap(value) };
    let got;
    assert.doesNotThrow(() => (got = readOptions(init)), `${path}: ${String(value)} is accepted`);
    assert.ok(got !== null, `${path}: readOptions returns the options`);
  }
  for (const value of s.bad) {
    assert.throws(() => readOptions({ ...s.with, ...wrap(value) }), (e) => e instanceof TypeError && e.message.includes(`option ${path}:`),
      `${path}: ${typeof value === "string" ? JSON.stringify(value) : String(value)} is refused with a TypeError naming it`);
  }
};

for (const o of schema.options) {
  test(`option ${o.name}`, () => {
    check(o, o.name, (value) => ({ [o.name]: value }));
    for (const m of o.members ?? []) check(m, `${o.name}.${m.name}`, (value) => ({ [o.name]: { [m.name]: value } }));
    if (o.kind === "object") {
      assert.throws(() => readOptions({ [o.name]: { nope: 1 } }), /option retry\.nope:/, "an unknown member is refused");
    }
  });
}

test("readOptions reads the schema's options, and no others", () => {
  const read = new Set();
  const init = new Proxy({}, { get: (target, key) => (read.add(key), undefined) });
  assert.equal(readOptions(init), null, "no options: null");
  assert.deepEqual([...read].sort(), schema.options.map((o) => o.name).sort());
});

test("a valid value of every option passes through", () => {
  const init = { method: "POST" };
  for (const o of schema.options) init[o.name] ??= samples[o.kind](o).good[0];
  const got = readOptions(init);
  assert.deepEqual(Object.keys(got).sort(), schema.options.map((o) => o.name).sort());
});
