package core

import (
	"strings"

	"github.com/ssewasm/eventsource/internal/ascii"
)

// withQueryParam returns u with the query parameter name set to value: an existing parameter of
// that name is replaced, and the fragment is kept last.
func withQueryParam(u, name, value string) string {
	fragment := ""
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u, fragment = u[:i], u[i:]
	}
	base, query, _ := ascii.Cut(u, '?')
	b := []byte(base + "?")
	for more := query != ""; more; {
		var p string
		p, query, more = ascii.Cut(query, '&')
		if key, _, _ := ascii.Cut(p, '='); key != queryEscape(name) && key != name {
			b = append(b, p...)
			b = append(b, '&')
		}
	}
	b = append(b, queryEscape(name)+"="+queryEscape(value)+fragment...)
	return string(b)
}

// queryEscape percent-encodes s for a query component (application/x-www-form-urlencoded
// without turning spaces into "+"): every byte but ASCII letters, digits and -._~ is escaped.
func queryEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
