// Scenarios of the polyfill's extensions (README, "Options" and "Error details"): the init
// dictionary's options and the details on error events. The browser's own EventSource has none,
// so for impl=native they only check that it ignores the options.
(() => {
  'use strict';
  const { scenario } = SSETest;
  const CONNECTING = 0, CLOSED = 2;

  // details returns the polyfill's details of an error event, as a string.
  const details = (e) => `${e.reason} ${e.status} ${JSON.stringify(e.statusText)} willRetry=${e.willRetry} retryIn=${e.retryIn}`;

  // errorsOf records the details of es's error events.
  function errorsOf(es) {
    const list = [];
    es.addEventListener('error', (e) => list.push({ d: details(e), rs: es.readyState, e }));
    return list;
  }

  async function until(t, cond, ms, what) {
    const deadline = performance.now() + (ms || 5000);
    while (!cond()) {
      if (performance.now() > deadline) SSETest.fail('timed out waiting for ' + what);
      await t.sleep(10);
    }
  }

  const polyfillOnly = (t) => t.impl !== 'polyfill';

  scenario('options.native-ignores-them', async (t) => {
    if (t.impl !== 'native') return 'for the native EventSource only';
    const es = t.es(t.url({ body: 'data: x\n\n', hold: 'forever' }), { headers: 5, retry: 'no', lastEventIdParam: '' });
    await t.record(es).untilCount('message', 1);
  });

  scenario('options.headers-object-on-every-request', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 10\nid: 1\ndata: a\n\n' }, { body: 'data: b\n\n', hold: 'forever' }] }), { headers: { 'X-Token': 'secret' } });
    await t.record(es).untilCount('message', 2);
    const gets = await t.gets(key, 2);
    t.eq(gets.map((r) => r.headers['X-Token']), ['secret', 'secret'], 'X-Token of the requests');
    t.eq(gets.map((r) => r.headers['Last-Event-Id']), [undefined, '1'], 'Last-Event-ID of the requests');
  });

  scenario('options.headers-function-renewed', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    let n = 0;
    const headers = async () => new Headers({ 'X-Token': 'token-' + ++n });
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 10\nid: 1\ndata: a\n\n' }, { body: 'data: b\n\n', hold: 'forever' }] }), { headers });
    await t.record(es).untilCount('message', 2);
    const gets = await t.gets(key, 2);
    t.eq(gets.map((r) => r.headers['X-Token']), ['token-1', 'token-2'], 'X-Token of the requests');
  });

  scenario('options.headers-function-failure-is-retried', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    let n = 0;
    const headers = () => {
      if (++n === 1) throw new Error('token service down');
      return { 'X-Token': 'token-' + n };
    };
    const es = t.es(t.url({ key, body: 'data: a\n\n', hold: 'forever' }), { headers, retry: { initialDelay: 20 } });
    const errors = errorsOf(es);
    await t.record(es).untilCount('message', 1);
    t.eq(errors.map((x) => x.d + ' rs=' + x.rs), ['headers 0 "" willRetry=true retryIn=20 rs=0'], 'error events');
    t.eq((await t.gets(key, 1)).map((r) => r.headers['X-Token']), ['token-2'], 'X-Token of the requests');
  });

  scenario('options.method-and-body-on-every-request', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 10\ndata: a\n\n' }, { body: 'data: b\n\n', hold: 'forever' }] }),
      { method: 'POST', body: '{"q":"é"}', headers: { 'Content-Type': 'application/json' } });
    await t.record(es).untilCount('message', 2);
    const gets = (await t.log(key, 2)).filter((r) => r.method === 'POST');
    t.eq(gets.map((r) => [r.body, r.headers['Content-Type']]), [['{"q":"é"}', 'application/json'], ['{"q":"é"}', 'application/json']], '[body, Content-Type] of the requests');
  });

  scenario('options.initial-last-event-id', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const es = t.es(t.url({ key, body: 'data: a\n\n', hold: 'forever' }), { lastEventId: 'start-7' });
    const m = await t.record(es).untilCount('message', 1);
    const [req] = await t.gets(key, 1);
    t.eq(req.headers['Last-Event-Id'], 'start-7', 'Last-Event-ID of the first request');
    t.eq(es.readyState, 1, 'readyState');
  });

  scenario('options.last-event-id-param', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 10\nid: a b\ndata: a\n\n' }, { body: 'data: b\n\n', hold: 'forever' }] }), { lastEventIdParam: 'lid' });
    await t.record(es).untilCount('message', 2);
    const gets = await t.gets(key, 2);
    t.eq(gets.map((r) => new URLSearchParams(r.query).get('lid')), [null, 'a b'], 'lid parameter of the requests');
    t.eq(gets.map((r) => r.headers['Last-Event-Id']), [undefined, undefined], 'Last-Event-ID headers');
  });

  scenario('options.retry-backoff-and-max-attempts', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const es = t.es(t.url({ key, status: 500 }), { retry: { initialDelay: 40, factor: 2, maxAttempts: 2, retryServerErrors: true } });
    const errors = errorsOf(es);
    await until(t, () => errors.length === 3, 5000, '3 error events');
    t.eq(errors.map((x) => x.d + ' rs=' + x.rs), [
      'http-status 500 "Internal Server Error" willRetry=true retryIn=40 rs=0',
      'http-status 500 "Internal Server Error" willRetry=true retryIn=80 rs=0',
      'retries-exhausted 500 "Internal Server Error" willRetry=false retryIn=undefined rs=2',
    ], 'error events');
    const gets = await t.gets(key, 3);
    t.eq(gets.length, 3, 'requests');
    t.ok(gets[2].ms - gets[1].ms >= 75, `backoff between the 2nd and 3rd request: ${gets[2].ms - gets[1].ms} ms`);
  });

  scenario('options.retry-after', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ status: 503, hdr: 'Retry-After: 1' }, { body: 'data: a\n\n', hold: 'forever' }] }),
      { retry: { initialDelay: 10, retryServerErrors: true } });
    const errors = errorsOf(es);
    await t.record(es).untilCount('message', 1, 5000);
    t.eq(errors.map((x) => x.d), ['http-status 503 "Service Unavailable" willRetry=true retryIn=1000'], 'error events');
    const gets = await t.gets(key, 2);
    t.ok(gets[1].ms - gets[0].ms >= 950, `reconnection after Retry-After: ${gets[1].ms - gets[0].ms} ms`);
  });

  // With the retry option, the page's "online" event after an "offline" one ends a
  // reconnection delay at once; a source without the option (the standard's reconnection
  // time alone) waits it in full, as the browsers' own do. The events are dispatched on the
  // page, as the browser would fire them.
  scenario('options.retry-online-reconnects-at-once', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const withRetry = t.key(), standard = t.key();
    const seq = [{ body: 'retry: 30000\ndata: a\n\n' }, { body: 'data: b\n\n', hold: 'forever' }];
    const a = t.record(t.es(t.url({ key: withRetry, seq }), { retry: { factor: 2 } }));
    const b = t.record(t.es(t.url({ key: standard, seq })));
    await Promise.all([a.untilCount('error', 1), b.untilCount('error', 1)]);
    window.dispatchEvent(new Event('online')); // no offline before: nothing happens
    await t.sleep(300);
    t.eq((await t.gets(withRetry)).length, 1, 'requests of the source with the retry option after an online event alone');
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    await a.untilCount('message', 2, 3000);
    t.eq(a.summary(), '[open(1), message(1):"a", error(0), open(1), message(1):"b"]', 'the source with the retry option');
    await t.sleep(300);
    t.eq((await t.gets(standard)).length, 1, 'requests of the source without it (it waits its 30 s)');
  });

  scenario('options.idle-timeout', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 10\ndata: a\n\n', hold: 'forever' }, { body: 'data: b\n\n', hold: 'forever' }] }), { idleTimeout: 300 });
    const errors = errorsOf(es);
    await t.record(es).untilCount('message', 2, 5000);
    t.eq(errors.map((x) => x.d + ' rs=' + x.rs), ['idle-timeout 200 "OK" willRetry=true retryIn=10 rs=0'], 'error events');
  });

  // Every chunk that arrives restarts the idle timeout, those that end no line too: a line
  // trickled in 24 chunks, 80 ms apart, takes about four idle timeouts to arrive.
  scenario('options.idle-timeout-counts-every-chunk', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const body = 'data: ' + 'x'.repeat(18) + '\n\n';
    const split = [];
    for (let at = 1; at < 24; at++) split.push(at); // 23 one-byte chunks, then "x\n\n"
    const es = t.es(t.url({ key, body, split, gap: 80, hold: 'forever' }), { idleTimeout: 500 });
    const errors = errorsOf(es);
    const rec = t.record(es);
    await rec.untilCount('message', 1, 8000);
    t.eq(errors.map((x) => x.d), [], 'error events');
    t.eq(rec.of('message')[0].data, 'x'.repeat(18), 'data');
    t.eq((await t.gets(key)).length, 1, 'requests');
  }, { timeout: 15000 });

  scenario('options.signal-closes', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const key = t.key();
    const ac = new AbortController();
    const es = t.es(t.url({ key, body: 'retry: 10\ndata: a\n\n' }), { signal: ac.signal });
    const errors = errorsOf(es);
    await t.record(es).untilCount('message', 1);
    ac.abort();
    t.eq(es.readyState, CLOSED, 'readyState right after abort()');
    await t.sleep(200);
    t.eq(errors.map((x) => x.d + ' rs=' + x.rs).pop(), 'aborted 0 "" willRetry=false retryIn=undefined rs=2', 'the last error event');
    t.eq((await t.gets(key)).length, 1, 'requests (no reconnection)');
    const pre = new AbortController();
    pre.abort();
    const es2 = t.es(t.url({ key: key + 'b', body: 'data: a\n\n' }), { signal: pre.signal });
    t.eq(es2.readyState, CLOSED, 'readyState with an aborted signal');
    await t.sleep(100);
    t.eq((await t.gets(key + 'b')).length, 0, 'requests with an aborted signal');
  });

  scenario('options.invalid-values-throw', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const url = t.url({ status: 204 });
    const cases = [
      ['headers', { headers: 5 }], ['headers', { headers: { 'bad name': 'x' } }],
      ['method', { method: 'a b' }], ['method', { method: 'TRACE' }], ['body', { body: 'x' }], ['body', { method: 'POST', body: {} }],
      ['lastEventId', { lastEventId: 'a\nb' }], ['lastEventId', { lastEventId: 5 }],
      ['retry', { retry: 5 }], ['retry.factor', { retry: { factor: 0.5 } }], ['retry.jitter', { retry: { jitter: 2 } }],
      ['retry.maxAttempts', { retry: { maxAttempts: 1.5 } }], ['retry.bogus', { retry: { bogus: 1 } }],
      ['retry.retryServerErrors', { retry: { retryServerErrors: 'yes' } }],
      ['idleTimeout', { idleTimeout: -1 }], ['idleTimeout', { idleTimeout: '5' }],
      ['signal', { signal: {} }], ['lastEventIdParam', { lastEventIdParam: '' }],
    ];
    const got = [];
    for (const [name, init] of cases) {
      try {
        t.es(url, init);
        got.push(name + ': no error');
      } catch (e) {
        got.push(e instanceof TypeError && e.message.includes('option ' + name + ':') ? name : name + ': ' + e);
      }
    }
    t.eq(got, cases.map((c) => c[0]), 'TypeErrors naming the option');
  });

  scenario('errors.details', async (t) => {
    if (polyfillOnly(t)) return 'polyfill extension';
    const cases = [
      [t.url({ status: 404 }), 'http-status 404 "Not Found" willRetry=false retryIn=undefined', CLOSED],
      [t.url({ ctype: 'text/plain' }), 'content-type 200 "OK" willRetry=false retryIn=undefined', CLOSED],
      [t.url({ body: 'retry: 5000\ndata: a\n\n' }), 'end-of-stream 200 "OK" willRetry=true retryIn=5000', CONNECTING],
      [t.url({ body: 'retry: 5000\ndata: a\n\n', abort: 'body', hold: 50 }), 'network 200 "OK" willRetry=true retryIn=5000', CONNECTING],
      [t.url({ abort: 'head' }), 'network 0 "" willRetry=true retryIn=3000', CONNECTING],
      [t.url({ body: 'data: a\n\n' }, { origin: t.other }), 'cors 0 "" willRetry=false retryIn=undefined', CLOSED],
    ];
    for (const [url, want, rs] of cases) {
      const es = t.es(url);
      const errors = errorsOf(es);
      await until(t, () => errors.length > 0, 5000, 'an error event from ' + url);
      es.close();
      const { e } = errors[0];
      t.eq([errors[0].d, errors[0].rs], [want, rs], 'details and readyState for ' + url);
      t.eq([e.type, e.constructor.name, Object.keys(e).filter((k) => k !== 'isTrusted').sort().join()], ['error', 'Event', 'reason,retryIn,status,statusText,willRetry'], 'the event (isTrusted is every event\'s own property)');
    }
  });
})();
