package core

import (
	"strings"

	"github.com/ssewasm/eventsource/internal/ascii"
)

// isEventStream reports whether a Content-Type header value has the MIME type essence
// "text/event-stream", as the Fetch standard's "extract a MIME type" reads it: the header's
// comma-separated values are parsed in turn and the last one that parses as a MIME type (other
// than "*/*") wins; parameters such as "; charset=utf-8" are allowed.
func isEventStream(header string) bool {
	essence := ""
	for _, value := range splitHeaderValues(header) {
		if e, ok := mimeEssence(value); ok && e != "*/*" {
			essence = e
		}
	}
	return essence == "text/event-stream"
}

// splitHeaderValues splits a header value on commas outside quoted strings (Fetch, "get,
// decode, and split").
func splitHeaderValues(s string) []string {
	var values []string
	start, quoted := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case c == '\\' && quoted:
			i++
		case c == ',' && !quoted:
			values = append(values, s[start:i])
			start = i + 1
		}
	}
	return append(values, s[start:])
}

// mimeEssence parses the type and subtype of a MIME type (MIME Sniffing, "parse a MIME type",
// steps 1-10) and returns them lower-cased as "type/subtype".
func mimeEssence(s string) (string, bool) {
	s = ascii.Trim(s, ascii.HTTPWhitespace)
	slash := strings.IndexByte(s, '/')
	if slash <= 0 || !isToken(s[:slash]) {
		return "", false
	}
	sub := s[slash+1:]
	if semi := strings.IndexByte(sub, ';'); semi >= 0 {
		sub = sub[:semi]
	}
	sub = ascii.TrimRight(sub, ascii.HTTPWhitespace)
	if sub == "" || !isToken(sub) {
		return "", false
	}
	return ascii.Lower(s[:slash] + "/" + sub), true
}

// isToken reports whether s holds only HTTP token code points.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 || c <= ' ' || strings.IndexByte("\"(),/:;<=>?@[\\]{}\x7f", c) >= 0 {
			return false
		}
	}
	return true
}

// Origin returns the ASCII serialization of the origin of an absolute URL (HTML, "serialization
// of an origin"): "scheme://host[:port]" for http, https, ws and wss, with the scheme's default
// port left out, the origin of the inner URL for blob: URLs, and "null" for every other URL,
// whose origin is opaque. u is expected in the URL Standard's serialized form (a fetch
// response's URL, or a URL net/url formatted), whose scheme and host are already lower-case.
func Origin(u string) string {
	colon := strings.IndexByte(u, ':')
	if colon < 0 {
		return "null"
	}
	scheme, rest := ascii.Lower(u[:colon]), u[colon+1:]
	if scheme == "blob" {
		return Origin(rest)
	}
	var defaultPort string
	switch scheme {
	case "http", "ws":
		defaultPort = "80"
	case "https", "wss":
		defaultPort = "443"
	default:
		return "null"
	}
	if !strings.HasPrefix(rest, "//") {
		return "null"
	}
	host := rest[2:]
	if end := ascii.IndexAny(host, "/?#"); end >= 0 {
		host = host[:end]
	}
	if at := strings.LastIndexByte(host, '@'); at >= 0 {
		host = host[at+1:]
	}
	if colon := strings.LastIndexByte(host, ':'); colon >= 0 && strings.IndexByte(host[colon:], ']') < 0 {
		if port := host[colon+1:]; port == "" || port == defaultPort {
			host = host[:colon]
		}
	}
	if host == "" {
		return "null"
	}
	return scheme + "://" + ascii.Lower(host)
}
