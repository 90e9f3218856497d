// Scenarios: which implementation runs, and the WebIDL surface of
// EventSource (HTML 9.2.2 "The EventSource interface").
(function () {
  'use strict';
  const { scenario, IMPL, SELF, show } = SSETest;

  // A URL that answers 204, so that an EventSource made only to look at its
  // IDL surface fails at once without reconnecting.
  function quiet(t) {
    return t.url({ status: 204 });
  }

  scenario('harness.impl', (t) => {
    if (IMPL === 'polyfill') {
      t.eq(typeof NativeEventSource, 'function', 'typeof NativeEventSource');
      t.ok(EventSource !== NativeEventSource, 'EventSource is still the native one');
    } else {
      t.eq(typeof NativeEventSource, 'undefined', 'typeof NativeEventSource (no polyfill expected)');
    }
    t.eq(typeof EventSource, 'function', 'typeof EventSource');
  });

  scenario('idl.interface-object', (t) => {
    t.eq(EventSource.name, 'EventSource', 'EventSource.name');
    t.eq(EventSource.length, 1, 'EventSource.length');
    t.same(Object.getPrototypeOf(EventSource), EventTarget, 'EventSource inherits from EventTarget');
    t.same(Object.getPrototypeOf(EventSource.prototype), EventTarget.prototype, 'prototype chain');
    t.same(EventSource.prototype.constructor, EventSource, 'prototype.constructor');
    const d = Object.getOwnPropertyDescriptor(window, 'EventSource');
    t.ok(d, 'window has an own EventSource property');
    t.eq([d.writable, d.enumerable, d.configurable], [true, false, true], 'window.EventSource [writable, enumerable, configurable]');
    const p = Object.getOwnPropertyDescriptor(EventSource, 'prototype');
    t.eq([p.writable, p.enumerable, p.configurable], [false, false, false], 'EventSource.prototype [writable, enumerable, configurable]');
    t.eq(Object.prototype.toString.call(EventSource.prototype), '[object EventSource]', 'toString of the prototype');
    const tag = Object.getOwnPropertyDescriptor(EventSource.prototype, Symbol.toStringTag);
    t.ok(tag && tag.value === 'EventSource' && !tag.writable && !tag.enumerable && tag.configurable, 'Symbol.toStringTag on the prototype');
  });

  scenario('idl.constants', (t) => {
    const names = { CONNECTING: 0, OPEN: 1, CLOSED: 2 };
    const es = t.es(quiet(t));
    for (const [name, value] of Object.entries(names)) {
      for (const [where, obj] of [['EventSource', EventSource], ['EventSource.prototype', EventSource.prototype]]) {
        const d = Object.getOwnPropertyDescriptor(obj, name);
        t.ok(d, where + '.' + name + ' is an own property');
        t.eq(d.value, value, where + '.' + name);
        t.eq([d.writable, d.enumerable, d.configurable], [false, true, false], where + '.' + name + ' [writable, enumerable, configurable]');
      }
      t.eq(es[name], value, 'instance.' + name);
    }
  });

  scenario('idl.attributes-are-prototype-getters', (t) => {
    for (const name of ['url', 'withCredentials', 'readyState']) {
      const d = Object.getOwnPropertyDescriptor(EventSource.prototype, name);
      t.ok(d, name + ' is an own property of the prototype');
      t.eq(typeof d.get, 'function', name + ' getter');
      t.eq(d.set, undefined, name + ' has no setter');
      t.eq([d.enumerable, d.configurable], [true, true], name + ' [enumerable, configurable]');
      t.eq(d.get.name, 'get ' + name, name + ' getter name');
    }
    const es = t.es(quiet(t));
    t.eq(Reflect.ownKeys(es), [], 'own keys of an instance');
    t.throws(
      () => {
        'use strict';
        es.readyState = 2;
      },
      'TypeError',
      'assigning readyState in strict mode',
    );
    t.eq(es.readyState, EventSource.CONNECTING, 'readyState after the assignment');
  });

  scenario('idl.methods-and-handlers', (t) => {
    const close = Object.getOwnPropertyDescriptor(EventSource.prototype, 'close');
    t.ok(close && typeof close.value === 'function', 'close is a method on the prototype');
    t.eq([close.writable, close.enumerable, close.configurable], [true, true, true], 'close [writable, enumerable, configurable]');
    t.eq(close.value.length, 0, 'close.length');
    t.eq(close.value.name, 'close', 'close.name');
    for (const name of ['onopen', 'onmessage', 'onerror']) {
      const d = Object.getOwnPropertyDescriptor(EventSource.prototype, name);
      t.ok(d, name + ' is an own property of the prototype');
      t.eq([typeof d.get, typeof d.set], ['function', 'function'], name + ' [get, set]');
      t.eq([d.enumerable, d.configurable], [true, true], name + ' [enumerable, configurable]');
    }
  });

  scenario('idl.brand-checks', (t) => {
    for (const name of ['url', 'withCredentials', 'readyState', 'onopen', 'onmessage', 'onerror']) {
      const d = Object.getOwnPropertyDescriptor(EventSource.prototype, name);
      t.ok(d && typeof d.get === 'function', name + ' is a getter on the prototype');
      const get = d.get;
      t.throws(() => get.call({}), 'TypeError', name + ' getter on a plain object');
      t.throws(() => EventSource.prototype[name], 'TypeError', 'EventSource.prototype.' + name);
    }
    t.throws(() => EventSource.prototype.close.call({}), 'TypeError', 'close on a plain object');
    t.throws(() => EventSource.prototype.close.call(new EventTarget()), 'TypeError', 'close on an EventTarget');
  });

  scenario('idl.instance', (t) => {
    const es = t.es(quiet(t));
    t.ok(es instanceof EventSource, 'instanceof EventSource');
    t.ok(es instanceof EventTarget, 'instanceof EventTarget');
    t.same(Object.getPrototypeOf(es), EventSource.prototype, 'prototype of an instance');
    t.eq(Object.prototype.toString.call(es), '[object EventSource]', 'Object.prototype.toString');
    t.eq(typeof es.addEventListener, 'function', 'addEventListener');
    t.eq(typeof es.dispatchEvent, 'function', 'dispatchEvent');
  });

  scenario('idl.call-without-new', (t) => {
    t.throws(() => EventSource(quiet(t)), 'TypeError', 'EventSource(url) without new');
    t.throws(() => EventSource.call({}, quiet(t)), 'TypeError', 'EventSource.call');
  });

  scenario('idl.missing-argument', (t) => {
    t.throws(() => new EventSource(), 'TypeError', 'new EventSource()');
  });

  // invalidURL checks that the constructor throws a SyntaxError DOMException
  // for each URL (closing at once anything it wrongly creates).
  function invalidURL(t, urls) {
    for (const u of urls) {
      const err = t.throws(() => new EventSource(u).close(), 'SyntaxError', show(u));
      t.eq(err.code, 12, 'code of the SyntaxError for ' + show(u));
    }
  }

  scenario('idl.invalid-url', (t) => {
    invalidURL(t, ['http://[::1', 'http://:80/', 'https://exa%mple.com/', 'http://a:b/', 'http://a<b/', 'http://[::1]x/']);
  });

  scenario('idl.invalid-url-space-in-host', (t) => {
    // A space is a forbidden host code point in the URL Standard.
    invalidURL(t, ['http://a b', 'http://this is invalid/']);
  });

  scenario('idl.relative-url', (t) => {
    const cases = [
      ['../sse?status=204', SELF + '/sse?status=204'],
      ['/sse?status=204&a=%20b', SELF + '/sse?status=204&a=%20b'],
      ['//' + location.host + '/sse?status=204', SELF + '/sse?status=204'],
      ['HTTP://' + location.host.toUpperCase() + '/sse?status=204#frag', SELF + '/sse?status=204#frag'],
      ['sse?status=204', SELF + '/test/sse?status=204'],
      [SELF + '/a/../sse?status=204', SELF + '/sse?status=204'],
      [SELF + '/sse?status=204&q=é', SELF + '/sse?status=204&q=%C3%A9'],
    ];
    for (const [input, want] of cases) {
      const es = t.es(input);
      t.eq(es.url, want, 'url for ' + show(input));
    }
  });

  scenario('idl.document-base-url', (t) => {
    const base = document.createElement('base');
    base.href = SELF + '/elsewhere/dir/';
    document.head.appendChild(base);
    t.cleanup(() => base.remove());
    const es = t.es('x?status=204');
    t.eq(es.url, SELF + '/elsewhere/dir/x?status=204', 'url resolved against <base href>');
  });

  scenario('idl.url-stringification', (t) => {
    t.eq(t.es(1).url, SELF + '/test/1', 'new EventSource(1)');
    t.eq(t.es({ toString: () => '/sse?status=204&o' }).url, SELF + '/sse?status=204&o', 'object with toString');
    t.eq(t.es(new URL('/sse?status=204&u', SELF)).url, SELF + '/sse?status=204&u', 'URL object');
    t.eq(t.es('/sse?status=204&s=\ud800').url, SELF + '/sse?status=204&s=%EF%BF%BD', 'lone surrogate (USVString)');
    t.throws(() => new EventSource(Symbol('x')), 'TypeError', 'a Symbol');
  });

  scenario('idl.with-credentials', (t) => {
    const u = quiet(t);
    const cases = [
      [undefined, false, 'no dictionary'],
      [{}, false, '{}'],
      [null, false, 'null'],
      [{ withCredentials: true }, true, '{withCredentials: true}'],
      [{ withCredentials: false }, false, '{withCredentials: false}'],
      [{ withCredentials: 1 }, true, '{withCredentials: 1}'],
      [{ withCredentials: '' }, false, "{withCredentials: ''}"],
      [{ withCredentials: 'yes' }, true, "{withCredentials: 'yes'}"],
    ];
    for (const [init, want, label] of cases) {
      const es = init === undefined ? t.es(u) : t.es(u, init);
      t.eq(es.withCredentials, want, 'withCredentials for ' + label);
    }
    let reads = 0;
    const es = t.es(u, {
      get withCredentials() {
        reads++;
        return true;
      },
    });
    t.eq([es.withCredentials, reads], [true, 1], '[withCredentials, getter calls] for a getter');
    t.throws(() => t.track(new EventSource(u, 5)), 'TypeError', 'a number as the dictionary');
    t.throws(() => t.track(new EventSource(u, 'x')), 'TypeError', 'a string as the dictionary');
  });

  scenario('idl.subclass', async (t) => {
    class Sub extends EventSource {
      constructor(url) {
        super(url);
        this.extra = 'x';
      }
      hello() {
        return 'hi ' + this.readyState;
      }
    }
    const es = t.track(new Sub(t.url({ body: 'data: a\n\n', hold: 'forever' })));
    t.ok(es instanceof Sub && es instanceof EventSource && es instanceof EventTarget, 'instanceof Sub, EventSource and EventTarget');
    t.eq(es.extra, 'x', 'own field of the subclass');
    t.eq(es.hello(), 'hi 0', 'subclass method using readyState');
    t.eq(es.url.startsWith(SELF + '/sse?'), true, 'url through the subclass');
    const rec = t.record(es);
    await rec.untilCount('message', 1);
    t.eq(rec.of('message')[0].data, 'a', 'message data on the subclass');
    t.eq(es.hello(), 'hi 1', 'readyState OPEN through the subclass');
  });

  scenario('idl.ready-state-initial', (t) => {
    const es = t.es(t.url({ body: 'data: a\n\n' }));
    t.eq(es.readyState, EventSource.CONNECTING, 'readyState right after construction');
    t.eq(es.readyState, 0, 'CONNECTING is 0');
  });

  scenario('idl.close', async (t) => {
    const es = t.es(t.url({ body: 'data: a\n\n', hold: 'forever' }));
    const rec = t.record(es);
    t.eq(es.close(), undefined, 'close() returns undefined');
    t.eq(es.readyState, EventSource.CLOSED, 'readyState right after close()');
    es.close();
    t.eq(es.readyState, EventSource.CLOSED, 'readyState after a second close()');
    await t.sleep(300);
    t.eq(rec.summary(), '[]', 'events after close() before any event');
  });

  // addEventListener and removeEventListener are EventTarget's, inherited.
  scenario('idl.listener-methods-inherited', (t) => {
    const es = t.es(quiet(t));
    for (const name of ['addEventListener', 'removeEventListener', 'dispatchEvent']) {
      t.ok(!Object.prototype.hasOwnProperty.call(EventSource.prototype, name), name + ' is not an own property of EventSource.prototype');
      t.same(es[name], EventTarget.prototype[name], 'es.' + name);
    }
  });
})();
