// Scenarios of loading: an EventSource made at once after the script tag (see suite.html).
(() => {
  'use strict';
  const { scenario } = SSETest;

  scenario('loading.constructed-at-once', async (t) => {
    const early = window.earlySource;
    t.track(early.es);
    t.eq(early.readyStateAtConstruction, 0, 'readyState right after construction');
    t.eq(early.url, location.origin + '/sse?hold=forever&body=' + encodeURIComponent('id: 1\ndata: a\n\nevent: custom\ndata: b\n\ndata: c\n\n'), 'url resolved at once');
    if (t.impl === 'polyfill') {
      // The Go side was not running yet: this source had to wait for it.
      t.eq(early.goSideAtConstruction, null, "the polyfill's Go side when the source was made");
    }
    const deadline = performance.now() + 5000;
    while (early.events.length < 4 && performance.now() < deadline) await t.sleep(20);
    t.eq(early.events.join(', '), 'open(1), message(1):a#1, custom(1):b#1, message(1):c#1', 'events, in order');
  });
})();

(() => {
  'use strict';
  const { scenario } = SSETest;

  // frameResult loads the polyfill in an iframe with the given script-tag attributes and reports
  // what one EventSource made there sees first: a message's data, or an error's readyState.
  function frameResult(t, attrs) {
    const url = t.url({ body: 'data: hello\n\n', hold: 'forever' });
    return SSETest.inFrame(`<script src="/web/eventsource.js" ${attrs}><\/script><script>
      const es = new EventSource(${JSON.stringify(url)});
      es.onmessage = (e) => { es.close(); parent.postMessage({ frameResult: 'message:' + e.data }, '*'); };
      es.onerror = () => { parent.postMessage({ frameResult: 'error:' + es.readyState }, '*'); es.close(); };
    <\/script>`);
  }

  // The wasm is found next to eventsource.js by default; data-wasm and data-wasm-exec name others.
  scenario('loading.data-wasm-attributes', async (t) => {
    if (t.impl !== 'polyfill') return 'only the polyfill loads a wasm';
    t.eq(await frameResult(t, 'data-wasm="/web/eventsource.wasm" data-wasm-exec="/web/wasm_exec.js"'), 'message:hello', 'with both attributes naming the real files');
    t.eq(await frameResult(t, 'data-wasm="/web/no-such.wasm"'), 'error:2', 'with data-wasm naming a missing file (the source fails)');
  });

  // The shim asks for the files next to it by version (file?v=, the start of the file's SHA-256,
  // which build.sh writes into it), so that a server may serve them immutable.
  scenario('loading.versioned-files', async (t) => {
    if (t.impl !== 'polyfill') return 'only the polyfill loads a wasm';
    const url = t.url({ body: 'data: hello\n\n', hold: 'forever' });
    const names = await SSETest.inFrame(`<script src="/web/eventsource.js"><\/script><script>
      const es = new EventSource(${JSON.stringify(url)});
      es.onmessage = () => {
        es.close();
        const names = performance.getEntriesByType('resource').map((e) => new URL(e.name))
          .filter((u) => /(eventsource\.wasm|wasm_exec\.js)$/.test(u.pathname)).map((u) => u.pathname + u.search);
        parent.postMessage({ frameResult: names.sort() }, '*');
      };
      es.onerror = () => { parent.postMessage({ frameResult: 'error:' + es.readyState }, '*'); es.close(); };
    <\/script>`);
    t.ok(Array.isArray(names), "the frame's source had its message: " + JSON.stringify(names));
    t.eq(names.map((n) => n.replace(/\?v=[0-9a-f]{16}$/, '?v=HASH')), ['/web/eventsource.wasm?v=HASH', '/web/wasm_exec.js?v=HASH'], 'the files the page asked for');
  });
})();

(() => {
  'use strict';
  const { scenario } = SSETest;

  // importScripts('eventsource.js') in a dedicated worker installs the polyfill there (it finds
  // its wasm next to itself, not next to the worker's script), and EventSource works in it.
  scenario('loading.dedicated-worker', async (t) => {
    const worker = new Worker('/test/worker.js?impl=' + t.impl);
    t.cleanup(() => worker.terminate());
    const result = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer from the worker in 10s')), 10000);
      worker.onmessage = (e) => { clearTimeout(timer); resolve(e.data); };
      worker.onerror = (e) => { clearTimeout(timer); reject(new Error('worker error: ' + e.message)); };
      worker.postMessage({ url: t.url({ body: 'id: 1\ndata: a\n\ndata: b\n\n', hold: 'forever' }) });
    });
    t.eq(result.polyfill, t.impl === 'polyfill', 'the polyfill is installed in the worker');
    t.eq(result.seen, ['open(1)', 'message:a#1@' + location.origin, 'message:b#1@' + location.origin], 'what the worker saw');
  });
})();

(() => {
  'use strict';
  const { scenario } = SSETest;

  // The worker option runs the connection in the page's engine worker, one for all such sources:
  // the page loads no Go side of its own (it starts with the first source that needs it), the
  // worker's holds each source while it is open. When the worker's Go side cannot load (here
  // data-wasm names a missing file, which the worker uses too), every such source fails at once
  // with reason "internal", and so do those made later.
  scenario('loading.worker-option', async (t) => {
    if (t.impl !== 'polyfill') return 'a polyfill extension';
    const url = t.url({ body: 'data: hello\n\n', hold: 'forever' });
    const run = (attrs) => SSETest.inFrame(`<script src="/web/eventsource.js" ${attrs}><\/script><script>
      const report = (v) => parent.postMessage({ frameResult: v }, '*');
      const stats = EventSource[Symbol.for('ssewasm.stats')];
      const seen = [];
      const watch = (name, es) => {
        es.onmessage = async (e) => {
          seen.push(name + ':' + e.data);
          if (seen.length < 2) return;
          const worker = await stats('worker'), page = stats();
          // Two connections: their messages come in either order.
          report(seen.sort().join(', ') + '; sources in the worker: ' + worker.sources + ', on the page: ' + (page ? page.sources : 'none'));
        };
        es.onerror = (e) => {
          seen.push(name + ':error(' + es.readyState + '):' + e.reason);
          if (name === 'a') watch('b', new EventSource(${JSON.stringify(url)}, { worker: true }));
          else report(seen.join(', '));
        };
      };
      watch('a', new EventSource(${JSON.stringify(url)}, { worker: true }));
      if (!${JSON.stringify(attrs)}) watch('b', new EventSource(${JSON.stringify(url)}, { worker: true }));
    <\/script>`, 10000);
    t.eq(await run(''), 'a:hello, b:hello; sources in the worker: 2, on the page: none', 'two sources in the worker, and no Go side on the page');
    t.eq(await run('data-wasm="/web/no-such.wasm"'), 'a:error(2):internal, b:error(2):internal', 'the worker\'s Go side cannot load');
  }, { timeout: 25000 });
})();
