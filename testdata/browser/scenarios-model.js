// Scenarios: the processing model (HTML 9.2.3): which responses open the
// connection, which fail it, reconnection with Last-Event-ID after the
// reconnection time, close(), redirects and the request that is sent.
(function () {
  'use strict';
  const { scenario, SELF, show } = SSETest;
  const CONNECTING = 0;
  const OPEN = 1;
  const CLOSED = 2;

  // A body that a wrong implementation would act on: a fast retry and a
  // message. Failed connections must show neither.
  const BAIT = 'retry: 10\ndata: bait\n\n';

  // failsForGood checks that spec fails the connection: one error event with
  // readyState CLOSED, no open, no message, and no second request.
  async function failsForGood(t, spec, label, init) {
    const key = t.key();
    const url = t.url(Object.assign({ key }, spec));
    const es = init ? t.es(url, init) : t.es(url);
    const rec = t.record(es);
    await rec.untilCount('error', 1, 5000).catch((e) => SSETest.fail(label + ': ' + e.message));
    t.eq(rec.of('error')[0].rs, CLOSED, label + ': readyState in the error event');
    t.eq(es.readyState, CLOSED, label + ': readyState after the error event');
    await t.sleep(700);
    t.eq(rec.summary(), '[error(2)]', label + ': events');
    const gets = await t.gets(key);
    t.eq(gets.length, 1, label + ': number of requests (no reconnection)');
    return gets[0];
  }

  // opens checks that spec opens the connection and delivers one message.
  async function opens(t, spec, label) {
    const es = t.es(t.url(Object.assign({ body: 'data: ok\n\n' }, spec)));
    const rec = t.record(es);
    await rec.untilCount('message', 1, 5000).catch((e) => SSETest.fail(label + ': ' + e.message));
    t.eq(rec.events.slice(0, 2).map((e) => e.type + '(' + e.rs + ')'), ['open(1)', 'message(1)'], label + ': events');
    t.eq(rec.of('message')[0].data, 'ok', label + ': data');
    return rec;
  }

  scenario('model.ready-state-transitions', async (t) => {
    const es = t.es(t.url({ body: 'data: a\n\n', hold: 2000 }));
    t.eq(es.readyState, CONNECTING, 'after construction');
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    t.eq(rec.events.map((e) => e.type + '(' + e.rs + ')'), ['open(1)', 'message(1)'], 'events(readyState)');
    es.close();
    t.eq(es.readyState, CLOSED, 'after close()');
  });

  scenario('model.content-type-with-parameters-opens', async (t) => {
    await Promise.all([
      opens(t, { ctype: 'text/event-stream;charset=utf-8' }, 'text/event-stream;charset=utf-8'),
      opens(t, { ctype: 'text/event-stream; charset=UTF-8; foo=bar' }, 'with two parameters'),
      opens(t, { ctype: 'text/event-stream ; charset=utf-8' }, 'space before the semicolon'),
    ]);
  });

  scenario('model.content-type-case-insensitive', async (t) => {
    await opens(t, { ctype: 'Text/Event-Stream' }, 'Text/Event-Stream');
  });

  scenario('model.wrong-content-type-fails', async (t) => {
    const types = ['text/plain', 'text/html', 'application/json', 'text/event-streams', 'text/eventstream', 'event-stream'];
    for (let i = 0; i < types.length; i += 3) {
      await Promise.all(types.slice(i, i + 3).map((ctype) => failsForGood(t, { ctype, body: BAIT }, 'Content-Type ' + ctype)));
    }
  }, { timeout: 12000 });

  scenario('model.missing-content-type-fails', async (t) => {
    await failsForGood(t, { ctype: '', body: BAIT }, 'no Content-Type');
  });

  scenario('model.bad-status-fails', async (t) => {
    const statuses = [204, 201, 202, 205, 206, 299, 400, 401, 403, 404, 410, 500, 502, 503];
    for (let i = 0; i < statuses.length; i += 4) {
      await Promise.all(statuses.slice(i, i + 4).map((status) => failsForGood(t, { status, body: BAIT }, 'status ' + status)));
    }
  }, { timeout: 15000 });

  scenario('model.redirects-followed', async (t) => {
    for (const rcode of [301, 302, 303, 307, 308]) {
      const url = t.url({ redirect: 1, rcode, body: 'data: ok\n\n' });
      const es = t.es(url);
      const rec = t.record(es);
      await rec.untilCount('message', 1).catch((e) => SSETest.fail(rcode + ': ' + e.message));
      t.eq(es.url, url, rcode + ': url stays the URL given to the constructor');
      t.eq(rec.of('message')[0].origin, SELF, rcode + ': origin');
      es.close();
    }
  });

  scenario('model.redirect-chain', async (t) => {
    const key = t.key();
    const url = t.url({ key, redirect: 3, rcode: 307, body: 'data: ok\n\n' });
    const es = t.es(url);
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    const log = await t.log(key);
    t.eq(log.map((r) => r.hop), [false, true, true, true], 'requests (hop)');
    t.eq(es.url, url, 'url');
  });

  scenario('model.redirect-to-non-event-stream-fails', async (t) => {
    await failsForGood(t, { redirect: 1, rcode: 301, ctype: 'text/html', body: BAIT }, '301 to text/html');
  });

  scenario('model.empty-body-opens-then-reconnects', async (t) => {
    const es = t.es(t.url({ body: '' }));
    const rec = t.record(es);
    await rec.untilCount('error', 1);
    t.eq(rec.summary(), '[open(1), error(0)]', 'events');
  });

  scenario('model.end-of-body-reconnects', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 50\nid: 1\ndata: a\n\n' }, { body: 'data: b\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    t.eq(
      rec.events.map((e) => e.type + '(' + e.rs + ')' + (e.msg ? ':' + e.data + '#' + e.lastEventId : '')),
      ['open(1)', 'message(1):a#1', 'error(0)', 'open(1)', 'message(1):b#1'],
      'events',
    );
    const gets = await t.gets(key);
    t.eq(gets.map((r) => r.headers['Last-Event-Id']), [undefined, '1'], 'Last-Event-ID of each request');
  });

  scenario('model.reconnect-then-204-stops', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 50\ndata: a\n\n' }, { status: 204, body: BAIT }] }));
    const rec = t.record(es);
    await rec.untilCount('error', 2);
    await t.sleep(700);
    t.eq(rec.summary(), '[open(1), message(1):"a", error(0), error(2)]', 'events');
    t.eq((await t.gets(key)).length, 2, 'requests');
  });

  scenario('model.reconnect-then-wrong-type-stops', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 50\ndata: a\n\n' }, { ctype: 'text/plain', body: BAIT }] }));
    const rec = t.record(es);
    await rec.untilCount('error', 2);
    await t.sleep(700);
    t.eq(rec.summary(), '[open(1), message(1):"a", error(0), error(2)]', 'events');
    t.eq((await t.gets(key)).length, 2, 'requests');
  });

  scenario('model.network-error-mid-stream-reconnects', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 50\nid: 9\ndata: a\n\n', abort: 'body' }, { body: 'data: b\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    t.eq(rec.summary(), '[open(1), message(1):"a"#"9", error(0), open(1), message(1):"b"#"9"]', 'events');
    const gets = await t.gets(key);
    t.eq(gets.length >= 2 && gets[gets.length - 1].headers['Last-Event-Id'], '9', 'Last-Event-ID after the broken connection');
  });

  // The same with a pause between the last event and the break: a fetch()-based client gets
  // the data here in every browser (see model.network-error-mid-stream-reconnects).
  scenario('model.network-error-after-a-pause-reconnects', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 50\nid: 9\ndata: a\n\n', hold: 100, abort: 'body' }, { body: 'data: b\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    t.eq(rec.summary(), '[open(1), message(1):"a"#"9", error(0), open(1), message(1):"b"#"9"]', 'events');
    const gets = await t.gets(key);
    t.eq(gets.length >= 2 && gets[gets.length - 1].headers['Last-Event-Id'], '9', 'Last-Event-ID after the broken connection');
  });

  scenario('model.network-error-before-response-reconnects', async (t) => {
    const key = t.key();
    const es = t.es(
      t.url({
        key,
        seq: [{ body: 'retry: 50\ndata: a\n\n', hdr: 'Connection: close' }, { abort: 'head' }, { abort: 'head' }, { body: 'data: b\n\n', hold: 'forever' }],
      }),
    );
    const rec = t.record(es);
    await rec.untilCount('message', 2, 7000);
    const types = rec.events.map((e) => e.type + '(' + e.rs + ')');
    t.eq(types.slice(0, 3), ['open(1)', 'message(1)', 'error(0)'], 'events up to the first reconnection ' + rec.summary());
    t.eq(types.slice(-2), ['open(1)', 'message(1)'], 'events at the end ' + rec.summary());
    t.ok(
      types.slice(2, -2).every((s) => s === 'error(0)'),
      'only error events with readyState CONNECTING while reconnecting after network errors: ' + rec.summary(),
    );
    t.note('errors while reconnecting: ' + (types.length - 4) + ', requests: ' + (await t.gets(key)).length);
  }, { timeout: 12000 });

  scenario('model.close-in-first-onmessage-of-a-chunk', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, body: 'retry: 50\ndata: 1\n\ndata: 2\n\ndata: 3\n\n' }));
    const rec = t.record(es);
    es.onmessage = () => es.close();
    await rec.untilCount('message', 1);
    await t.sleep(500);
    t.eq(rec.summary(), '[open(1), message(1):"1"]', 'events after close() in the first onmessage');
    t.eq(es.readyState, CLOSED, 'readyState');
    t.eq((await t.gets(key)).length, 1, 'requests');
  });

  scenario('model.close-in-onopen', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, body: 'retry: 50\ndata: 1\n\n' }));
    const rec = t.record(es);
    es.onopen = () => es.close();
    await rec.untilCount('open', 1);
    await t.sleep(500);
    t.eq(rec.summary(), '[open(1)]', 'events after close() in onopen');
    t.eq((await t.gets(key)).length, 1, 'requests');
  });

  scenario('model.close-between-chunks', async (t) => {
    const body = 'data: a\n\ndata: b\n\n';
    const es = t.es(t.url({ body, split: [9], gap: 300 }));
    const rec = t.record(es);
    es.onmessage = () => es.close();
    await rec.untilCount('message', 1);
    await t.sleep(600);
    t.eq(rec.summary(), '[open(1), message(1):"a"]', 'events');
  });

  scenario('model.close-during-reconnection-delay', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, body: 'retry: 600\ndata: a\n\n' }));
    const rec = t.record(es);
    es.onerror = () => es.close();
    await rec.untilCount('error', 1);
    t.eq(es.readyState, CLOSED, 'readyState after close() in onerror');
    await t.sleep(1300);
    t.eq(rec.summary(), '[open(1), message(1):"a", error(0)]', 'events');
    t.eq((await t.gets(key)).length, 1, 'requests (no reconnection)');
  });

  // A closed EventSource leaves nothing behind on the polyfill's Go side: no connection, no
  // goroutine, no function exported to JavaScript, no JavaScript value (a response, a stream, a
  // string) kept from JavaScript's garbage collector. Sources are closed while open, while
  // waiting to reconnect, before the response, and after failing. (The collection that lets go
  // of the JavaScript values waits while another source's body is read, up to 10 s:
  // internal/fetch/collect_js.go.)
  scenario('model.close-leaves-nothing-behind', async (t) => {
    if (t.impl !== 'polyfill') return "not observable in the browser's own EventSource";
    const stats = () => t.stats();
    const key = t.key();
    // Warm up once, so that goroutines the runtime starts lazily are counted in the baseline.
    const warm = t.es(t.url({ key, body: 'data: x\n\n', hold: 'forever' }));
    await t.record(warm).untilCount('message', 1);
    warm.close();
    await t.sleep(200);
    const before = await stats();
    // Browsers allow 6 connections per origin: 3 held open here, and one pending on the other.
    const open = [], recs = [];
    for (let i = 0; i < 3; i++) {
      const es = t.es(t.url({ key, body: 'data: x\n\n', hold: 'forever' }));
      open.push(es);
      recs.push(t.record(es));
    }
    const reconnecting = t.es(t.url({ key, body: 'retry: 60000\ndata: x\n\n' }));
    const failed = t.es(t.url({ key, status: 404 }));
    const pending = t.es(t.url({ key, cors: 1, delay: 5000, body: 'data: x\n\n' }, { origin: t.other }));
    const recR = t.record(reconnecting), recF = t.record(failed);
    await Promise.all(recs.map((r) => r.untilCount('message', 1)));
    await recR.untilCount('error', 1);
    await recF.untilCount('error', 1);
    t.eq((await stats()).sources - before.sources, 5, 'connections while open, reconnecting or pending');
    for (const es of [...open, reconnecting, pending]) es.close();
    let after;
    const left = (s) => [s.sources, s.funcs, s.goroutines, Math.max(s.values, before.values)];
    for (let i = 0; i < 120; i++) {
      await t.sleep(100);
      after = await stats();
      if (JSON.stringify(left(after)) === JSON.stringify(left(before))) break;
    }
    t.context(`JavaScript values held: ${before.values} before, ${after.values} after`);
    t.eq(left(after), left(before), '[connections, Go functions, goroutines, JavaScript values held (at most as many)] after close(), against before');
  }, { timeout: 20000 });

  // An open EventSource's Go side keeps no JavaScript value per event or per chunk: the events
  // of each chunk, and the data of big events, go to the page without a JavaScript string that
  // Go would hold until its garbage collector runs.
  scenario('model.events-leave-nothing-behind', async (t) => {
    if (t.impl !== 'polyfill') return "not observable in the browser's own EventSource";
    const stats = () => t.stats();
    // Each event's data differs: wasm_exec.js holds one string once, however often Go uses it.
    const pair = (i) => `data: x${i}\n\ndata: ${i}${'y'.repeat(70000)}\n\n`;
    const first = pair(0);
    let rest = '';
    for (let i = 1; i <= 10; i++) rest += pair(i);
    const es = t.es(t.url({ key: t.key(), body: first + rest, split: String(first.length), gap: 300, hold: 'forever' }));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    const before = await stats();
    await rec.untilCount('message', 22);
    const after = await stats();
    const want = [];
    for (let i = 0; i <= 10; i++) want.push(`x${i}`, `${i}y`);
    t.eq(rec.of('message').map((e) => e.data.replace(/y{70000}$/, 'y')), want, 'data (70000 y as one)');
    // At most as many: a collection after an earlier scenario's fetches may release some meanwhile.
    t.context(`JavaScript values held: ${before.values} after 2 events, ${after.values} after 22`);
    t.eq(Math.max(0, after.values - before.values), 0, 'JavaScript values the Go side holds, after 20 more events in chunks, more than after the first 2');
  });

  // HTML §9.2.9: an EventSource that is CONNECTING or OPEN with listeners must not be collected
  // while it can still fire events. Nothing here references it but its own listener; garbage is
  // collected (window.gc() where the browser exposes it, allocation pressure elsewhere) between
  // its first message and the second, which comes a second later.
  scenario('model.unreferenced-source-is-not-collected', async (t) => {
    const key = t.key();
    const got = [];
    const body = 'data: first\n\ndata: second\n\n';
    (() => {
      const es = new EventSource(t.url({ key, body, split: String(body.indexOf('data: second')), gap: 1000, hold: 'forever' }));
      es.onmessage = (e) => {
        got.push(e.data);
        if (got.length === 2) e.target.close();
      };
    })();
    const deadline = performance.now() + 6000;
    while (got.length < 1 && performance.now() < deadline) await t.sleep(20);
    for (let i = 0; i < 5; i++) {
      if (typeof window.gc === 'function') window.gc();
      else new Array(2e6).fill(0).map((x, j) => ({ j }));
      await t.sleep(50);
    }
    while (got.length < 2 && performance.now() < deadline) await t.sleep(20);
    t.eq(got.join(','), 'first,second', 'messages of the unreferenced EventSource');
    if (typeof window.gc !== 'function') t.note('no window.gc(): allocation pressure only');
  });

  async function until(t, cond, ms, what) {
    const deadline = performance.now() + (ms || 5000);
    while (!cond()) {
      if (performance.now() > deadline) SSETest.fail('timed out waiting for ' + what);
      await t.sleep(10);
    }
  }

  // With no options the polyfill is the standard EventSource: what the server sees (the
  // requests' method, URL and headers, on the first connection and on a reconnection) and what
  // the page sees (every event with its readyState, type, data, lastEventId and origin) are put
  // in the note, which polyfill_test.go requires to be the same for the browser's own
  // EventSource and the polyfill (strictNotes).
  scenario('defaults.traffic-and-events-match-native', async (t) => {
    const key = t.key();
    const seq = [
      // (No event with an id but no data: Firefox's own EventSource deviates there, see
      // parse.id-without-data.)
      { body: '\uFEFF: hi\nretry: 30\nid: 1\nevent: add\ndata: a\ndata: é\n\nid\ndata: b\n\nid: 2\ndata: d\n\ndata: lost' },
      { body: 'data: c\n\n', hold: 'forever' },
    ];
    const es = t.es(t.url({ key, seq }));
    const seen = [];
    for (const type of ['open', 'message', 'add', 'error']) {
      es.addEventListener(type, (e) => seen.push([es.readyState, e.type, e.constructor.name, e.data, e.lastEventId, e.origin, e.bubbles, e.cancelable].join('|')));
    }
    await until(t, () => seen.length === 7, 5000, '7 events');
    es.close();
    const reqs = (await t.log(key)).filter((r) => r.method !== 'OPTIONS').map((r) => {
      const h = r.headers;
      return [r.method, r.path, r.query.replace(/key=[^&]*/, 'key=K'), h['Accept'], h['Last-Event-Id'], h['Cache-Control'], h['Pragma'], h['Origin'], h['Cookie'], h['Content-Type'], r.body].join('|');
    });
    t.note('events: ' + JSON.stringify(seen));
    t.note('requests: ' + JSON.stringify(reqs));
  });

  scenario('model.close-before-response', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, delay: 300, body: 'retry: 10\ndata: a\n\n' }));
    const rec = t.record(es);
    es.close();
    await t.sleep(800);
    t.eq(rec.summary(), '[]', 'events');
    t.ok((await t.gets(key)).length <= 1, 'at most one request');
  });

  scenario('model.retry-honoured', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 800\ndata: a\n\n' }, { body: 'data: b\n\n' }, { body: 'data: c\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 3, 7000);
    const gets = await t.gets(key);
    const gaps = [gets[1].ms - gets[0].ms, gets[2].ms - gets[1].ms].map(Math.round);
    t.note('gaps between requests: ' + gaps.join(', ') + ' ms');
    t.ok(gaps.every((g) => g >= 780 && g < 2500), 'reconnection delays ' + gaps.join(', ') + ' ms, want about 800 (800..2500) each');
  }, { timeout: 10000 });

  scenario('model.retry-applies-without-dispatch', async (t) => {
    // retry takes effect when its line is parsed, even in an event that is
    // never dispatched (here: cut off by the end of the response).
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'data: a\n\nretry: 700\n' }, { body: 'data: b\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2, 7000);
    const gets = await t.gets(key);
    const gap = Math.round(gets[1].ms - gets[0].ms);
    t.note('gap between requests: ' + gap + ' ms');
    t.ok(gap >= 680 && gap < 2500, 'reconnection delay ' + gap + ' ms, want about 700 (680..2500)');
  }, { timeout: 10000 });

  scenario('model.retry-bogus-values-ignored', async (t) => {
    const key = t.key();
    const body = 'retry: 1500\nretry: 100x\nretry: -1\nretry: 1.5\nretry:  50\nretry: 1e2\nretry: +20\nretry: 0x10\ndata: a\n\n';
    const es = t.es(t.url({ key, seq: [{ body }, { body: 'data: b\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2, 8000);
    const gets = await t.gets(key);
    const gap = Math.round(gets[1].ms - gets[0].ms);
    t.note('gap between requests: ' + gap + ' ms');
    t.ok(gap >= 1450 && gap < 2900, 'reconnection delay ' + gap + ' ms, want about 1500 (1450..2900)');
  }, { timeout: 10000 });

  scenario('model.last-event-id-header', async (t) => {
    const key = t.key();
    const seq = [{ body: 'retry: 50\nid: 1\ndata: a\n\n' }, { body: 'id\ndata: b\n\n' }, { body: 'id: x y\ndata: c\n\n' }, { body: 'data: d\n\n', hold: 'forever' }];
    const es = t.es(t.url({ key, seq }));
    const rec = t.record(es);
    await rec.untilCount('message', 4, 7000);
    const gets = await t.gets(key);
    t.eq(gets.map((r) => r.headers['Last-Event-Id']), [undefined, '1', undefined, 'x y'], 'Last-Event-ID of each request (absent when empty)');
    t.eq(rec.of('message').map((e) => e.data + '#' + e.lastEventId), ['a#1', 'b#', 'c#x y', 'd#x y'], 'data#lastEventId');
  }, { timeout: 10000 });

  scenario('model.last-event-id-header-utf8', async (t) => {
    const key = t.key();
    const id = 'é€😀 x';
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 50\nid: ' + id + '\ndata: a\n\n' }, { body: 'data: b\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    const gets = await t.gets(key);
    // The header carries the ID encoded as UTF-8 (the server log decodes it).
    t.eq(gets.map((r) => r.headers['Last-Event-Id']), [undefined, id], 'Last-Event-ID of each request');
  });

  scenario('model.last-event-id-set-without-data', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 50\nid: 5\n\n' }, { body: 'data: b\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    const gets = await t.gets(key);
    t.eq(gets.map((r) => r.headers['Last-Event-Id']), [undefined, '5'], 'Last-Event-ID of each request');
    t.eq(rec.of('message')[0].lastEventId, '5', 'lastEventId of the message');
  });

  scenario('model.last-event-id-of-incomplete-event-not-used', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, seq: [{ body: 'retry: 50\nid: 1\ndata: a\n\nid: 2\ndata: b\n' }, { body: 'data: c\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    const gets = await t.gets(key);
    t.eq(gets.map((r) => r.headers['Last-Event-Id']), [undefined, '1'], 'Last-Event-ID of each request');
    t.eq(rec.of('message').map((e) => e.data + '#' + e.lastEventId), ['a#1', 'c#1'], 'data#lastEventId');
  });

  scenario('model.incomplete-event-not-carried-over', async (t) => {
    const es = t.es(t.url({ seq: [{ body: 'retry: 50\ndata: a\n\nevent: x\ndata: b\n' }, { body: 'data: c\n\n', hold: 'forever' }], key: t.key() }));
    const rec = t.record(es, ['open', 'message', 'error', 'x']);
    await rec.untilCount('message', 2);
    t.eq(rec.summary(), '[open(1), message(1):"a", error(0), open(1), message(1):"c"]', 'events');
  });

  scenario('model.bom-stripped-on-each-connection', async (t) => {
    const es = t.es(t.url({ key: t.key(), seq: [{ body: '\ufeffretry: 50\ndata: a\n\n' }, { body: '\ufeffdata: b\n\n', hold: 'forever' }] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    t.eq(rec.of('message').map((e) => e.data), ['a', 'b'], 'data');
  });

  scenario('model.request-accept', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, body: 'data: a\n\n' }));
    await t.record(es).untilCount('message', 1);
    const [req] = await t.gets(key, 1);
    t.eq(req.headers['Accept'], 'text/event-stream', 'Accept');
    t.eq(req.method, 'GET', 'method');
  });

  scenario('model.request-cache-control', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, body: 'data: a\n\n' }));
    await t.record(es).untilCount('message', 1);
    const [req] = await t.gets(key, 1);
    t.note('Cache-Control: ' + show(req.headers['Cache-Control']) + ', Pragma: ' + show(req.headers['Pragma']));
    // The request's cache mode is "no-store"; Fetch then adds these.
    t.eq(req.headers['Cache-Control'], 'no-cache', 'Cache-Control');
  });

  scenario('model.request-no-last-event-id-initially', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, body: 'data: a\n\n' }));
    await t.record(es).untilCount('message', 1);
    const [req] = await t.gets(key, 1);
    t.eq(req.headers['Last-Event-Id'], undefined, 'Last-Event-ID');
  });

  scenario('model.request-same-origin-no-origin-header', async (t) => {
    const key = t.key();
    const es = t.es(t.url({ key, body: 'data: a\n\n' }));
    await t.record(es).untilCount('message', 1);
    const [req] = await t.gets(key, 1);
    t.eq(req.headers['Origin'], undefined, 'Origin of a same-origin GET');
  });

  scenario('model.request-same-origin-sends-cookies', async (t) => {
    const key = t.key();
    const name = 'so' + key.replace(/[^a-z0-9]/gi, '');
    await t.setCookie(name, 'v1');
    const es = t.es(t.url({ key, body: 'data: a\n\n' }));
    await t.record(es).untilCount('message', 1);
    const [req] = await t.gets(key, 1);
    t.ok((req.headers['Cookie'] || '').includes(name + '=v1'), 'Cookie ' + show(req.headers['Cookie']) + ' includes ' + name + '=v1');
  });

  scenario('model.data-url', async (t) => {
    const es = t.es('data:text/event-stream,data:%20hi%0A%0A');
    const rec = t.record(es);
    await rec.until((evs) => evs.some((e) => e.type === 'message' || e.type === 'error'), 4000, 'a message or an error');
    t.eq(rec.events.slice(0, 2).map((e) => e.type + '(' + e.rs + ')'), ['open(1)', 'message(1)'], 'events ' + rec.summary());
    t.eq(rec.of('message')[0].data, 'hi', 'data');
    t.eq(rec.of('message')[0].origin, 'null', 'origin of a data: URL');
  });
})();
