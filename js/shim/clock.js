// clock.js: the real clock, timers and microtask queue.

// The real clock, timers and microtask queue, as found when this file runs. A page or a test
// that installs fake timers later (a fake clock that starts at 0, as test tools do) must not
// break the polyfill: Go's runtime aborts when its clock reads 0 ("nanotime returning zero"),
// and its timers (reconnection delays) must run. Node.js hands over its own from node:timers
// and node:perf_hooks (js/node.cjs), which fakes leave alone.
const real = g[Symbol.for("ssewasm.clock")] || g;
const perf = real.performance;
const now = perf.now.bind(perf);
const microtask = real.queueMicrotask.bind(g);
// The globals wasm_exec.js reads when Go asks for the time or a timer: Date (walltime; also
// Go's clock origin, read once in new Go()), performance, setTimeout and clearTimeout.
const clock = {
  Date: class Date {
    static now() { return perf.timeOrigin + now(); }
    getTime() { return Date.now(); }
  },
  performance: { now },
  setTimeout: real.setTimeout,
  clearTimeout: real.clearTimeout,
};
const loadTime = { Date: g.Date, now: perf.now };
// withRealClock(fn) runs fn with those globals set to the real ones, if something has
// replaced one of them (since this file ran, for Date), and puts back what it found.
const withRealClock = (fn) => function (...args) {
  if (g.setTimeout === clock.setTimeout && g.clearTimeout === clock.clearTimeout && g.performance === perf &&
    perf.now === loadTime.now && g.Date === loadTime.Date) {
    return fn.apply(this, args); // nothing faked: the common case costs five comparisons
  }
  const found = {};
  for (const name in clock) {
    found[name] = g[name];
    g[name] = clock[name];
  }
  try {
    return fn.apply(this, args);
  } finally {
    for (const name in clock) g[name] = found[name];
  }
};
