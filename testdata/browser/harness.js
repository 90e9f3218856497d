// Conformance harness for EventSource implementations.
//
// suite.html?impl=native|polyfill&other=<second origin>&report=<url>[&only=<regexp>][&h2=<HTTPS origin>][&restart=<origin>][&worker=1]
//
// With worker=1 (and impl=polyfill), every EventSource a scenario makes with t.es has the
// polyfill's worker option: its connection runs in the engine worker.
//
// Scenarios (registered with scenario() by the scenarios-*.js files) run one
// after the other against whichever EventSource is global. Each resolves to
// pass or fail with a message; progress, heartbeats and the final results are
// POSTed as JSON to the report URL:
//
//   {kind: "progress", impl, line}                      free-form log line
//   {kind: "heartbeat", impl, current, elapsedMs}       every second
//   {kind: "result", impl, result: {name, ok, message, ms}}
//   {kind: "done", impl, userAgent, results: [...]}     once, at the end
//
// Every network request goes to this page's origin, to `other`, to `h2`
// (HTTPS with HTTP/2, given to browsers that accept its certificate) or to
// `restart` (an origin that POST /restart?down=MS on this page's origin takes
// down for MS milliseconds), all on 127.0.0.1.
(function () {
  'use strict';

  const params = new URLSearchParams(location.search);
  const IMPL = params.get('impl') || 'native';
  const WORKER = params.get('worker') === '1';
  const SELF = location.origin;
  const OTHER = (params.get('other') || '').replace(/\/+$/, '');
  // An origin over TLS with HTTP/2, given to browsers that accept its certificate.
  const H2 = (params.get('h2') || '').replace(/\/+$/, '');
  // An origin whose server can be restarted (see restart()).
  const RESTART = (params.get('restart') || '').replace(/\/+$/, '');
  const REPORT = params.get('report') || '';
  const ONLY = params.get('only') ? new RegExp(params.get('only')) : null;
  const RUN = IMPL + '-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 8);
  const DEFAULT_TIMEOUT = 8000;

  // isProbe tells the polyfill's probe after a failed first fetch (mode
  // no-cors, or same-origin for a same-origin URL) from an EventSource
  // request (mode cors) in the server's log.
  const isProbe = (r) => ['no-cors', 'same-origin'].includes(r.headers['Sec-Fetch-Mode']);

  const scenarios = [];
  let keyCounter = 0;
  let capturing = 0; // scenarios expecting uncaught errors (captureErrors)

  // scenario registers a named async test. opts.timeout is in milliseconds.
  function scenario(name, fn, opts) {
    if (scenarios.some((s) => s.name === name)) throw new Error('duplicate scenario ' + name);
    scenarios.push({ name, fn, timeout: (opts && opts.timeout) || DEFAULT_TIMEOUT });
  }

  // ---------------------------------------------------------------- encoding

  // utf8 turns a JavaScript string into a "byte string": one char per byte.
  function utf8(s) {
    let out = '';
    for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
    return out;
  }

  // escBytes percent-encodes a byte string for a URL query.
  function escBytes(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes.charCodeAt(i);
      if (c > 255) throw new Error('escBytes: not a byte string at ' + i);
      if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
        out += bytes[i];
      } else {
        out += '%' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase();
      }
    }
    return out;
  }

  // specQuery encodes one response spec as a query string. spec.body,
  // spec.head and spec.tail are text (sent as UTF-8); spec.bytes is a byte
  // string used as the body (for invalid UTF-8); spec.seq is a list of specs;
  // every
  // other property is passed as it is (arrays become comma lists, except hdr,
  // which repeats).
  function specQuery(spec) {
    const parts = [];
    for (const [k, v] of Object.entries(spec)) {
      if (v === undefined || v === null) continue;
      if (k === 'body' || k === 'head' || k === 'tail') parts.push(k + '=' + escBytes(utf8(v)));
      else if (k === 'bytes') parts.push('body=' + escBytes(v));
      else if (k === 'hdr') [].concat(v).forEach((h) => parts.push('hdr=' + encodeURIComponent(h)));
      else if (k === 'seq') parts.push('seq=' + encodeURIComponent(v.map(specQuery).join('|')));
      else if (Array.isArray(v)) parts.push(k + '=' + encodeURIComponent(v.join(',')));
      else parts.push(k + '=' + encodeURIComponent(String(v)));
    }
    return parts.join('&');
  }

  // show renders a value for a failure message, escaping anything that would
  // not be readable (control characters, BOM, U+FFFD, non-ASCII).
  function show(v) {
    if (v === undefined) return 'undefined';
    let s;
    try {
      s = JSON.stringify(v);
    } catch (e) {
      s = String(v);
    }
    if (s === undefined) s = String(v);
    return s.replace(/[^\x20-\x7e]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  }

  // ----------------------------------------------------------------- asserts

  class AssertionError extends Error {}

  function fail(msg) {
    throw new AssertionError(msg);
  }

  // ---------------------------------------------------------------- context

  // Ctx is the per-scenario helper: it builds URLs, tracks EventSources (all
  // closed when the scenario ends), records events, reads the server log.
  class Ctx {
    constructor(name) {
      this.name = name;
      this.sources = [];
      this.cleanups = [];
      this.notes = [];
      this.self = SELF;
      this.other = OTHER;
      this.impl = IMPL;
      this.worker = WORKER;
    }

    // key returns a fresh key for the server's request log.
    key() {
      keyCounter++;
      return RUN + '-' + keyCounter;
    }

    // url builds an /sse (or other endpoint) URL; opts.origin picks the
    // origin (default this page's), opts.path the endpoint (default /sse).
    url(spec, opts) {
      const origin = (opts && opts.origin) || SELF;
      const path = (opts && opts.path) || '/sse';
      return origin + path + '?' + specQuery(spec || {});
    }

    // es creates an EventSource with the global constructor and tracks it (with worker=1,
    // with the worker option).
    es(url, init) {
      if (WORKER) init = Object.assign({}, init, { worker: true });
      const es = arguments.length > 1 || WORKER ? new EventSource(url, init) : new EventSource(url);
      this.sources.push(es);
      return es;
    }

    // track makes the scenario close es at the end.
    track(es) {
      this.sources.push(es);
      return es;
    }

    // cleanup registers a function to run when the scenario ends.
    cleanup(fn) {
      this.cleanups.push(fn);
    }

    // note adds a line to the scenario's message even when it passes.
    note(s) {
      this.notes.push(s);
    }

    // context sets a line added to the message if the scenario fails (for
    // example everything a recorder saw).
    context(s) {
      this.contextLine = s;
    }

    sleep(ms) {
      return new Promise((resolve) => setTimeout(resolve, ms));
    }

    // record listens for the given event types on es (default open, message,
    // error) and returns a Recorder.
    record(es, types) {
      return new Recorder(es, types || ['open', 'message', 'error']);
    }

    // log returns the requests the server recorded under key; with min, it
    // waits (server side, at most timeout ms) until there are that many.
    async log(key, min, timeout) {
      let u = SELF + '/log?key=' + encodeURIComponent(key);
      if (min) u += '&min=' + min + '&timeout=' + (timeout || 5000);
      const resp = await fetch(u, { cache: 'no-store' });
      if (!resp.ok) fail('log: HTTP ' + resp.status);
      return resp.json();
    }

    // gets returns the recorded GET /sse requests under key (no preflights,
    // no redirect hops, and not the polyfill's no-cors probe, which tells a
    // CORS failure from a network error: see probes); with min, waits until
    // there are that many.
    async gets(key, min, timeout) {
      const deadline = performance.now() + (timeout || 5000);
      for (;;) {
        const all = await this.log(key);
        const gets = all.filter((r) => r.method === 'GET' && r.seq >= 0 && !isProbe(r));
        if (!min || gets.length >= min || performance.now() >= deadline) return gets;
        await this.log(key, all.length + 1, Math.max(1, Math.min(1000, deadline - performance.now())));
      }
    }

    // probes returns the no-cors and same-origin GET requests recorded
    // under key: the polyfill's probe after a failed first fetch (the
    // browser's own EventSource makes none).
    async probes(key) {
      return (await this.log(key)).filter((r) => r.method === 'GET' && isProbe(r));
    }

    // stats resolves with what the polyfill's Go side holds (its stats hook): the engine
    // worker's with worker=1, else the page's.
    async stats() {
      const stats = EventSource[Symbol.for('ssewasm.stats')];
      if (typeof stats !== 'function') fail('the polyfill has no stats hook');
      return WORKER ? stats('worker') : stats();
    }

    // restart takes the RESTART origin's server down (its connections break,
    // new ones are refused) and brings it back on the same port after ms
    // milliseconds; it resolves once the server is down.
    async restart(ms) {
      if (!RESTART) fail('no restartable origin given (restart=)');
      const resp = await fetch(SELF + '/restart?down=' + ms, { method: 'POST' });
      if (resp.status !== 204) fail('restart: HTTP ' + resp.status + ' ' + (await resp.text()));
    }

    // setCookie sets a cookie for 127.0.0.1 (all ports) and removes it when
    // the scenario ends.
    async setCookie(name, value) {
      const u = SELF + '/set-cookie?name=' + encodeURIComponent(name) + '&value=' + encodeURIComponent(value);
      const resp = await fetch(u, { cache: 'no-store', credentials: 'include' });
      if (!resp.ok) fail('set-cookie: HTTP ' + resp.status);
      this.cleanup(() =>
        fetch(SELF + '/set-cookie?name=' + encodeURIComponent(name) + '&maxage=-1', {
          cache: 'no-store',
          credentials: 'include',
        }),
      );
    }

    // captureErrors routes uncaught exceptions (window.onerror) into the
    // returned array for the rest of the scenario.
    captureErrors() {
      const caught = [];
      const prev = window.onerror;
      window.onerror = (msg, src, line, col, err) => {
        caught.push(err || msg);
        return true;
      };
      capturing++;
      this.cleanup(() => {
        window.onerror = prev;
        capturing--;
      });
      return caught;
    }

    // assertions
    ok(cond, msg) {
      if (!cond) fail(msg || 'assertion failed');
    }
    eq(actual, expected, msg) {
      if (Object.is(actual, expected)) return;
      if (typeof actual === 'object' && typeof expected === 'object' && actual !== null && expected !== null && show(actual) === show(expected)) return;
      const ty = typeof actual === typeof expected ? '' : ' (' + typeof actual + ' vs ' + typeof expected + ')';
      fail((msg ? msg + ': ' : '') + 'got ' + show(actual) + ', want ' + show(expected) + ty);
    }
    same(actual, expected, msg) {
      if (actual !== expected) fail((msg ? msg + ': ' : '') + 'not the same object');
    }
    throws(fn, check, msg) {
      let threw = false;
      let err;
      try {
        fn();
      } catch (e) {
        threw = true;
        err = e;
      }
      if (!threw) fail((msg ? msg + ': ' : '') + 'did not throw');
      if (check === 'TypeError') {
        if (!(err instanceof TypeError)) fail((msg ? msg + ': ' : '') + 'threw ' + describeError(err) + ', want TypeError');
      } else if (typeof check === 'string') {
        if (!(err instanceof DOMException) || err.name !== check) {
          fail((msg ? msg + ': ' : '') + 'threw ' + describeError(err) + ', want DOMException ' + check);
        }
      }
      return err;
    }

    finish() {
      for (const es of this.sources) {
        try {
          es.close();
        } catch (e) {
          // a broken close() is reported by the scenarios that test it
        }
      }
      for (const fn of this.cleanups.reverse()) {
        try {
          fn();
        } catch (e) {
          // ignore
        }
      }
    }
  }

  function describeError(e) {
    if (e instanceof DOMException) return 'DOMException ' + e.name;
    if (e instanceof Error) return e.name + ': ' + e.message;
    return show(e);
  }

  // Recorder keeps, in order, the events of the listened types: {type, data,
  // lastEventId, origin, rs (readyState at dispatch), msg (is a
  // MessageEvent), at (ms since recording began)}.
  class Recorder {
    constructor(es, types) {
      this.es = es;
      this.events = [];
      this.waiters = [];
      this.begin = performance.now();
      for (const type of types) {
        es.addEventListener(type, (e) => this.push(e));
      }
    }

    push(e) {
      const rec = {
        type: e.type,
        rs: this.es.readyState,
        msg: e instanceof MessageEvent,
        at: Math.round(performance.now() - this.begin),
        event: e,
      };
      if (rec.msg) {
        rec.data = e.data;
        rec.lastEventId = e.lastEventId;
        rec.origin = e.origin;
      }
      this.events.push(rec);
      for (const w of this.waiters.slice()) w.check();
    }

    // summary lists the events compactly for failure messages.
    summary() {
      return (
        '[' +
        this.events
          .map((e) => e.type + '(' + e.rs + ')' + (e.msg ? ':' + show(e.data) + (e.lastEventId ? '#' + show(e.lastEventId) : '') : ''))
          .join(', ') +
        ']'
      );
    }

    of(type) {
      return this.events.filter((e) => e.type === type);
    }

    // until resolves once pred(events) holds, or fails after ms.
    until(pred, ms, what) {
      return new Promise((resolve, reject) => {
        const w = {
          check: () => {
            let done;
            try {
              done = pred(this.events);
            } catch (e) {
              done = false;
            }
            if (done) {
              clearTimeout(w.timer);
              this.waiters.splice(this.waiters.indexOf(w), 1);
              // Resolve from a new task, so that the awaiting scenario goes on
              // after every listener of this event has run (a promise alone
              // would resume it at the microtask checkpoint right after the
              // recorder's own listener).
              setTimeout(() => resolve(this.events), 0);
            }
          },
        };
        w.timer = setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          reject(new AssertionError('timed out after ' + ms + 'ms waiting for ' + (what || 'events') + '; saw ' + this.summary()));
        }, ms);
        this.waiters.push(w);
        w.check();
      });
    }

    // untilCount waits for n events of type.
    untilCount(type, n, ms) {
      return this.until((evs) => evs.filter((e) => e.type === type).length >= n, ms || 4000, n + ' ' + type + ' event(s)');
    }
  }

  // ---------------------------------------------------------------- reporting

  let current = '';
  let currentStart = 0;

  function post(obj) {
    if (!REPORT) return Promise.resolve();
    obj.impl = IMPL;
    const body = JSON.stringify(obj);
    return fetch(REPORT, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
      cache: 'no-store',
      // keepalive lets a report outlive the page, but only within a 64 kB
      // budget: the final report, which can be larger, goes without it.
      keepalive: body.length < 16384,
    }).catch(() => {});
  }

  function progress(line) {
    return post({ kind: 'progress', line: String(line) });
  }

  function withTimeout(promise, ms, name) {
    let timer;
    return Promise.race([
      promise,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new AssertionError('scenario timed out after ' + ms + 'ms')), ms);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  // Uncaught errors outside of captureErrors() are logged, not fatal.
  window.addEventListener('error', (e) => {
    if (capturing) return;
    progress('uncaught error during ' + (current || '(no scenario)') + ': ' + (e.message || e.error));
  });
  window.addEventListener('unhandledrejection', (e) => {
    progress('unhandled rejection during ' + (current || '(no scenario)') + ': ' + describeError(e.reason));
  });

  function out(line, ok) {
    const div = document.createElement('div');
    div.textContent = line;
    if (ok === false) div.style.color = 'crimson';
    const log = document.getElementById('log');
    if (log) log.appendChild(div);
  }

  async function runAll() {
    const results = [];
    const selected = scenarios.filter((s) => !ONLY || ONLY.test(s.name));
    await progress('start: ' + selected.length + ' scenarios, impl=' + IMPL + ', ' + navigator.userAgent);
    const heartbeat = setInterval(() => {
      post({ kind: 'heartbeat', current, elapsedMs: Math.round(performance.now() - currentStart) });
    }, 1000);
    let fatal = '';
    for (const s of selected) {
      current = s.name;
      currentStart = performance.now();
      const ctx = new Ctx(s.name);
      let ok = false;
      let message = '';
      if (fatal) {
        message = 'not run: ' + fatal;
      } else {
        try {
          const ret = await withTimeout(Promise.resolve().then(() => s.fn(ctx)), s.timeout, s.name);
          ok = true;
          if (typeof ret === 'string') ctx.note(ret);
        } catch (e) {
          message = e instanceof AssertionError ? e.message : 'exception: ' + describeError(e);
          if (e && e.stack && !(e instanceof AssertionError)) message += '\n' + e.stack;
          if (ctx.contextLine) message += '\ncontext: ' + ctx.contextLine;
        } finally {
          ctx.finish();
        }
      }
      if (ctx.notes.length) message = (message ? message + '\n' : '') + ctx.notes.join('\n');
      const result = { name: s.name, ok, message, ms: Math.round(performance.now() - currentStart) };
      results.push(result);
      out((ok ? 'PASS ' : 'FAIL ') + s.name + (message ? ': ' + message : ''), ok);
      await post({ kind: 'result', result });
      if (s.name === 'harness.impl' && !ok) fatal = 'the implementation under test is not installed (' + message + ')';
      // Let the closed connections go before the next scenario.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clearInterval(heartbeat);
    current = '';
    await post({ kind: 'done', userAgent: navigator.userAgent, results });
    out('done');
    document.title = 'done';
  }

  // inFrame loads srcdoc in an iframe and resolves with the first
  // {frameResult} the frame posts to this window (the iframe is removed then),
  // or rejects after ms.
  function inFrame(srcdoc, ms = 10000) {
    return new Promise((resolve, reject) => {
      const frame = document.createElement('iframe');
      frame.srcdoc = srcdoc;
      const onMessage = (e) => {
        if (e.source !== frame.contentWindow || !e.data || !('frameResult' in e.data)) return;
        window.removeEventListener('message', onMessage);
        clearTimeout(timer);
        frame.remove();
        resolve(e.data.frameResult);
      };
      const timer = setTimeout(() => {
        window.removeEventListener('message', onMessage);
        frame.remove();
        reject(new Error('no result from the frame in ' + ms + ' ms'));
      }, ms);
      window.addEventListener('message', onMessage);
      document.body.appendChild(frame);
    });
  }

  window.SSETest = {
    scenario,
    inFrame,
    utf8,
    escBytes,
    specQuery,
    show,
    fail,
    IMPL,
    SELF,
    OTHER,
    H2,
    RESTART,
    start() {
      // Wait for load so that a polyfill that finishes setting up on load
      // (for example after instantiating WebAssembly) is ready.
      const go = () => setTimeout(() => runAll().catch((e) => post({ kind: 'progress', line: 'harness crashed: ' + describeError(e) })), 0);
      if (document.readyState === 'complete') go();
      else window.addEventListener('load', go);
    },
  };
})();
