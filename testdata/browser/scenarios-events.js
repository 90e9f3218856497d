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
        proto: e instanceof Event && e.constructor === Event && Object.prototype.toString.call(e) === '[object Event]',
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
        proto: e instanceof Event && e.constructor === Event && !(e instanceof ErrorEvent),
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
        proto: e instanceof MessageEvent && e.constructor === MessageEvent && Object.prototype.toString.call(e) === '[object MessageEvent]',
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

  // The attributes and methods of a message event during and after its dispatch (DOM §2.2,
  // §2.9; HTML §9.4.3 MessageEvent).
  scenario('events.message-event-members', async (t) => {
    const es = t.es(t.url({ body: 'data: a\n\n', hold: 'forever' }));
    let during = null, ev = null;
    es.onmessage = (e) => {
      ev = e;
      const before = performance.now();
      e.preventDefault();
      during = {
        phase: e.eventPhase, current: e.currentTarget === es, target: e.target === es, src: e.srcElement === es,
        path: e.composedPath().length === 1 && e.composedPath()[0] === es, composed: e.composed,
        defaultPrevented: e.defaultPrevented, returnValue: e.returnValue, cancelBubble: e.cancelBubble,
        time: typeof e.timeStamp === 'number' && e.timeStamp > 0 && e.timeStamp <= before,
        keys: Object.keys(e), json: JSON.stringify(e), inData: 'data' in e, ports: Object.isFrozen(e.ports) && e.ports.length === 0,
        init: typeof e.initMessageEvent + ' ' + typeof e.initEvent, consts: [e.NONE, e.AT_TARGET],
      };
    };
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    await t.sleep(0);
    t.eq(during, {
      phase: 2, current: true, target: true, src: true, path: true, composed: false,
      defaultPrevented: false, returnValue: true, cancelBubble: false, time: true,
      keys: ['isTrusted'], json: '{"isTrusted":true}', inData: true, ports: true,
      init: 'function function', consts: [0, 2],
    }, 'during dispatch');
    t.eq({ phase: ev.eventPhase, current: ev.currentTarget, target: ev.target === es, path: ev.composedPath().length, data: ev.data },
      { phase: 0, current: null, target: true, path: 0, data: 'a' }, 'after dispatch');
  });

  // waitFor polls until cond() holds, at most 5 s, then lets pending calls finish.
  async function waitFor(t, cond) {
    const deadline = performance.now() + 5000;
    while (!cond() && performance.now() < deadline) await t.sleep(10);
    await t.sleep(20);
  }

  // DOM §2.9: stopImmediatePropagation() skips the rest of the listeners; stopPropagation()
  // and cancelBubble do not skip those of the same phase; the flags are unset for the next event.
  scenario('events.stop-propagation', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\ndata: 2\n\ndata: 3\n\n', hold: 'forever' }));
    const log = [];
    es.addEventListener('message', (e) => {
      log.push('first:' + e.data);
      if (e.data === '1') e.stopImmediatePropagation();
      if (e.data === '2') e.stopPropagation();
      if (e.data === '3') e.cancelBubble = true;
    });
    es.addEventListener('message', (e) => log.push('second:' + e.data));
    await waitFor(t, () => log.includes('second:3'));
    t.eq(log, ['first:1', 'first:2', 'second:2', 'first:3', 'second:3'], 'listener calls');
  });

  // DOM §2.9 "dispatch": at the target, the capturing listeners are invoked first, then the
  // others, and stopPropagation() in a capturing one skips the others.
  scenario('events.capture-first-at-target', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\ndata: 2\n\n', hold: 'forever' }));
    const log = [];
    es.addEventListener('message', (e) => log.push('bubble:' + e.data));
    es.addEventListener('message', (e) => {
      log.push('capture:' + e.data);
      if (e.data === '2') e.stopPropagation();
    }, { capture: true });
    await waitFor(t, () => log.includes('capture:2'));
    t.eq(log, ['capture:1', 'bubble:1', 'capture:2'], 'listener calls');
  });

  // DOM §2.7-2.9: a listener removed during a dispatch is not called; the same callback is added
  // once per capture value; a signal removes; once works for script-dispatched events too.
  scenario('events.listener-list', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\ndata: 2\n\n', hold: 'forever' }));
    const log = [];
    const ctl = new AbortController();
    const b = (e) => log.push('B:' + e.data);
    const dup = (e) => log.push('dup:' + e.eventPhase);
    es.addEventListener('message', (e) => {
      log.push('A:' + e.data);
      es.removeEventListener('message', b);
      ctl.abort();
    });
    es.addEventListener('message', b);
    es.addEventListener('message', (e) => log.push('S:' + e.data), { signal: ctl.signal });
    es.addEventListener('message', dup);
    es.addEventListener('message', dup);
    es.addEventListener('message', dup, { capture: false, once: true });
    const once = (e) => log.push('once:' + e.data);
    es.addEventListener('message', once, { once: true });
    es.dispatchEvent(new MessageEvent('message', { data: 'x' }));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    await t.sleep(0);
    t.eq(log, ['A:x', 'dup:2', 'once:x', 'A:1', 'dup:2', 'A:2', 'dup:2'], 'listener calls');
  });

  // Between two listeners of one event, the microtasks the first queued run (the browser calls
  // each from a task with an empty JavaScript stack).
  scenario('events.microtasks-run-between-listeners', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\ndata: 2\n\n', hold: 'forever' }));
    const log = [];
    es.addEventListener('message', (e) => {
      log.push('a' + e.data);
      Promise.resolve().then(() => log.push('u' + e.data));
    });
    es.addEventListener('message', (e) => log.push('b' + e.data));
    const rec = t.record(es);
    await rec.untilCount('message', 2);
    await t.sleep(0);
    t.eq(log.join(' '), 'a1 u1 b1 a2 u2 b2', 'order');
  });

  // A chain of microtasks that a listener starts (an async listener's awaits) finishes before
  // the next listener runs, the next event's too: the microtask checkpoint after each listener
  // call empties the queue, whatever the microtasks queue in turn.
  scenario('events.async-listener-chains-finish-between-events', async (t) => {
    const es = t.es(t.url({ body: 'data: 1\n\ndata: 2\n\ndata: 3\n\n', hold: 'forever' }));
    const log = [];
    es.addEventListener('message', async (e) => {
      log.push('a' + e.data);
      await null;
      log.push('b' + e.data);
      await Promise.resolve();
      log.push('c' + e.data);
      Promise.resolve().then(() => Promise.resolve()).then(() => log.push('d' + e.data));
    });
    es.addEventListener('message', (e) => log.push('z' + e.data));
    const deadline = performance.now() + 5000;
    while (log.length < 15 && performance.now() < deadline) await t.sleep(10);
    t.eq(log.join(' '), 'a1 b1 c1 d1 z1 a2 b2 c2 d2 z2 a3 b3 c3 d3 z3', 'order of listener calls and their chains of microtasks');
  });

  // The events are the platform's own objects: their prototype is MessageEvent.prototype itself,
  // and another EventTarget can dispatch one again after its dispatch.
  scenario('events.platform-objects', async (t) => {
    const es = t.es(t.url({ body: 'data: a\n\n', hold: 'forever' }));
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    await t.sleep(0);
    const e = rec.of('message')[0].event;
    t.same(Object.getPrototypeOf(e), MessageEvent.prototype, 'the prototype of a message event');
    let redispatched = null;
    try {
      const other = new EventTarget();
      other.addEventListener('message', (x) => { redispatched = x.data; });
      other.dispatchEvent(e);
    } catch (err) {
      redispatched = String(err);
    }
    t.eq(redispatched, 'a', 'dispatching the event again at another target');
  });
})();
