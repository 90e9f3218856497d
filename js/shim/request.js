// request.js: the one builder of the polyfill's requests, fetch()'s RequestInit: for the first
// request, which the constructor starts while the wasm loads, and for every request of the Go
// side, which describes it through the bridge (request in run.js; internal/fetch's
// Transport.Request). internal/fetch's own builder, for the Go API compiled to wasm (which has
// no shim), is tested to build the same (TestRequestInitMatchesTheShim).

// requestInit returns the RequestInit of an EventSource request (HTML §9.2.2, the constructor,
// steps 8-11, with the options): method; headers, the options' as "name\rvalue\r..." (values
// as byte strings: one code unit per byte of their UTF-8), beside Accept; lastEventId, sent
// as Last-Event-ID unless empty (a byte string too); body, a Uint8Array or undefined;
// withCredentials, which picks the credentials mode; signal. With probe, it is the CORS probe
// instead (internal/fetch's probeCORS): a "no-cors" fetch, or a "same-origin" one that follows
// no redirect.
const requestInit = (method, headers, lastEventId, body, withCredentials, signal, probe) => {
  const credentials = withCredentials ? "include" : "same-origin";
  if (probe) {
    const init = { mode: probe, credentials, cache: "no-store", signal };
    if (probe === "same-origin") init.redirect = "manual";
    return init;
  }
  const h = {};
  if (headers) {
    const parts = headers.split("\r");
    for (let i = 0; i + 1 < parts.length; i += 2) h[parts[i]] = parts[i + 1];
  }
  h.Accept = "text/event-stream";
  // HTML §9.2.3 "reestablish the connection" step 6.2: the last event ID string, encoded as
  // UTF-8, as the `Last-Event-ID` header.
  if (lastEventId) h["Last-Event-ID"] = lastEventId;
  const init = { method: method || "GET", headers: h, mode: "cors", credentials, cache: "no-store", redirect: "follow", signal };
  if (body !== undefined) init.body = body;
  return init;
};
