//go:build js && wasm

package fetch

import (
	"errors"
	"strings"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/ascii"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// pageOrigin returns the origin of the global's location (a page or a worker), where fetch()
// applies CORS, or "" outside them (Node.js), where there is no CORS check to fail.
func pageOrigin() string {
	loc, err := safejs.Global().Get("location")
	if err != nil || loc.IsUndefined() || loc.IsNull() {
		return ""
	}
	origin, err := jsfunc.GetString(loc, "origin")
	if err != nil || origin == "null" {
		return ""
	}
	return origin
}

// A failure's verdict: what a probe tells of a fetch() that rejected.
type verdict int

const (
	notCORS   verdict = iota // a network error: re-establish the connection
	maybeCORS                // the server answers: the failure may be a CORS check's
)

// probeCORS tells whether a rejected fetch() of req may have failed a CORS check rather than
// the network, which fetch() reports alike (a TypeError). Browsers fail an EventSource's
// connection on a CORS failure but re-establish it after a network error, so the difference
// matters; but a probe is a request the server sees, and a wrong verdict turns a transient
// fault into a permanent failure. So:
//   - a request from a source that has been open with a response from this URL is never
//     probed: the server passed the check then (req.Opened);
//   - outside a page or worker (Node.js) nothing is probed: there is no CORS;
//   - a same-origin URL can fail CORS only through a redirect to another origin, so its probe
//     is a same-origin fetch that does not follow redirects: only a redirect says maybeCORS;
//   - a cross-origin URL's probe is a "no-cors" fetch, which succeeds (an opaque response)
//     exactly when the server answered.
//
// The caller still retries the real request once before concluding (see Transport.Fetch).
func (t *Transport) probeCORS(ctx *cancel.Scope, req *core.Request) verdict {
	origin := pageOrigin()
	if req.Opened || origin == "" {
		return notCORS
	}
	scheme, host, _ := authority(req.URL)
	mode := "no-cors"
	if ascii.EqualFold(scheme+"://"+host, origin) {
		mode = "same-origin"
	}
	ctrl, promise, err := t.start(ctx, req, mode)
	if err != nil {
		return notCORS
	}
	defer ctrl.stop()
	res, err := await(ctx, "fetch", promise)
	if err != nil {
		return notCORS
	}
	if mode == "same-origin" {
		// A redirect gives an "opaqueredirect" response; an answer of any other kind means
		// no CORS check was involved.
		if typ, err := jsfunc.GetString(res, "type"); err != nil || typ != "opaqueredirect" {
			return notCORS
		}
	}
	return maybeCORS
}

// credentials is the credentials mode of req's fetch.
func credentials(req *core.Request) string {
	if req.WithCredentials {
		return "include"
	}
	return "same-origin"
}

// checkURL reports a URL that fetch() refuses to build a request for, whatever the server: one
// with credentials ("http://user:pass@host/"). Chromium's EventSource fails such a source at
// once; fetch() would reject every attempt without a request reaching the server.
func checkURL(raw string) error {
	if _, host, _ := authority(raw); strings.IndexByte(host, '@') >= 0 {
		return &core.URLError{Err: errors.New("fetch() refuses a URL with credentials (user:password@)")}
	}
	return nil
}

// authority splits an absolute URL into its scheme and its authority (userinfo@host:port, ""
// if it has none), for the checks above: the URLs come serialized by the URL parser (the
// shim's), so no more parsing is needed, and net/url would add about 180 KB to the wasm.
func authority(u string) (scheme, auth string, ok bool) {
	scheme, rest, ok := ascii.Cut(u, ':')
	if !ok || !strings.HasPrefix(rest, "//") {
		return "", "", false
	}
	rest = rest[2:]
	if i := ascii.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	return scheme, rest, true
}
