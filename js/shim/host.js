// host.js: when this script runs as a page's engine worker (see remote.js; internal/protocol
// lists the messages), it serves the page's commands with its Go side.

const host = () => {
  const closers = new Map(); // id → the AbortController that closing the source aborts
  const calls = new Map(); // n → {resolve, reject}: headers calls waiting for the page
  let nextCall = 0;
  const post = (m) => g.postMessage(m);
  const open = ({ id, url, withCredentials, options }) => {
    if (options.headers) {
      // The page calls the function; the Go side calls this before every request.
      options.headers = () => new Promise((resolve, reject) => {
        const n = ++nextCall;
        calls.set(n, { resolve, reject });
        post({ op: "headers", id, n });
      });
    } else delete options.headers;
    const closer = new AbortController();
    closers.set(id, closer);
    const err = openInGo(id, url, withCredentials, options, undefined, (batch, last) => post({ id, batch, last }), (ctrl) => follow(ctrl, closer.signal));
    if (err) {
      console.error("EventSource (worker):", err);
      closers.delete(id);
      post({ op: "fail", id, reason: "internal" });
    }
  };
  const run = (m) => {
    switch (m.op) {
      case "open":
        return open(m);
      case "close":
        // As closeInGo does: the fetches that wait for a connection first, then the others.
        for (const wasOpen of [false, true]) {
          for (const [id, open] of m.sources) {
            const closer = closers.get(id);
            if (open !== wasOpen || !closer) continue;
            closers.delete(id);
            closeInGo(id, closer, false);
          }
        }
        return;
      case "stop":
        return bridge.stop();
      case "headers": {
        const call = calls.get(m.n);
        calls.delete(m.n);
        if (m.error !== undefined) call?.reject(new Error(m.error));
        else call?.resolve(m.pairs);
        return;
      }
      case "stats":
        return post({ op: "stats", n: m.n, value: stats() });
    }
  };
  const queued = []; // commands that came before the Go side runs
  let gone = false;
  g.onmessage = (e) => {
    if (gone) return;
    if (!bridge) return queued.push(e.data);
    try {
      run(e.data);
    } catch (err) {
      engineDied(err); // which tells the page
    }
  };
  goneWatchers.push((reason, why) => {
    gone = true;
    post({ op: "gone", reason, why: String(why) });
  });
  started.then(() => {
    for (const m of queued.splice(0)) g.onmessage({ data: m });
  }, () => {}); // goneWatchers tell the page
};
if (hostOf) host();
