// Scenarios: servers that go away or go quiet. A server restarting (its
// connections broken, new ones refused for a while), a server that accepts and
// never answers, headers then silence: the connection waits or is
// re-established, never failed for good, as the browsers' own EventSource does.
(function () {
  'use strict';
  const { scenario, RESTART } = SSETest;
  const CONNECTING = 0;

  // The restartable origin's server goes down for 1.5 s while one source is open on it and
  // another is made: both are re-established once it is back (the open one with its last
  // event ID), with nothing but error events (readyState CONNECTING) in between.
  scenario('faults.server-restarts', async (t) => {
    if (!RESTART) SSETest.fail('no restartable origin given (restart=)');
    const open = t.key(), later = t.key();
    const a = t.record(t.es(t.url({ key: open, cors: 1, seq: [{ body: 'retry: 100\nid: 1\ndata: a\n\n' }, { body: 'data: b\n\n' }], hold: 'forever' }, { origin: RESTART })));
    await a.untilCount('message', 1);
    await t.restart(1500);
    const b = t.record(t.es(t.url({ key: later, cors: 1, body: 'data: x\n\n', hold: 'forever' }, { origin: RESTART })));
    await Promise.all([a.untilCount('message', 2, 12000), b.untilCount('message', 1, 12000)]);
    const states = (rec) => rec.events.map((e) => e.type + '(' + e.rs + ')');
    t.eq(states(a).slice(0, 3), ['open(1)', 'message(1)', 'error(0)'], 'the open source\'s first events ' + a.summary());
    t.eq(states(a).slice(-2), ['open(1)', 'message(1)'], 'the open source\'s last events ' + a.summary());
    t.ok(states(a).slice(2, -2).every((s) => s === 'error(0)'), 'the open source: only error(0) in between ' + a.summary());
    t.eq(a.of('message').map((m) => m.data + '#' + m.lastEventId), ['a#1', 'b#1'], 'the open source\'s messages');
    t.eq((await t.gets(open)).map((r) => r.headers['Last-Event-Id']), [undefined, '1'], 'the open source\'s requests (Last-Event-ID)');
    t.eq((await t.probes(open)).length, 0, 'probes of the open source');
    t.eq(states(b).slice(-2), ['open(1)', 'message(1)'], 'the later source\'s last events ' + b.summary());
    t.ok(states(b).slice(0, -2).every((s) => s === 'error(0)'), 'the later source: only error(0) before ' + b.summary());
    t.note(`errors while down: open source ${a.of('error').length}, later source ${b.of('error').length}; probes of the later source: ${(await t.probes(later)).length}`);
  }, { timeout: 20000 });

  // A server that accepts the request and never answers, and one that sends the headers and
  // then nothing: the first source stays CONNECTING with no event, the second opens (in
  // Chromium; Firefox, its own EventSource and fetch() alike, waits for a first byte of the
  // body) and stays so, and neither makes another request. With the polyfill's idleTimeout
  // both are re-established instead.
  scenario('faults.server-goes-quiet', async (t) => {
    const silent = t.key(), quiet = t.key();
    const noAnswer = t.es(t.url({ key: silent, delay: 60000 }));
    const headersOnly = t.es(t.url({ key: quiet, body: '', hold: 'forever' }));
    const rec1 = t.record(noAnswer), rec2 = t.record(headersOnly);
    await t.sleep(2000);
    t.eq([noAnswer.readyState, rec1.summary()], [CONNECTING, '[]'], 'a server that never answers: readyState and events');
    t.ok(['[]', '[open(1)]'].includes(rec2.summary()), 'headers then nothing: events ' + rec2.summary());
    t.note('headers then nothing: events ' + rec2.summary());
    t.eq([(await t.gets(silent)).length, (await t.gets(quiet)).length], [1, 1], 'requests');
    if (t.impl !== 'polyfill') return;
    const reconnects = async (spec, label) => {
      const key = t.key();
      const es = t.es(t.url({ key, seq: [spec, { body: 'data: y\n\n', hold: 'forever' }] }), { idleTimeout: 300, retry: { initialDelay: 10 } });
      const errors = [];
      es.addEventListener('error', (e) => errors.push(e.reason + ' willRetry=' + e.willRetry + ' rs=' + es.readyState));
      await t.record(es).untilCount('message', 1, 4000).catch((e) => SSETest.fail(label + ': ' + e.message));
      t.eq(errors, ['idle-timeout willRetry=true rs=0'], label + ' with idleTimeout: error events');
      t.eq((await t.gets(key)).length, 2, label + ' with idleTimeout: requests');
    };
    await Promise.all([reconnects({ delay: 60000 }, 'a server that never answers'), reconnects({ body: '', hold: 'forever' }, 'headers then nothing')]);
  }, { timeout: 12000 });
})();
