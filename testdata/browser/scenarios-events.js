// Scenarios: event handler attributes (onopen, onmessage, onerror) and the
// events an EventSource fires (open, message, error, custom types).
(function () {
  'use strict';
  const { scenario, SELF } = SSETest;

  scenario('handlers.initially-null', (t) => {
    const es = t.es(t.url({ status: 204 }));
    t.eq([es.onopen, es.onmessage, es.onerror], [null, null, null], '[onopen, onmessage, onerror]');
  });

  scenario('handlers.assign-function', async (t) => {
    const es = t.es(t.url({ body: 'data: a\n\n' }));
    const calls = [];
    function onopen(e) {
      calls.push(['open', this === es, e.type]);
    }
    function onmessage(e) {
      calls.push(['message', this === es, e.data]);
    }
    es.onopen = onopen;
    es.onmessage = onmessage;
    t.same(es.onopen, onopen, 'onopen getter');
    t.same(es.onmessage, onmessage, 'onmessage getter');
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    t.eq(calls, [['open', true, 'open'], ['message', true, 'a']], 'handler calls [type, this === es, data]');
  });

  scenario('handlers.listener-order', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\ndata: 2\n\n' }));
    const order = [];
    let first = true;
    es.addEventListener('message', () => order.push('A'));
    es.onmessage = () => order.push('H1');
    es.addEventListener('message', () => {
      order.push('B');
      if (first) {
        // After the first event: removing the handler and setting it again
        // moves it to the end of the list.
        first = false;
        es.onmessage = null;
        es.onmessage = () => order.push('H3');
      }
    });
    es.onmessage = () => order.push('H2'); // keeps the position of H1
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    // H3 was added during the first dispatch, so it only runs for the second.
    t.eq(order, ['A', 'H2', 'B', 'A', 'B', 'H3'], 'listener call order');
  });

  scenario('handlers.null-removes', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\n' }));
    let called = 0;
    es.onmessage = () => called++;
    es.onmessage = null;
    t.eq(es.onmessage, null, 'onmessage after setting null');
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    t.eq(called, 0, 'calls of the removed handler');
  });

  scenario('handlers.non-callable-values', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\n' }));
    const f = () => {};
    for (const v of ['string', 5, true, Symbol('s'), undefined, 0n]) {
      es.onmessage = f;
      es.onmessage = v;
      t.eq(es.onmessage, null, 'onmessage after assigning ' + typeof v);
    }
    const obj = { handleEvent() {} };
    es.onerror = obj;
    t.same(es.onerror, obj, 'a non-callable object is kept ([LegacyTreatNonObjectAsNull])');
    const caught = t.captureErrors();
    es.onmessage = { handleEvent: () => caught.push('handleEvent was called') };
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    await t.sleep(10);
    t.eq(caught.map(String), [], 'errors or calls from an object handler');
  });

  scenario('handlers.listener-throws', async (t) => {
    const caught = t.captureErrors();
    const es = t.es(t.url({ body: 'data: 1\n\n' }));
    const calls = [];
    es.addEventListener('message', () => {
      calls.push('first');
      throw new Error('boom-listener');
    });
    es.onmessage = () => {
      calls.push('handler');
      throw new Error('boom-handler');
    };
    es.addEventListener('message', () => calls.push('last'));
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    await t.sleep(20);
    t.eq(calls, ['first', 'handler', 'last'], 'listeners after a throwing one still run');
    const messages = caught.map((e) => (e && e.message) || String(e));
    t.ok(messages.some((m) => m.includes('boom-listener')), 'the listener error reaches window.onerror: ' + SSETest.show(messages));
    t.ok(messages.some((m) => m.includes('boom-handler')), 'the handler error reaches window.onerror: ' + SSETest.show(messages));
  });

  scenario('handlers.listener-objects-and-options', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\ndata: 2\n\n' }));
    const seen = [];
    const obj = { handleEvent(e) { seen.push('obj:' + e.data + ':' + (this === obj)); } };
    es.addEventListener('message', obj);
    es.addEventListener('message', (e) => seen.push('once:' + e.data), { once: true });
    const removed = () => seen.push('removed');
    es.addEventListener('message', removed);
    es.removeEventListener('message', removed);
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    t.eq(seen, ['obj:1:true', 'once:1', 'obj:2:true'], 'calls');
  });

  scenario('handlers.synthetic-dispatch', (t) => {
    const es = t.es(t.url({ status: 204 }));
    const seen = [];
    es.onmessage = (e) => seen.push('onmessage:' + e.data);
    es.onopen = (e) => seen.push('onopen:' + e.type);
    es.addEventListener('custom', (e) => seen.push('custom:' + e.detail));
    t.eq(es.dispatchEvent(new MessageEvent('message', { data: 'x' })), true, 'dispatchEvent result');
    es.dispatchEvent(new Event('open'));
    es.dispatchEvent(new CustomEvent('custom', { detail: 'd' }));
    t.eq(seen, ['onmessage:x', 'onopen:open', 'custom:d'], 'synchronous calls for script-dispatched events');
  });

  scenario('events.open', async (t) => {
    const es = t.es(t.url({ body: 'data: a\n\n' }));
    let seen = null;
    es.onopen = (e) => {
      seen = {
        proto: Object.getPrototypeOf(e) === Event.prototype,
        message: e instanceof MessageEvent,
        type: e.type,
        bubbles: e.bubbles,
        cancelable: e.cancelable,
        target: e.target === es,
        current: e.currentTarget === es,
        rs: es.readyState,
        phase: e.eventPhase,
        hasData: 'data' in e,
      };
    };
    const rec = t.record(es);
    await rec.untilCount('open', 1);
    t.eq(seen, { proto: true, message: false, type: 'open', bubbles: false, cancelable: false, target: true, current: true, rs: 1, phase: 2, hasData: false }, 'the open event');
  });

  scenario('events.error', async (t) => {
    const es = t.es(t.url({ status: 404 }));
    let seen = null;
    es.onerror = (e) => {
      seen = {
        proto: Object.getPrototypeOf(e) === Event.prototype,
        type: e.type,
        bubbles: e.bubbles,
        cancelable: e.cancelable,
        target: e.target === es,
        rs: es.readyState,
        hasData: 'data' in e,
      };
    };
    const rec = t.record(es);
    await rec.untilCount('error', 1);
    t.eq(seen, { proto: true, type: 'error', bubbles: false, cancelable: false, target: true, rs: 2, hasData: false }, 'the error event');
  });

  scenario('events.message', async (t) => {
    const es = t.es(t.url({ body: 'id: 7\ndata: hello\n\n' }));
    let seen = null;
    es.onmessage = (e) => {
      seen = {
        proto: Object.getPrototypeOf(e) === MessageEvent.prototype,
        type: e.type,
        data: e.data,
        origin: e.origin,
        lastEventId: e.lastEventId,
        source: e.source,
        ports: Array.isArray(e.ports) ? e.ports.length : 'not an array',
        bubbles: e.bubbles,
        cancelable: e.cancelable,
        target: e.target === es,
        rs: es.readyState,
      };
    };
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    t.eq(
      seen,
      { proto: true, type: 'message', data: 'hello', origin: SELF, lastEventId: '7', source: null, ports: 0, bubbles: false, cancelable: false, target: true, rs: 1 },
      'the message event',
    );
  });

  scenario('events.is-trusted', async (t) => {
    const es = t.es(t.url({ body: 'data: a\n\nevent: custom\ndata: b\n\n' }));
    const rec = t.record(es, ['open', 'message', 'custom', 'error']);
    await rec.untilCount('error', 1);
    t.eq(
      rec.events.map((e) => e.type + ':' + e.event.isTrusted),
      ['open:true', 'message:true', 'custom:true', 'error:true'],
      'isTrusted of each event',
    );
  });

  scenario('events.custom-type', async (t) => {
    const es = t.es(t.url({ body: 'event: add\ndata: 1\n\nevent: remove\ndata: 2\n\ndata: 3\n\n' }));
    const viaHandler = [];
    es.onmessage = (e) => viaHandler.push(e.data);
    const rec = t.record(es, ['message', 'add', 'remove', 'error']);
    await rec.untilCount('error', 1);
    t.eq(rec.events.map((e) => e.type + ':' + (e.msg ? e.data : '-')), ['add:1', 'remove:2', 'message:3', 'error:-'], 'events in order');
    t.eq(viaHandler, ['3'], 'onmessage only sees type message');
    t.ok(rec.of('add')[0].msg, 'a custom event is a MessageEvent');
  });

  scenario('events.stream-event-named-open-or-error', async (t) => {
    const es = t.es(t.url({ body: 'event: open\ndata: o\n\nevent: error\ndata: e\n\n' }));
    const rec = t.record(es);
    await rec.until((evs) => evs.filter((e) => e.type === 'error').length >= 2, 4000, 'two error events');
    t.eq(
      rec.events.map((e) => e.type + (e.msg ? ':' + e.data : '') + '(' + e.rs + ')'),
      ['open(1)', 'open:o(1)', 'error:e(1)', 'error(0)'],
      'stream events named open and error are MessageEvents of those types',
    );
  });

  scenario('events.order-and-many', async (t) => {
    let body = '';
    const want = [];
    for (let i = 0; i < 200; i++) {
      body += 'data: ' + i + '\n\n';
      want.push(String(i));
    }
    const es = t.es(t.url({ body }));
    const rec = t.record(es);
    await rec.untilCount('error', 1);
    t.eq(rec.events[0].type, 'open', 'first event');
    t.eq(rec.of('message').map((e) => e.data), want, 'message data in order');
  });

  scenario('events.dispatched-asynchronously', async (t) => {
    const es = t.es(t.url({ body: 'data: a\n\n' }));
    const rec = t.record(es);
    t.eq(rec.events.length, 0, 'events dispatched during the constructor');
    // Listeners added later in the same task still see everything.
    const late = [];
    es.addEventListener('open', () => late.push('open'));
    es.addEventListener('message', () => late.push('message'));
    await rec.untilCount('message', 1);
    t.eq(late, ['open', 'message'], 'events seen by listeners added after construction');
  });

  // Events that arrive in one network chunk are dispatched one after the other, each listener
  // call followed by a microtask checkpoint (the JavaScript stack is empty after each, as when
  // the browser dispatches from a task), and before any task a listener queues. Both Chromium
  // and Firefox behave so.
  scenario('events.microtasks-run-between-events', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\ndata: 2\n\ndata: 3\n\n', hold: 'forever' }));
    const log = [];
    es.onmessage = (e) => {
      log.push('m' + e.data);
      Promise.resolve().then(() => log.push('u' + e.data));
      setTimeout(() => log.push('t' + e.data), 0);
    };
    const deadline = performance.now() + 5000;
    while (log.length < 9 && performance.now() < deadline) await t.sleep(10);
    t.eq(log.join(' '), 'm1 u1 m2 u2 m3 u3 t1 t2 t3', 'order of listener calls, their microtasks and their timeouts');
  });
})();
