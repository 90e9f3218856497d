// Scenarios: the polyfill's shared option. Sources of any page of the origin with the same URL,
// credentials mode and options share one connection (in the shared engine worker); each stays
// an EventSource of its own. The pages here are frames of the suite's page (same origin, so the
// same shared worker as other tabs would have), each loading the polyfill, as a page using it
// would; the browser's own EventSource has no such option.
(function () {
  'use strict';
  const { scenario } = SSETest;
  const polyfillOnly = 'only the polyfill shares connections';

  // frame opens a page (an iframe) whose one source, new EventSource(url, {shared: true}),
  // reports each event it fires: "open(readyState)", "data#lastEventId" or
  // "error(readyState)". The frame goes when the scenario ends, or with remove(). head, if
  // given, is a script that runs before the polyfill's.
  function frame(t, url, head = '') {
    const el = document.createElement('iframe');
    const f = {
      events: [],
      times: [], // when each event came
      remove: () => el.remove(),
      tell: (what) => el.contentWindow.postMessage(what, '*'),
      // gapMax: the longest time between two ticks from the from-th event on.
      gapMax: (from) => {
        let max = 0, prev = -1;
        f.events.forEach((e, i) => {
          if (i < from || !e.startsWith('tick ')) return;
          if (prev >= 0) max = Math.max(max, f.times[i] - f.times[prev]);
          prev = i;
        });
        return max;
      },
    };
    el.srcdoc = `${head}<script src="/web/eventsource.js"><\/script><script>
      const es = new EventSource(${JSON.stringify(url)}, { shared: true });
      const send = (ev) => parent.postMessage({ sharedFrame: ev }, '*');
      es.onopen = () => send('open(' + es.readyState + ')');
      es.onmessage = (e) => send(e.data + '#' + e.lastEventId);
      es.onerror = (e) => send('error(' + es.readyState + ')' + (es.readyState === 2 ? ':' + e.reason : ''));
      const leader = EventSource[Symbol.for('ssewasm.leader')];
      addEventListener('message', (e) => {
        if (e.data === 'stop') window.stop();
        if (e.data === 'who' && leader.leading()) send('leads');
        if (e.data === 'freeze' && leader.freeze(2000)) send('froze');
      });
    <\/script>`;
    const onMessage = (e) => {
      if (e.source !== el.contentWindow || !e.data || typeof e.data.sharedFrame !== 'string') return;
      f.events.push(e.data.sharedFrame);
      f.times.push(performance.now());
    };
    window.addEventListener('message', onMessage);
    t.cleanup(() => {
      window.removeEventListener('message', onMessage);
      el.remove();
    });
    document.body.appendChild(el);
    return f;
  }

  // until polls pred every 20 ms until it holds, or fails after ms saying what it waited for.
  async function until(pred, ms, what) {
    const deadline = performance.now() + ms;
    while (!pred()) {
      if (performance.now() > deadline) SSETest.fail('timed out after ' + ms + ' ms waiting for ' + what());
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  // ticks lists the tick numbers of "tick N#N" events, and checks that each has its own
  // number as its lastEventId.
  function ticks(t, events, who) {
    const got = events.filter((e) => e.startsWith('tick ')).map((e) => {
      const [data, id] = e.split('#');
      const n = +data.slice(5);
      t.eq(id, String(n), who + ': the lastEventId of ' + data);
      return n;
    });
    return got;
  }

  // gets lists the GET /ticks requests under key.
  async function tickGets(t, key) {
    return (await t.log(key)).filter((r) => r.method === 'GET' && r.path === '/ticks');
  }

  // Ten pages with a shared source on one URL: the server sees one connection; each page gets
  // open, then every event from the one it joined at to the last, each once and in order.
  scenario('shared.one-connection-for-ten-pages', (t) => manyPages(t, ''), { timeout: 30000 });
  async function manyPages(t, head) {
    if (t.impl !== 'polyfill') return polyfillOnly;
    const key = t.key(), n = 40;
    const url = t.url({ key, n, every: 40, hold: 'forever' }, { path: '/ticks' });
    // Five pages at once, and five more once the stream is under way.
    const pages = [];
    const all = () => pages.map((p, i) => i + ': ' + p.events.join(' ')).join('; ');
    for (let i = 0; i < 5; i++) pages.push(frame(t, url, head));
    await until(() => pages[0].events.includes('tick 5#5'), 10000, () => 'tick 5 in the first page: ' + all());
    for (let i = 0; i < 5; i++) pages.push(frame(t, url, head));
    await until(() => pages.every((p) => p.events.includes(`tick ${n}#${n}`)), 15000, () => 'tick ' + n + ' in every page: ' + all());
    t.eq((await tickGets(t, key)).length, 1, 'connections the server saw');
    for (const [i, p] of pages.entries()) {
      t.eq(p.events[0], 'open(1)', 'page ' + i + ' first event: ' + p.events.join(' '));
      t.eq(p.events.filter((e) => e.startsWith('open') || e.startsWith('error')).length, 1, 'page ' + i + ': one open, no error: ' + p.events.join(' '));
      const got = ticks(t, p.events, 'page ' + i);
      const first = got[0];
      t.eq(got, Array.from({ length: n - first + 1 }, (_, k) => first + k), 'page ' + i + ': every tick from its first, once, in order');
    }
    const firsts = pages.map((p) => ticks(t, p.events, '')[0]);
    t.ok(firsts.slice(5).every((f) => f > 5), 'the later pages joined a stream under way: first ticks ' + firsts.join(', '));
    t.note('first tick per page: ' + firsts.join(', '));
  }

  // The page whose source started the connection goes away mid-stream: the others keep every
  // event, on the same connection; once the last page is gone, the connection closes. The last
  // one goes as a crashed page would, without a pagehide event that the polyfill sees (the
  // page holds a Web Lock, which the shared worker gets then).
  const noPagehide = `<script>addEventListener('pagehide', (e) => e.stopImmediatePropagation());<\/script>`;
  scenario('shared.pages-going-away', async (t) => {
    if (t.impl !== 'polyfill') return polyfillOnly;
    const key = t.key(), n = 30;
    const url = t.url({ key, n, every: 40, hold: 'forever' }, { path: '/ticks' });
    // A shared source of this page's keeps the shared worker running when the frames are gone
    // (else its end would close the connection).
    t.record(t.es(t.url({ body: 'data: k\n\n', hold: 'forever' }), { shared: true }));
    const first = frame(t, url);
    await until(() => first.events.includes('tick 1#1'), 10000, () => 'the first page\'s first tick: ' + first.events.join(' '));
    const others = [frame(t, url), frame(t, url, noPagehide)];
    await until(() => others.every((p) => ticks(t, p.events, '').length >= 2), 10000, () => 'two ticks in the other pages');
    first.remove();
    await until(() => others.every((p) => p.events.includes(`tick ${n}#${n}`)), 15000, () => 'tick ' + n + ' in the other pages: ' + others.map((p) => p.events.join(' ')).join('; '));
    for (const [i, p] of others.entries()) {
      const got = ticks(t, p.events, 'page ' + i);
      t.eq(got, Array.from({ length: n - got[0] + 1 }, (_, k) => got[0] + k), 'page ' + i + ': every tick from its first, once, in order');
      t.eq(p.events.filter((e) => e.startsWith('error')).length, 0, 'page ' + i + ' errors');
    }
    let gets = await tickGets(t, key);
    t.eq(gets.length, 1, 'connections the server saw');
    t.eq(gets[0].endMs, undefined, 'the connection goes on while a page has a source on it');
    others[0].remove();
    await t.sleep(300);
    t.eq((await tickGets(t, key))[0].endMs, undefined, 'the connection goes on while a page has a source on it');
    others[1].remove();
    const gone = performance.now();
    // It lingers 5 s for a next page (a navigation from one page of the site to another), then
    // closes.
    await t.sleep(1000);
    t.eq((await tickGets(t, key))[0].endMs, undefined, 'the connection lingers for a next page');
    for (;;) {
      gets = await tickGets(t, key);
      if (gets[0].endMs || performance.now() - gone > 8000) break;
      await t.sleep(50);
    }
    t.ok(gets[0].endMs, 'the connection closes once the last page is gone and none came (waited 8 s)');
    t.note('connection closed ' + Math.round(performance.now() - gone) + ' ms after the last page went');
  }, { timeout: 40000 });

  // window.stop() in a page fails that page's sources (reason aborted), as it would their own
  // connections; the shared connection goes on for the other pages.
  scenario('shared.window-stop-fails-the-page-sources-only', async (t) => {
    if (t.impl !== 'polyfill') return polyfillOnly;
    const key = t.key();
    const url = t.url({ key, n: 20, every: 40, hold: 'forever' }, { path: '/ticks' });
    const stopped = frame(t, url), other = frame(t, url);
    await until(() => [stopped, other].every((p) => p.events.includes('tick 2#2')), 10000, () => 'tick 2 in both pages');
    stopped.tell('stop');
    await until(() => other.events.includes('tick 20#20'), 10000, () => 'tick 20 in the other page: ' + other.events.join(' '));
    const errors = stopped.events.filter((e) => e.startsWith('error'));
    t.eq(errors, ['error(2):aborted'], 'the stopped page\'s errors: ' + stopped.events.join(' '));
    t.ok(!stopped.events.includes('tick 20#20'), 'the stopped page gets no tick after its error: ' + stopped.events.join(' '));
    t.eq(other.events.filter((e) => e.startsWith('error')).length, 0, 'the other page\'s errors');
    t.eq((await tickGets(t, key)).length, 1, 'connections');
  }, { timeout: 20000 });

  // Eight pages with a shared source on another origin, over HTTP/1.1: one connection, so the
  // host's other five are free, and the page's own requests there go through (each page's own
  // source would take all six, and the seventh page would wait).
  scenario('shared.eight-pages-leave-the-host-usable', async (t) => {
    if (t.impl !== 'polyfill') return polyfillOnly;
    if (!SSETest.OTHER) SSETest.fail('no second origin given (other=)');
    const key = t.key();
    const url = t.url({ key, n: 1000, every: 100, hold: 'forever', cors: 1 }, { origin: SSETest.OTHER, path: '/ticks' });
    const pages = [];
    for (let i = 0; i < 8; i++) pages.push(frame(t, url));
    await until(() => pages.every((p) => p.events.includes('open(1)') && ticks(t, p.events, '').length), 10000, () => 'a tick in every page: ' + pages.map((p) => p.events.join(' ')).join('; '));
    const started = performance.now();
    const resp = await Promise.race([
      fetch(t.url({ status: 204, cors: 1 }, { origin: SSETest.OTHER })),
      t.sleep(3000).then(() => SSETest.fail('a request to the host did not get through in 3 s')),
    ]);
    t.eq(resp.status, 204, 'the page\'s request to the host');
    t.eq((await tickGets(t, key)).length, 1, 'connections');
    t.note('the request took ' + Math.round(performance.now() - started) + ' ms');
  }, { timeout: 20000 });

  // A source made once the stream has begun gets open, then the events from then on, with the
  // stream's last event ID; one made in the middle of a long message gets all of it.
  scenario('shared.a-later-source-joins-the-stream', async (t) => {
    if (t.impl !== 'polyfill') return polyfillOnly;
    const head = 'id: 7\ndata: a\n\n';
    const url = t.url({ body: head + 'data: b\n\n', split: head.length, gap: 800, hold: 'forever' });
    const a = t.record(t.es(url, { shared: true }));
    await a.untilCount('message', 1);
    const b = t.record(t.es(url, { shared: true }));
    await b.untilCount('message', 1, 4000);
    t.eq(b.summary(), '[open(1), message(1):"b"#"7"]', 'the later source\'s events');
    t.eq(a.summary(), '[open(1), message(1):"a"#"7", message(1):"b"#"7"]', 'the first source\'s events');

    const long = 'x'.repeat(200000);
    const longURL = t.url({ body: 'data: ' + long + '\n\n', split: 100000, gap: 800, hold: 'forever' });
    const c = t.record(t.es(longURL, { shared: true }));
    await c.untilCount('open', 1);
    await t.sleep(400); // the first half has come
    const d = t.record(t.es(longURL, { shared: true }));
    await Promise.all([c.untilCount('message', 1), d.untilCount('message', 1)]);
    t.eq(c.of('message')[0].data.length, long.length, 'the first source\'s message length');
    t.eq(d.of('message')[0].data.length, long.length, 'the later source\'s message length');
    t.eq(d.of('open').length, 1, 'the later source opens');
  }, { timeout: 15000 });

  // Sources share a connection only with the same URL, credentials mode and options; each
  // stays its own: closing one leaves the others; a connection that fails fails every source
  // on it, and a source made afterwards starts a new one.
  scenario('shared.what-is-shared', async (t) => {
    if (t.impl !== 'polyfill') return polyfillOnly;
    // Each response ends after its message (and its reconnection waits a minute), so that the
    // connections do not stay open: six per host is the browsers' limit.
    const key = t.key();
    const url = t.url({ key, body: 'retry: 60000\ndata: x\n\n' });
    const made = [
      t.es(url, { shared: true }),
      t.es(url, { shared: true }),
      t.es(url, { shared: true, withCredentials: true }),
      t.es(url, { shared: true, headers: { 'X-Token': 'a' } }),
      t.es(url, { shared: true, headers: new Headers({ 'X-Token': 'a' }) }),
      t.es(url, { shared: true, headers: { 'X-Token': 'b' } }),
      t.es(url, { shared: true, lastEventId: '5' }),
      t.es(url, { shared: false }),
    ].map((es) => t.record(es));
    await Promise.all(made.map((r, i) => r.untilCount('error', 1).catch((e) => SSETest.fail('source ' + i + ': ' + e.message))));
    for (const [i, r] of made.entries()) t.eq(r.summary(), `[open(1), message(1):"x"${i === 6 ? '#"5"' : ''}, error(0)]`, 'source ' + i);
    const gets = await t.gets(key, 6);
    t.eq(gets.length, 6, 'connections: plain, withCredentials, X-Token a, X-Token b, lastEventId, unshared');
    t.eq(gets.map((r) => r.headers['X-Token'] || '').sort(), ['', '', '', '', 'a', 'b'], 'the X-Token headers');
    t.eq(gets.map((r) => r.headers['Last-Event-Id'] || '').sort(), ['', '', '', '', '', '5'], 'the Last-Event-ID headers');

    // close() of one of two leaves the other open, and the connection.
    const closing = t.key();
    const both = t.url({ key: closing, body: 'data: x\n\ndata: y\n\n', split: 9, gap: 500, hold: 'forever' });
    const a = t.record(t.es(both, { shared: true })), b = t.record(t.es(both, { shared: true }));
    await Promise.all([a.untilCount('message', 1), b.untilCount('message', 1)]);
    a.es.close();
    await b.untilCount('message', 2);
    t.eq(b.summary(), '[open(1), message(1):"x", message(1):"y"]', 'the other source\'s events');
    t.eq(a.summary(), '[open(1), message(1):"x"]', 'the closed source\'s events');
    t.eq((await t.gets(closing)).length, 1, 'connections');

    // A connection that ends and then answers 204 fails each source on it.
    const failing = t.key();
    const failURL = t.url({ key: failing, seq: [{ body: 'retry: 50\ndata: a\n\n' }, { status: 204 }] });
    const p = t.record(t.es(failURL, { shared: true })), q = t.record(t.es(failURL, { shared: true }));
    await Promise.all([p.untilCount('error', 2), q.untilCount('error', 2)]);
    for (const r of [p, q]) t.eq(r.summary(), '[open(1), message(1):"a", error(0), error(2)]', 'a source on the failing connection');
    t.eq((await t.gets(failing)).length, 2, 'requests of the failing connection');
    const later = t.record(t.es(failURL, { shared: true }));
    await later.untilCount('error', 1);
    t.eq(later.summary(), '[error(2)]', 'a source made after the failure (its own request, answered 204)');
    t.eq((await t.gets(failing)).length, 3, 'requests once a source is made after the failure');
  }, { timeout: 15000 });

  // The shared option is a boolean, and takes headers as an object or a Headers only: a
  // function belongs to one page, and the connection outlives any one page.
  scenario('shared.option-checks', async (t) => {
    if (t.impl !== 'polyfill') return polyfillOnly;
    const url = t.url({ status: 204 });
    const err = t.throws(() => new EventSource(url, { shared: true, headers: () => ({}) }), 'TypeError');
    t.ok(/option shared:/.test(err.message), 'the message names the option: ' + err.message);
    t.throws(() => new EventSource(url, { shared: 'yes' }), 'TypeError');
    t.track(new EventSource(url, { shared: false, headers: () => ({}) }));
  });

  // Without a shared worker (deleted here, as where the browser has none), the pages elect a
  // leader with a Web Lock, which runs the connection and relays over a BroadcastChannel.
  const noSharedWorker = `<script>delete window.SharedWorker;<\/script>`;
  scenario('shared.leader-one-connection-for-ten-pages', (t) => manyPages(t, noSharedWorker), { timeout: 30000 });

  // The leader page goes away, or acts frozen (for 2 s: it neither answers nor relays) in the
  // middle of the stream: another page takes the lead and a new connection, with the last
  // event ID; each page keeps every event, once and in order, with no error and no second
  // open; the frozen one, once it wakes, closes its connection, catches up on one of its own,
  // and closes that too once it has come to where the others are.
  for (const how of ['goes-away', 'freezes']) {
    scenario('shared.leader-' + how, async (t) => {
      if (t.impl !== 'polyfill') return polyfillOnly;
      const key = t.key(), n = 50;
      const url = t.url({ key, n, every: 40, hold: 'forever' }, { path: '/ticks' });
      const pages = [0, 1, 2].map(() => frame(t, url, noSharedWorker));
      const all = () => pages.map((p, i) => i + ': ' + p.events.join(' ')).join('; ');
      await until(() => pages.every((p) => p.events.includes('tick 5#5')), 10000, () => 'tick 5 in every page: ' + all());
      for (const p of pages) p.tell(how === 'freezes' ? 'freeze' : 'who');
      await until(() => pages.some((p) => p.events.includes(how === 'freezes' ? 'froze' : 'leads')), 3000, () => 'the leader to answer: ' + all());
      const leader = pages.find((p) => p.events.includes(how === 'freezes' ? 'froze' : 'leads'));
      const others = pages.filter((p) => p !== leader);
      if (how === 'goes-away') leader.remove();
      const at = Math.min(...others.map((p) => p.events.length - 1)); // the last tick before
      await until(() => others.every((p) => p.events.includes(`tick ${n}#${n}`)), 15000, () => 'tick ' + n + ' in the other pages: ' + all());
      for (const [i, p] of others.entries()) {
        const got = ticks(t, p.events, 'page ' + i);
        t.eq(got, Array.from({ length: n }, (_, k) => k + 1), 'page ' + i + ': every tick, once, in order');
        t.eq(p.events.filter((e) => /^(open|error)/.test(e)), ['open(1)'], 'page ' + i + ': one open, no error');
      }
      const gets = await tickGets(t, key);
      const resumedAt = gets[1].headers['Last-Event-Id'];
      t.ok(+resumedAt >= 5 && +resumedAt < n, 'the second connection resumes from the last event ID: ' + resumedAt);
      if (how === 'goes-away') t.eq(gets.length, 2, 'connections: the first leader\'s, the second\'s');
      if (how === 'freezes') {
        // The frozen page, behind the others when it wakes, catches up on a connection of its
        // own, then goes over to the others'.
        await until(() => leader.events.includes(`tick ${n}#${n}`), 10000, () => 'tick ' + n + ' in the frozen page: ' + leader.events.join(' '));
        const all = await tickGets(t, key);
        t.eq(all.length, 3, 'connections: the first leader\'s, the second\'s, the frozen page\'s');
        t.eq(all[2].headers['Last-Event-Id'], resumedAt, 'the frozen page\'s connection starts where it was');
        const deadline = performance.now() + 4000;
        let first;
        while (!(first = (await tickGets(t, key))[0]).endMs && performance.now() < deadline) await t.sleep(100);
        t.ok(first.endMs, 'the frozen leader closes its connection once it wakes');
        // Once level with the main connection, the frozen page goes over to it.
        let mine;
        while (!(mine = (await tickGets(t, key))[2]).endMs && performance.now() < deadline + 4000) await t.sleep(100);
        t.ok(mine.endMs, 'the frozen page\'s connection closes once it has caught up');
        t.eq(leader.events.filter((e) => /^(open|error)/.test(e)), ['open(1)'], 'the frozen page: one open, no error');
        t.eq(ticks(t, leader.events, 'the frozen page'), Array.from({ length: n }, (_, k) => k + 1), 'the frozen page: every tick, once, in order');
      }
      // The longest gap between two ticks in a page that stayed: the failover.
      const gap = Math.max(...others.map((p) => p.gapMax(at)));
      if (how === 'freezes') t.ok(gap < 1500, 'a frozen leader is replaced within 1.5 s: the longest gap was ' + Math.round(gap) + ' ms');
      t.note('Last-Event-ID ' + resumedAt + '; longest gap between two ticks in a page that stayed: ' + Math.round(gap) + ' ms (a tick every 40 ms)');
    }, { timeout: 30000 });
  }
})();
