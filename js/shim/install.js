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

g[marker] = true;
