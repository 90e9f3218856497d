// options.js: the checks of the extensions of the constructor's init dictionary, which follow
// the option schema, internal/protocol/options.json (tested against it: options.test.mjs).

// readOptions checks the extensions of the init dictionary (README, "Options") and returns
// them normalized for the Go side, or null when there are none. A bad value throws a
// TypeError that names the option; unknown keys of retry are errors too.
const readOptions = (init) => {
  if (init == null) return null;
  const bad = (name, want) => {
    throw new TypeError(`Failed to construct 'EventSource': option ${name}: ${want}`);
  };
  const o = {};
  const { headers, method, body, lastEventId, retry, idleTimeout, signal, lastEventIdParam, worker, shared } = init;
  if (headers !== undefined) {
    if (typeof headers === "function") {
      if (shared === true) bad("shared", "takes headers as an object or a Headers, not a function (the connection outlives any one page)");
      o.headers = async () => headerPairs(await headers(), bad);
    } else if (headers !== null && typeof headers === "object") {
      const pairs = headerPairs(headers, bad);
      o.headers = () => Promise.resolve(pairs);
      o.headers.pairs = pairs; // for a shared connection (remote.js)
    } else bad("headers", "must be an object, a Headers or a function");
  }
  if (method !== undefined) {
    if (typeof method !== "string" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method)) bad("method", "must be an HTTP method name");
    if (/^(CONNECT|TRACE|TRACK)$/i.test(method)) bad("method", `${method} is forbidden by fetch()`);
    o.method = method;
  }
  if (body !== undefined && body !== null) {
    if (typeof body === "string") o.body = new TextEncoder().encode(body);
    else if (body instanceof ArrayBuffer) o.body = new Uint8Array(body.slice(0));
    else if (ArrayBuffer.isView(body)) o.body = new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
    else bad("body", "must be a string, an ArrayBuffer or a typed array");
    if (!o.method || /^(GET|HEAD)$/i.test(o.method)) bad("body", "needs a method other than GET and HEAD");
  }
  if (lastEventId !== undefined) {
    if (typeof lastEventId !== "string" || /[\0\r\n]/.test(lastEventId)) bad("lastEventId", "must be a string without NUL, CR or LF");
    o.lastEventId = lastEventId;
  }
  if (retry !== undefined) {
    if (retry === null || typeof retry !== "object") bad("retry", "must be an object");
    const known = { initialDelay: [0, Infinity], maxDelay: [0, Infinity], factor: [1, 1e6], jitter: [0, 1], maxAttempts: [0, 2 ** 31 - 1] };
    o.retry = {};
    for (const key of Object.keys(retry)) {
      const v = retry[key];
      if (key === "retryServerErrors") {
        if (typeof v !== "boolean") bad("retry.retryServerErrors", "must be a boolean");
      } else if (!known[key]) {
        bad(`retry.${key}`, "is not an option (initialDelay, maxDelay, factor, jitter, maxAttempts, retryServerErrors)");
      } else if (typeof v !== "number" || !Number.isFinite(v) || v < known[key][0] || v > known[key][1] || (key === "maxAttempts" && !Number.isInteger(v))) {
        bad(`retry.${key}`, `must be a ${key === "maxAttempts" ? "whole " : ""}number from ${known[key][0]} to ${known[key][1]}`);
      }
      o.retry[key] = v;
    }
  }
  if (idleTimeout !== undefined) {
    if (typeof idleTimeout !== "number" || !Number.isFinite(idleTimeout) || idleTimeout < 0) bad("idleTimeout", "must be a number of milliseconds, 0 or more");
    o.idleTimeout = idleTimeout;
  }
  if (signal !== undefined) {
    if (typeof AbortSignal !== "function" || !(signal instanceof AbortSignal)) bad("signal", "must be an AbortSignal");
    o.signal = signal;
  }
  if (lastEventIdParam !== undefined) {
    if (typeof lastEventIdParam !== "string" || lastEventIdParam === "") bad("lastEventIdParam", "must be a non-empty string");
    o.lastEventIdParam = lastEventIdParam;
  }
  if (worker !== undefined) {
    if (typeof worker !== "boolean") bad("worker", "must be a boolean");
    o.worker = worker;
  }
  if (shared !== undefined) {
    if (typeof shared !== "boolean") bad("shared", "must be a boolean");
    o.shared = shared;
  }
  return Object.keys(o).length ? o : null;
};

// headerPairs turns an object or a Headers into [name, value] pairs, checked by Headers.
const headerPairs = (h, bad) => {
  if (h === null || (typeof h !== "object")) bad("headers", "the function must return an object or a Headers");
  try {
    return [...new Headers(h)];
  } catch (e) {
    bad("headers", e.message);
  }
};
