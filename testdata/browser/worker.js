// A dedicated worker for the workers scenario: with ?impl=polyfill it loads the polyfill with
// importScripts, as a worker using it would; then it opens the EventSource URL it is sent and
// posts back what it sees.
'use strict';
const params = new URLSearchParams(location.search);
if (params.get('impl') === 'polyfill') importScripts('/web/eventsource.js');
onmessage = (e) => {
  const seen = [];
  const es = new EventSource(e.data.url);
  const post = () => postMessage({ seen, polyfill: typeof NativeEventSource === 'function' && EventSource !== NativeEventSource });
  es.onopen = () => seen.push('open(' + es.readyState + ')');
  es.onmessage = (m) => {
    seen.push('message:' + m.data + '#' + m.lastEventId + '@' + m.origin);
    if (seen.length === 3) {
      es.close();
      post();
    }
  };
  es.onerror = () => {
    seen.push('error(' + es.readyState + ')');
    es.close();
    post();
  };
};
