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
