// engine.js: the Go side as the sources see it: the bridge it installs, the sources it runs
// and those waiting for it, its crash, and closing sources in it.

let bridge = null; // {open, close}, set by the Go side once it runs
let text, stats; // decode text from Go's memory, and read its stats: set once it runs
let loadError = null; // why the wasm could not be loaded, if it could not
let loadReason = "internal"; // the reason of the error events of sources it fails: or "csp"
const live = new Set(); // the sources started on the Go side and not closed or failed
// What else is told when the Go side is gone (failed to load, or crashed), with the reason its
// sources fail: the engine worker's host (host.js).
const goneWatchers = [];

// engineDied(why): the Go side has crashed: it exited (a panic, running out of memory), or a
// call into it threw, which a working one never does. Every source fails, with reason
// "internal", and those made afterwards fail at once: none waits for a Go side that is gone.
const engineDied = (why) => {
  if (!bridge) return;
  bridge = null;
  loadError = why;
  loadReason = "internal";
  console.error("EventSource polyfill: its WebAssembly side crashed; every EventSource fails:", why);
  for (const es of live) failSource(es);
  live.clear();
  for (const watch of goneWatchers) watch(loadReason, why);
};
const waiting = new Set(); // sources constructed before the Go side was ready
let nextId = 1;
// follow(ctrl, signal) aborts ctrl when signal aborts, unless ctrl is aborted first: the
// listener goes then, so that a long-lived source's signal keeps none per fetch.
const follow = (ctrl, signal) => {
  const abort = () => ctrl.abort();
  signal.addEventListener("abort", abort, { once: true });
  ctrl.signal.addEventListener("abort", () => signal.removeEventListener("abort", abort), { once: true });
};

// closeInGo(id, closer, open) ends the fetch of a source that close() closed, by aborting
// closer (Go's fetches follow its signal), and has the Go side close the source, in a
// microtask, with the others closed meanwhile. A page that closes many sources in a loop must
// not free a connection for a request that waits for one (six per host over HTTP/1.1) of a
// source it closes a moment later: the browser sends such a request as soon as a connection
// is free. So the fetch of a source that was not open (waiting for its response, perhaps for
// a connection) is aborted at once, and that of an open one (which holds a connection) only
// in the microtask, after all those.
const closing = [];
const closeInGo = (id, closer, open) => {
  if (!open) closer.abort();
  if (closing.push({ id, closer }) === 1) microtask(() => {
    const closed = closing.splice(0);
    for (const c of closed) c.closer.abort();
    try {
      for (const c of closed) if (bridge) bridge.close(c.id);
    } catch (e) {
      engineDied(e);
    }
  });
};
// openInGo(id, url, withCredentials, options, pre, receive, link) starts a source on the Go
// side, with its checked options, the first request if the page started it (pre: {promise,
// ctrl}) and link (fetch.Transport.Link). receive(batch, last, returned) takes its records
// (internal/protocol): decoded here from Go's memory during Go's call (deliver), or handed back
// by the read loop once Go has returned (reply; returned is true). It returns the Go side's
// error message, if any; a call that throws is a crash (engineDied).
const openInGo = (id, url, withCredentials, options, pre, receive, link) => {
  const deliver = (at, r, lastAt, lastR) => receive(text(at, r), lastR ? text(lastAt, lastR) : undefined, false);
  const reply = (batch) => receive(batch, undefined, true);
  try {
    return bridge.open(id, url, withCredentials, deliver, options, pre ? pre.promise : undefined, pre ? pre.ctrl : undefined, reply, link);
  } catch (e) {
    engineDied(e); // this source among the others
  }
};
// The back/forward cache (lifecycle.js): suspendInGo has the Go side end its sources' fetches
// without an event, and aborts them at once too (each fetch follows suspender: see linkFetch),
// so that none is in progress when the page enters the cache, whatever the Go side has run by
// then; resumeInGo has the sources reconnect.
let suspender = new AbortController();
const suspendInGo = () => {
  try {
    if (bridge) bridge.suspend();
  } catch (e) {
    engineDied(e);
  }
  suspender.abort();
};
const resumeInGo = () => {
  suspender = new AbortController();
  try {
    if (bridge) bridge.resume();
  } catch (e) {
    engineDied(e);
  }
};
// linkFetch(ctrl, signal) aborts the AbortController of a fetch of the Go side when signal
// aborts (the source's close()) or the page enters the back/forward cache.
const linkFetch = (ctrl, signal) => {
  follow(ctrl, signal);
  follow(ctrl, suspender.signal);
};
// The private #start, #failToLoad and #abort, for the loader and stop below, and #suspend and
// #restore, for the back/forward cache.
let startSource, failSource, abortSource, suspendSource, restoreSource;
