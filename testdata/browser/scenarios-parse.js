// Scenarios: parsing and interpreting the event stream end to end
// (HTML 9.2.5 "Parsing an event stream", 9.2.6 "Interpreting an event
// stream"), with responses split into network chunks at awkward places.
(function () {
  'use strict';
  const { scenario, utf8 } = SSETest;

  // dispatched opens an EventSource on spec, collects the events of the
  // given types (plus message) until the first error (the end of the
  // response, after which the source would reconnect), closes it and returns
  // [type, data, lastEventId] for each.
  async function dispatched(t, spec, types) {
    const es = t.es(t.url(spec));
    const rec = t.record(es, ['open', 'message', 'error'].concat(types || []));
    await rec.untilCount('error', 1, 6000);
    es.close();
    t.context('all events: ' + rec.summary());
    const err = rec.of('error')[0];
    t.eq(err.rs, EventSource.CONNECTING, 'readyState at the error that ends the response ' + rec.summary());
    return rec.events.filter((e) => e.msg).map((e) => [e.type, e.data, e.lastEventId]);
  }

  // datas is dispatched() reduced to the data of message events, checking
  // that no other type was dispatched.
  async function datas(t, spec) {
    const evs = await dispatched(t, spec);
    for (const e of evs) t.eq(e[0], 'message', 'event type');
    return evs.map((e) => e[1]);
  }

  // every returns all offsets 1..n-1, to split a body at every byte.
  function every(n) {
    const out = [];
    for (let i = 1; i < n; i++) out.push(i);
    return out;
  }

  scenario('parse.basic', async (t) => {
    t.eq(await datas(t, { body: 'data: a\n\ndata:b\n\n' }), ['a', 'b'], 'data');
  });

  scenario('parse.multi-line-data', async (t) => {
    t.eq(await datas(t, { body: 'data: a\ndata: b\ndata\n\ndata: c\ndata:\ndata: d\n\n' }), ['a\nb\n', 'c\n\nd'], 'data joined with LF');
  });

  scenario('parse.field-without-colon', async (t) => {
    t.eq(await datas(t, { body: 'data\n\ndata\ndata\n\ndata:test\n\n' }), ['', '\n', 'test'], 'data');
  });

  scenario('parse.no-data-no-event', async (t) => {
    const evs = await dispatched(t, { body: 'event: x\n\n\n\n: c\n\nretry: 5000\n\ndata: y\n\n' }, ['x']);
    t.eq(evs, [['message', 'y', '']], 'events');
  });

  scenario('parse.leading-space', async (t) => {
    t.eq(await datas(t, { body: 'data:a\n\ndata: b\n\ndata:  c\n\ndata:\td\n\ndata: \n\ndata:   \n\n' }), ['a', 'b', ' c', '\td', '', '  '], 'data');
  });

  scenario('parse.colons-in-value', async (t) => {
    t.eq(await datas(t, { body: 'data: a: b:c\n\ndata::\n\n' }), ['a: b:c', ':'], 'data');
  });

  scenario('parse.comments', async (t) => {
    t.eq(await datas(t, { body: ': comment\n:\n: data: x\ndata: a\n:in between\ndata: b\n\n:\n\n' }), ['a\nb'], 'data');
  });

  scenario('parse.unknown-and-miscased-fields', async (t) => {
    const body = 'foo: bar\nDATA: no\nData: no\n data: no\ndata : no\ndatas: no\nevent : no\nfoo\ndata: yes\n\n';
    t.eq(await datas(t, { body }), ['yes'], 'data');
  });

  scenario('parse.crlf', async (t) => {
    t.eq(await datas(t, { body: 'data: a\r\ndata: b\r\n\r\ndata: c\r\n\r\n' }), ['a\nb', 'c'], 'data');
  });

  scenario('parse.cr', async (t) => {
    t.eq(await datas(t, { body: 'data: a\rdata: b\r\rdata: c\r\r' }), ['a\nb', 'c'], 'data');
  });

  scenario('parse.mixed-line-endings', async (t) => {
    t.eq(await datas(t, { body: 'data: a\r\ndata: b\rdata: c\n\r\ndata: d\n\rdata: e\r\n\n' }), ['a\nb\nc', 'd', 'e'], 'data');
  });

  scenario('parse.crlf-split-across-chunks', async (t) => {
    // "data: a\r" | "\ndata: b\r" | "\n\r" | "\n": a parser that ends the line
    // at the CR must not take the LF of the next chunk for an empty line.
    const body = 'data: a\r\ndata: b\r\n\r\n';
    t.eq(await datas(t, { body, split: [8, 17, 19], gap: 30 }), ['a\nb'], 'data');
  });

  scenario('parse.cr-at-chunk-end-then-data', async (t) => {
    // A lone CR at the end of a chunk followed by a field: two lines.
    const body = 'data: a\rdata: b\r\r';
    t.eq(await datas(t, { body, split: [8, 16], gap: 30 }), ['a\nb'], 'data');
  });

  scenario('parse.every-byte-split', async (t) => {
    const body = '\ufeffid: 1\r\nevent: x\r\ndata: é\r\n\r\n:c\rdata: b€\n\n';
    const n = utf8(body).length;
    const evs = await dispatched(t, { body, split: every(n), gap: 2 }, ['x']);
    t.eq(evs, [['x', 'é', '1'], ['message', 'b€', '1']], 'events');
  });

  scenario('parse.bom', async (t) => {
    t.eq(await datas(t, { body: '\ufeffdata: a\n\n' }), ['a'], 'data');
  });

  scenario('parse.bom-split-across-chunks', async (t) => {
    t.eq(await datas(t, { body: '\ufeffdata: a\n\n', split: [1, 2], gap: 30 }), ['a'], 'data');
  });

  scenario('parse.bom-only-once', async (t) => {
    // The second BOM belongs to the field name, which is then unknown.
    t.eq(await datas(t, { body: '\ufeff\ufeffdata: a\n\ndata: b\n\n' }), ['b'], 'data');
  });

  scenario('parse.bom-only-at-start', async (t) => {
    t.eq(await datas(t, { body: 'data: a\n\n\ufeffdata: b\n\ndata: \ufeffc\n\n' }), ['a', '\ufeffc'], 'data');
  });

  // A BOM that leads a field's value is data, also when that event comes in a network chunk of
  // its own (a decoder that strips a leading BOM from each chunk, or from each piece it
  // decodes, would lose it).
  scenario('parse.bom-leading-a-chunk-is-kept', async (t) => {
    const a = 'data: \ufeffa\n\n', b = 'event: \ufeffb\ndata: \ufeffc\n\n', c = 'data: \ufeff' + 'd'.repeat(70000) + '\n\n';
    const split = [utf8(a).length, utf8(a + b).length];
    const evs = await dispatched(t, { body: a + b + c, split, gap: 50 }, ['\ufeffb', 'b']);
    t.eq(evs.map((e) => [e[0], e[1].slice(0, 2), e[1].length]), [['message', '\ufeffa', 2], ['\ufeffb', '\ufeffc', 2], ['message', '\ufeffd', 70001]], '[type, data start, data length]');
  });

  scenario('parse.utf8-split-across-chunks', async (t) => {
    // é = C3 A9, € = E2 82 AC, 😀 = F0 9F 98 80; split inside each.
    const body = 'data: é€😀\n\n';
    t.eq(await datas(t, { body, split: [7, 9, 10, 12, 13, 14], gap: 20 }), ['é€😀'], 'data');
  });

  scenario('parse.utf8-invalid', async (t) => {
    const bytes =
      'data: a\xffb\n\n' + // invalid byte
      'data: \xc3\n\n' + // truncated sequence at the end of a line
      'data: \xe2\x82x\n\n' + // truncated sequence: one U+FFFD (maximal subpart)
      'data: \xc0\xaf\n\n' + // overlong: two
      'data: \xed\xa0\x80\n\n' + // surrogate: three
      'data: \xf0\x9f\x98\n\n' + // truncated 4-byte sequence: one
      'data: \xf4\x90\x80\x80\n\n' + // beyond U+10FFFF: four
      'data: \x80\x80z\n\n'; // lone continuation bytes: two
    t.eq(
      await datas(t, { bytes }),
      ['a\ufffdb', '\ufffd', '\ufffdx', '\ufffd\ufffd', '\ufffd\ufffd\ufffd', '\ufffd', '\ufffd\ufffd\ufffd\ufffd', '\ufffd\ufffdz'],
      'data decoded with replacement characters',
    );
  });

  scenario('parse.utf8-invalid-split-across-chunks', async (t) => {
    const bytes = 'data: \xe2\x82x\n\ndata: \xf0\x9f\x98\x80\xff\n\n';
    t.eq(await datas(t, { bytes, split: [7, 8, 18, 19, 20, 21], gap: 20 }), ['\ufffdx', '😀\ufffd'], 'data');
  });

  scenario('parse.utf8-regardless-of-charset', async (t) => {
    const ctype = 'text/event-stream; charset=iso-8859-1';
    t.eq(await datas(t, { body: 'data: é€\n\n', ctype }), ['é€'], 'data (always UTF-8)');
  });

  scenario('parse.nul-in-data', async (t) => {
    t.eq(await datas(t, { bytes: 'data: a\x00b\n\ndata:\x00\n\n' }), ['a\x00b', '\x00'], 'data');
  });

  scenario('parse.event-type', async (t) => {
    const evs = await dispatched(t, { body: 'event: add\ndata: 1\n\ndata: 2\n\nevent: a b\ndata: 3\n\n' }, ['add', 'a b']);
    t.eq(evs.map((e) => e[0] + ':' + e[1]), ['add:1', 'message:2', 'a b:3'], 'type reset after each dispatch');
  });

  scenario('parse.event-type-empty-means-message', async (t) => {
    const evs = await dispatched(t, { body: 'event:\ndata: a\n\nevent\ndata: b\n\nevent: message\ndata: c\n\n' });
    t.eq(evs.map((e) => e[0] + ':' + e[1]), ['message:a', 'message:b', 'message:c'], 'events');
  });

  scenario('parse.event-type-last-wins-and-case-sensitive', async (t) => {
    const evs = await dispatched(t, { body: 'event: a\nevent: b\ndata: x\n\nevent: Add\ndata: y\n\n' }, ['a', 'b', 'add', 'Add']);
    t.eq(evs.map((e) => e[0] + ':' + e[1]), ['b:x', 'Add:y'], 'events');
  });

  scenario('parse.event-type-without-data-is-dropped', async (t) => {
    const evs = await dispatched(t, { body: 'event: add\n\ndata: a\n\n' }, ['add']);
    t.eq(evs.map((e) => e[0] + ':' + e[1]), ['message:a'], 'events');
  });

  scenario('parse.id', async (t) => {
    const body = 'id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\nid\ndata: d\n\nid: 3\ndata: e\n\nid:\ndata: f\n\n';
    const evs = await dispatched(t, { body });
    t.eq(evs.map((e) => e[1] + '#' + e[2]), ['a#1', 'b#1', 'c#2', 'd#', 'e#3', 'f#'], 'data#lastEventId');
  });

  scenario('parse.id-with-nul-ignored', async (t) => {
    const evs = await dispatched(t, { bytes: 'id: 1\ndata: a\n\nid: x\x00y\ndata: b\n\nid: \x00\ndata: c\n\n' });
    t.eq(evs.map((e) => e[1] + '#' + e[2]), ['a#1', 'b#1', 'c#1'], 'data#lastEventId');
  });

  scenario('parse.id-without-data', async (t) => {
    const evs = await dispatched(t, { body: 'id: 5\n\ndata: a\n\n' });
    t.eq(evs.map((e) => e[1] + '#' + e[2]), ['a#5'], 'data#lastEventId');
  });

  scenario('parse.id-keeps-spaces-and-unicode', async (t) => {
    const evs = await dispatched(t, { body: 'id:  7 \ndata: a\n\nid: é€😀\ndata: b\n\n' });
    t.eq(evs.map((e) => e[1] + '#' + e[2]), ['a# 7 ', 'b#é€😀'], 'data#lastEventId');
  });

  scenario('parse.incomplete-event-at-end-discarded', async (t) => {
    t.eq(await datas(t, { body: 'data: a\n\ndata: b' }), ['a'], 'data (no final line end)');
    t.eq(await datas(t, { body: 'data: a\n\ndata: b\n' }), ['a'], 'data (no empty line)');
    t.eq(await datas(t, { body: 'data: a\n\ndata: b\r' }), ['a'], 'data (a lone CR at the end)');
  });

  scenario('parse.large-event', async (t) => {
    // One 300 kB line, cut every 64 kB (and so inside UTF-8 sequences).
    const unit = 'ünïcödé € 0123456789 ';
    const n = 12000;
    const total = utf8('data: ' + unit.repeat(n) + '\n\ndata: after\n\n').length;
    const split = [];
    for (let at = 777; at < total; at += 65531) split.push(at);
    const got = await datas(t, { head: 'data: ', body: unit, repeat: n, tail: '\n\ndata: after\n\n', split, gap: 5 });
    t.eq(got.length, 2, 'number of events');
    t.ok(got[0] === unit.repeat(n), 'the large event arrives intact (length ' + got[0].length + ', want ' + unit.length * n + ')');
    t.eq(got[1], 'after', 'the event after it');
  }, { timeout: 15000 });

  // A large event of its own type and with an id, between small ones in the same chunk: order,
  // type, id and data intact.
  scenario('parse.large-event-type-and-id', async (t) => {
    const big = 'x'.repeat(100000);
    const es = t.es(t.url({ body: 'data: small\n\nevent: big\nid: 9\ndata: ' + big + '\n\ndata: after\n\n' }));
    const rec = t.record(es, ['message', 'big', 'error']);
    await rec.untilCount('error', 1);
    t.eq(rec.events.filter((e) => e.msg).map((e) => e.type + ':' + e.event.lastEventId + ':' + (e.data === big ? 'BIG' : e.data)),
      ['message::small', 'big:9:BIG', 'message:9:after'], 'events [type:lastEventId:data]');
  }, { timeout: 15000 });

  // A long event of many lines (far more than the polyfill's parser holds before it hands data
  // on) that the end of the response cuts off is discarded ("any pending data must be
  // discarded"); the same event in the next response arrives whole.
  scenario('parse.large-event-cut-off', async (t) => {
    const line = 'dätä ünïcödé 0123456789';
    const n = 20000;
    const es = t.es(t.url({ key: t.key(), seq: [
      { body: 'data: ' + line + '\n', repeat: n, tail: 'retry: 50\n' },
      { body: 'data: ' + line + '\n', repeat: n, tail: '\ndata: after\n\n', hold: 'forever' },
    ] }));
    const rec = t.record(es);
    await rec.untilCount('message', 2, 10000);
    es.close();
    const long = Array(n).fill(line).join('\n');
    t.eq(rec.events.map((e) => e.type + (e.msg ? ':' + (e.data === long ? 'LONG' : e.data.length > 20 ? e.data.length : e.data) : '')),
      ['open', 'error', 'open', 'message:LONG', 'message:after'], 'events');
  }, { timeout: 15000 });

  scenario('parse.many-data-lines', async (t) => {
    const line = 'line ünïcödé';
    const n = 5000;
    const got = await datas(t, { body: 'data: ' + line + '\r\n', repeat: n, tail: '\r\ndata: after\r\n\r\n', split: [1000, 20001, 40000], gap: 5 });
    t.eq(got.length, 2, 'number of events');
    t.ok(got[0] === Array(n).fill(line).join('\n'), 'the event of ' + n + ' data lines arrives intact (length ' + got[0].length + ')');
    t.eq(got[1], 'after', 'the event after it');
  }, { timeout: 15000 });

  scenario('parse.many-small-chunks', async (t) => {
    let body = '';
    const want = [];
    for (let i = 0; i < 40; i++) {
      body += 'data: line ' + i + '\r\n\r\n';
      want.push('line ' + i);
    }
    const split = [];
    for (let at = 3; at < body.length; at += 7) split.push(at);
    t.eq(await datas(t, { body, split, gap: 1 }), want, 'data');
  });
})();
