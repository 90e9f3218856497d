// body.js: reading a response body with several reads pending.

// readAhead reads body, passing each chunk to write, with several read() calls pending at
// every moment, until the body ends (the promise resolves), fails or signal aborts (it
// rejects). When a connection breaks right after its last bytes, Chromium can hand several
// chunks to the stream and then error it in one go, and erroring a ReadableStream throws away
// the chunks queued in it: only reads already pending get them. With one read pending (a
// pipeTo, a read() loop), about 1 % of streams whose last three events came within a
// millisecond before the break lost their tail in headless Chromium 156; with four, about
// 0.1 %, and those lost the whole burst, which no reader got (testdata/chromium-drop has a
// reproduction). Firefox lost none either way.
const readsAhead = 4;
const readAhead = (body, write, signal) => new Promise((resolve, reject) => {
  const reader = body.getReader();
  const reads = [];
  let over = false;
  const end = (err) => {
    if (over) return;
    over = true;
    signal.removeEventListener("abort", aborted);
    if (err === undefined) return resolve();
    reader.cancel(err).catch(() => {});
    reject(err);
  };
  const aborted = () => end(signal.reason);
  const next = () => {
    while (reads.length < readsAhead) {
      const read = reader.read();
      read.catch(() => {}); // the one awaited reports it; the others fail alike
      reads.push(read);
    }
    reads.shift().then(({ value, done }) => {
      if (over) return;
      if (done) return end();
      try {
        write(value);
      } catch (err) {
        return end(err);
      }
      next();
    }, end);
  };
  if (signal.aborted) return end(signal.reason);
  signal.addEventListener("abort", aborted);
  next();
});
