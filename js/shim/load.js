// load.js: where eventsource.wasm and wasm_exec.js are, and their loading, which starts here,
// before the rest of the shim runs.

const script = g.document && g.document.currentScript;
// This script's own URL: the script element's, or in a worker (importScripts, no
// currentScript) the first script URL of the stack trace, which is this file's.
const stackURL = () => {
  const m = /((?:https?|file|blob):[^\s()@]*?\.m?[jt]s)(?::\d+)*/.exec(new Error().stack || "");
  return m ? m[1] : "";
};
const scriptURL = (script && script.src) || (!g.document && stackURL()) || (g.location && g.location.href) || "";
const attr = (name) => (script && script.getAttribute(name)) || undefined;

// The base URL for resolving EventSource URLs: the document's, a worker's location.
const baseURL = () => (g.document ? g.document.baseURI : g.location && g.location.href);

// The engine worker of a page (remote.js) runs this script too; its name starts with
// engineWorkerName and goes on with the URLs of the page's wasm and wasm_exec.js, which the
// page may have named with attributes.
const engineWorkerName = "ssewasm-engine ";
const hostOf = !g.document && typeof g.name === "string" && g.name.startsWith(engineWorkerName) ? JSON.parse(g.name.slice(engineWorkerName.length)) : null;

// Loading: wasm_exec.js, and the wasm, compiled as it arrives (load), then start() (run.js) runs
// the Go program, which calls bridge.ready() once it has installed open and close. In a worker
// and in Node.js, which load this script to run sources, it starts at once; in a page, on
// demand (startGo): the first source that runs on the page's own Go side starts it, so that a
// page whose sources all run in an engine worker (the shared or worker option) loads no wasm of
// its own.
// The files next to this script are asked for as file?v=hash, with the start of their SHA-256,
// which build.sh writes in here: the URL changes whenever the file does, so a server may let
// browsers keep them without asking again (immutable: the README's "Serving it"). A URL that
// the page gave in an attribute is taken as it is.
const versions = {wasm: "", exec: ""};
const urlOf = (name, file, v) => {
  if (attr(name)) return new URL(attr(name), baseURL());
  return scriptURL ? new URL(v ? `${file}?v=${v}` : file, scriptURL) : null;
};
const wasmURL = hostOf ? new URL(hostOf.wasm) : urlOf("data-wasm", "eventsource.wasm", versions.wasm);
const execURL = hostOf ? new URL(hostOf.exec) : urlOf("data-wasm-exec", "wasm_exec.js", versions.exec);

const compile = async () => {
  // Node.js (js/node.cjs) hands over the wasm's bytes, read from disk.
  const source = g[Symbol.for("ssewasm.wasmSource")];
  if (source) return WebAssembly.compile(await source);
  const response = fetch(wasmURL);
  try {
    return await WebAssembly.compileStreaming(response);
  } catch (e) {
    // compileStreaming needs the application/wasm type; fall back for servers without it.
    const res = await response;
    if (!res.ok) throw new Error(`${wasmURL}: HTTP ${res.status}`);
    return WebAssembly.compile(await res.clone().arrayBuffer());
  }
};

const loadGo = () => new Promise((resolve, reject) => {
  if (typeof g.Go === "function") return resolve();
  if (typeof g.importScripts === "function" && !g.document) {
    g.importScripts(execURL.href); // a worker
    return resolve();
  }
  const el = g.document.createElement("script");
  // A script added by script loads at low priority, and Chromium holds it back behind the
  // wasm's request: ask for it at the priority of a script in the page, which it stands for.
  el.fetchPriority = "high";
  el.src = execURL.href;
  el.onload = () => resolve();
  el.onerror = () => reject(new Error(`could not load ${execURL}`));
  (g.document.head || g.document.documentElement).appendChild(el);
});

// In a page, wasm_exec.js's request goes first, as it is small; in a worker, importScripts
// blocks, so the wasm's request goes first there.
const load = () => {
  const goLoaded = g.document ? loadGo() : null;
  const compiled = compile();
  return Promise.all([compiled, goLoaded ?? loadGo()]);
};
