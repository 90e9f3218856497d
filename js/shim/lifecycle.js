// lifecycle.js: the page's life cycle as its sources see it: window.stop(), the network coming
// back, and the back/forward cache.

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
// The back/forward cache (whatwg/html#12381, not yet merged, which Chromium implements): a page
// that enters it has its sources' fetches aborted, without an event (a fetch in progress keeps
// a page out of the cache), and on its restore they reconnect at once, from their last event
// ID, without an error event: readyState is CONNECTING until the new connection's open event.
// Sources closed meanwhile stay closed. A page that is not kept (persisted false) is unloaded:
// its sources end with it.
if (g.document && typeof g.addEventListener === "function") {
  g.addEventListener("pagehide", (e) => {
    if (!e.persisted) return;
    for (const es of waiting) suspendSource(es);
    suspendInGo();
    if (remote) remote.suspend();
    if (sharedRemote) sharedRemote.suspend();
  });
  g.addEventListener("pageshow", (e) => {
    if (!e.persisted) return;
    for (const es of live) restoreSource(es);
    resumeInGo();
    if (remote) remote.resume(true);
    if (sharedRemote) sharedRemote.resume(true);
  });
}
// A page that leads the shared sources of the origin's pages where there is no shared worker
// (leader.js) and is frozen (Chromium's Page Lifecycle: the document's freeze event; a
// background tab, say) would hold their connections until the others see it has stopped
// answering: it steps down as it freezes, and comes back as another page when it resumes,
// its sources from where they are (their readyState and events go on as if nothing happened).
// (A page restored from the back/forward cache hears resume too, before pageshow: it left at
// pagehide, and comes back at pageshow.)
if (g.document && typeof g.document.addEventListener === "function") {
  let stepped = false;
  g.document.addEventListener("freeze", () => {
    if (!leading) return;
    stepped = true;
    leaderRemote.suspend();
  });
  g.document.addEventListener("resume", () => {
    if (!stepped) return;
    stepped = false;
    leaderRemote.resume(false);
  });
}
