// install.js: the globals the shim installs.

// For tests: what the Go side holds ({sources, funcs, goroutines, gcs, heap, values: the
// JavaScript values it references}), or null before it runs; stats("worker") and
// stats("shared") are promises of what the engine workers' hold (remote.js).
Object.defineProperty(EventSource, Symbol.for("ssewasm.stats"), {
  value: (where) => {
    if (!where) return bridge ? stats() : null;
    const engine = where === "shared" ? sharedRemote : remote;
    return engine ? engine.stats() : Promise.resolve(null);
  },
});

// For tests: the leader page of the shared option's sources (leader.js).
Object.defineProperty(EventSource, Symbol.for("ssewasm.leader"), { value: leaderHook });

if (g.EventSource) g.NativeEventSource = g.EventSource;
g.EventSource = EventSource;

// window.stop() aborts the document's fetches, and the browsers' own EventSource fails its
// connection then (HTML §9.2.3: "if res is an aborted network error, then fail the
// connection"); fetch() reports that abort as a plain network error, so the polyfill learns
// of it here. Sources whose fetch the Go side runs fail there if a fetch is in progress (not
// while they wait to reconnect); those still waiting for the Go side have theirs in progress.
if (g.document && typeof g.stop === "function") {
  const nativeStop = g.stop;
  g.stop = {
    stop() {
      for (const es of waiting) abortSource(es);
      try {
        if (bridge) bridge.stop();
      } catch (err) {
        engineDied(err); // and the page's stop() goes on
      }
      if (remote) remote.stop();
      if (sharedRemote) sharedRemote.stop();
      return nativeStop.call(this);
    },
  }.stop;
}
// The "online" event after an "offline" one: the network is back, and sources that wait to
// re-establish their connection under a retry policy (the retry option) reconnect at once.
// A page's events, or a worker's (WorkerGlobalScope has them too).
if (typeof g.addEventListener === "function") {
  let offline = false;
  g.addEventListener("offline", () => {
    offline = true;
  });
  g.addEventListener("online", () => {
    if (!offline) return;
    offline = false;
    try {
      if (bridge) bridge.online();
    } catch (err) {
      engineDied(err);
    }
    if (remote) remote.online();
    if (sharedRemote) sharedRemote.online();
  });
}
g[marker] = true;
