// Package testserver is a deterministic Server-Sent Events (SSE) server for
// tests, demos and benchmarks of EventSource implementations.
//
// A [Server] is an [net/http.Handler]. All of its state (the request log, the
// per-key request counters, the mounted directories) belongs to that Server
// and is guarded by its mutex; there is no package-level state, so several
// Servers can run side by side (for example one per origin, or one Server
// behind two listeners so that both origins share a log).
//
// # Endpoints
//
// /sse writes one SSE response described by its query parameters:
//
//	body     raw bytes of the response body (URL-escaped: %0D, %0A, %00, %FF
//	         and so on carry CR, LF, NUL and invalid UTF-8 unchanged; as in
//	         any query, a raw "+" means a space, so escape it as %2B)
//	head     bytes written before body (escaped the same way)
//	repeat   N: body is written N times (default 1), between head and tail,
//	         so that large responses need no large URL
//	tail     bytes written after the repeated body
//	split    comma-separated byte offsets into the whole response body (head,
//	         repeated body and tail); the response body is written and
//	         flushed in separate pieces at those offsets, so that CR/LF pairs,
//	         byte order marks and UTF-8 sequences arrive in separate chunks
//	gap      milliseconds to sleep between pieces (default 5)
//	status   HTTP status code (default 200)
//	ctype    Content-Type (default text/event-stream); present but empty
//	         (ctype=) means no Content-Type header at all
//	hold     after the body, keep the response open this many milliseconds
//	         (default 0: end the response at once, so the client reconnects);
//	         a negative value or "forever" holds it until the client goes
//	         away or the Server is closed
//	delay    milliseconds to wait before sending the status line and headers
//	cors     1: add Access-Control-Allow-Origin (echoing the request's
//	         Origin) and Access-Control-Allow-Credentials: true, and answer
//	         OPTIONS preflights, allowing Last-Event-ID and every requested
//	         header
//	redirect N > 0: answer with a redirect (status rcode, default 302) to the
//	         same endpoint with redirect=N-1; rto, when given, is the base URL
//	         (scheme://host:port) of the redirect target, for cross-origin
//	         redirects; the redirected request carries hop=1
//	abort    "head": close the connection without any response (a network
//	         error); "body": write the body (and hold it, if hold says so), then break the connection
//	         instead of ending the response cleanly
//	hdr      an extra response header "Name: value"; may be repeated
//
// Any request with a key parameter is recorded under that key (see
// [Request]); /log?key=K returns the JSON array of what was recorded for K,
// oldest first, with CORS headers so that a page on any origin can read it.
// /log also takes min=N and timeout=MS: it then waits (at most timeout
// milliseconds, default 5000, capped at 30000) until at least N requests are
// recorded for K.
//
// # Sequenced responses
//
// For reconnection scenarios /sse takes seq, a list of response specs
// separated by "|". Each spec is itself a URL query string of the parameters
// above (so a body inside a spec is escaped twice: once inside the spec, once
// more as part of the seq value; encodeURIComponent in JavaScript never
// produces a raw "|", so specs built with it never clash with the
// separator). The parameters given directly on the /sse URL are defaults
// that every spec overrides. The Nth GET request recorded under the
// request's key (counting from 0, counting neither OPTIONS preflights nor
// redirect hops) gets spec N; once the list is used up the last spec
// repeats; a request without a key always gets the first spec. A preflight
// is answered according to the spec that the next GET will get. For example,
// with the seq value shown after its outer unescaping:
//
//	/sse?key=k1&cors=1&seq=body=id%3A%201%0Adata%3A%20a%0A%0A|status=204
//
// The first connection receives "id: 1\ndata: a\n\n" and ends, the second
// (which should carry Last-Event-ID: 1) receives 204 No Content, as do any
// later ones.
//
// # Other endpoints
//
// /ticks streams n numbered events (default 10), one every "every"
// milliseconds (default 0), each "id: I\ndata: tick I" padded with pad extra
// bytes of data, resuming after the request's Last-Event-ID; retry sets a
// retry field first; hold and cors work as for /sse. Once every event has
// been sent, a reconnection gets 204 No Content, which ends the stream. The log
// gives each /ticks request the time its response ended (endMs), once it has.
//
// /set-cookie?name=N&value=V sets a cookie (Path=/, plus SameSite=S when
// samesite=S is given and Max-Age=M when maxage=M is given), always with
// credentialed CORS headers.
//
// Directories mounted with [Server.Mount] are served as static files with
// explicit MIME types (.wasm as application/wasm, .js as text/javascript)
// and Cache-Control: no-store; a precompressed sibling (name.br, name.gz) is
// served instead when the client accepts that encoding.
//
// # Shutting down
//
// [Server.Close] ends every held stream and pending /log wait, so that an
// [net/http/httptest.Server] wrapping the Server can close without hanging:
// call Server.Close before (or from a cleanup registered after) the
// httptest.Server's Close. Held streams also end when the client goes away.
package testserver
