// soak.js: the page's side of cmd/bench's endurance mode (-soak), inlined after harness.js in
// the soak page. Go starts a phase with soak.start, polls soak.state() until it has finished,
// and can end it early with soak.stop(). Only one phase runs at a time.
"use strict";
globalThis.soak = (() => {
  const cfg = globalThis.benchConfig;
  const ES = cfg.impl === "native" ? globalThis.NativeEventSource || globalThis.EventSource : globalThis.EventSource;
  let st = null; // the phase running, or the last one

  // Both phases keep in maxMs the longest operation: a cycle, or the time from one new event
  // to the next.

  // cycles opens a source on /soak/once n times, each sending one event (id and data k), waits
  // for that message (or cycleMs), and closes the source. A cycle whose message never came is a
  // gap; a second message on one source, or one after close(), is counted too.
  const cycles = async (run, n, cycleMs) => {
    for (let k = 1; k <= n && !st.stopped; k++) {
      const t = performance.now();
      const es = new ES(`/soak/once?run=${encodeURIComponent(run)}&k=${k}`);
      let got = 0, closed = false;
      await new Promise((resolve) => {
        const timer = setTimeout(() => { st.cycleTimeouts++; resolve(); }, cycleMs);
        es.onmessage = (e) => {
          if (closed) { st.late++; return; }
          if (++got > 1) { st.duplicates++; return; }
          if (e.data !== String(k) || e.lastEventId !== String(k)) st.wrong++;
          st.events++;
          clearTimeout(timer);
          resolve();
        };
        es.onerror = () => { st.errors++; };
      });
      es.close();
      closed = true;
      if (got === 0) st.gaps++;
      st.done = k;
      st.maxMs = Math.max(st.maxMs, performance.now() - t);
    }
  };

  // drops runs one source on /soak/drop, whose every response sends the event after the
  // request's Last-Event-ID and then breaks the connection, until event n arrives. Each event
  // must arrive once and in order: an id at most the last one is a duplicate, ids skipped are
  // gaps.
  const drops = (run, n) => new Promise((resolve) => {
    const es = new ES(`/soak/drop?run=${encodeURIComponent(run)}&n=${n}`);
    let last = 0, t = performance.now();
    const end = (failure) => {
      es.close();
      clearInterval(watch);
      if (failure) st.failure = failure;
      resolve();
    };
    es.onmessage = (e) => {
      const k = Number(e.data);
      if (!Number.isInteger(k) || e.lastEventId !== e.data) st.wrong++;
      st.events++;
      if (k <= last) {
        st.duplicates++;
      } else {
        st.gaps += k - last - 1;
        last = st.done = k;
        const now = performance.now();
        st.maxMs = Math.max(st.maxMs, now - t);
        t = now;
      }
      if (k >= n) end();
    };
    es.onerror = () => {
      st.errors++;
      if (es.readyState === 2) end(`the source failed (readyState CLOSED) after event ${last}`);
    };
    const watch = setInterval(() => { if (st.stopped) end(); }, 50);
  });

  // start begins phase ("cycles" or "drops") with n operations on the server's run, and
  // returns at once. The phase stops by itself after phaseMs.
  const start = (phase, run, n, phaseMs, cycleMs) => {
    if (st && !st.finished) throw new Error(`soak: phase ${st.phase} still runs`);
    st = {
      phase, n, done: 0, events: 0, duplicates: 0, gaps: 0, errors: 0, wrong: 0, late: 0,
      cycleTimeouts: 0, maxMs: 0, failure: "", stopped: false, timedOut: false, finished: false, ms: 0,
    };
    const s = st;
    const t0 = performance.now();
    const timer = setTimeout(() => { s.stopped = s.timedOut = true; }, phaseMs);
    (phase === "cycles" ? cycles(run, n, cycleMs) : drops(run, n))
      .catch((e) => { s.failure = String(e && e.stack || e); })
      .finally(() => { clearTimeout(timer); s.ms = performance.now() - t0; s.finished = true; });
  };

  // state is a copy of the phase's figures so far.
  const state = () => (st ? { ...st } : null);

  // stop ends the phase at its next step.
  const stop = () => { if (st) st.stopped = true; };

  return { start, state, stop };
})();
