package ascii

import (
	"strings"
	"testing"
	"testing/quick"
	"unicode/utf8"
)

func TestLower(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"text/event-stream", "text/event-stream"},
		{"Text/Event-STREAM", "text/event-stream"},
		{"HTTPS", "https"},
		{"\u212A", "\u212A"}, // the Kelvin sign is not ASCII: strings.ToLower would make it "k"
		{"ÀB\xff", "Àb\xff"},
	} {
		if got := Lower(tc.in); got != tc.want {
			t.Errorf("Lower(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestAgainstStrings checks the functions against the strings package's on ASCII input, where
// they must agree.
func TestAgainstStrings(t *testing.T) {
	ascii := func(s string) string {
		b := []byte(s)
		for i := range b {
			b[i] &= 0x7f
		}
		return string(b)
	}
	checks := map[string]any{
		"Lower": func(s string) bool { s = ascii(s); return Lower(s) == strings.ToLower(s) },
		"EqualFold": func(a, b string) bool {
			a, b = ascii(a), ascii(b)
			return EqualFold(a, b) == strings.EqualFold(a, b) && EqualFold(a, strings.ToUpper(a))
		},
		"IndexAny": func(s, chars string) bool {
			s, chars = ascii(s), ascii(chars)
			return IndexAny(s, chars) == strings.IndexAny(s, chars)
		},
		"Trim": func(s, cut string) bool { s, cut = ascii(s), ascii(cut); return Trim(s, cut) == strings.Trim(s, cut) },
		"TrimRight": func(s, cut string) bool {
			s, cut = ascii(s), ascii(cut)
			return TrimRight(s, cut) == strings.TrimRight(s, cut)
		},
		"Join": func(elems []string, sep string) bool { return Join(elems, sep) == strings.Join(elems, sep) },
		"Cut": func(s string, sep byte) bool {
			s, sep = ascii(s), sep&0x7f
			b, a, f := Cut(s, sep)
			wb, wa, wf := strings.Cut(s, string(rune(sep)))
			return b == wb && a == wa && f == wf
		},
	}
	for name, f := range checks {
		if err := quick.Check(f, &quick.Config{MaxCount: 2000}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestEqualFoldIsByteWise(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"https://A.example", "https://a.example", true},
		{"abc", "abcd", false},
		{"\u212A", "k", false}, // strings.EqualFold says true
		{"é", "É", false},      // not ASCII
	} {
		if got := EqualFold(tc.a, tc.b); got != tc.want {
			t.Errorf("EqualFold(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
	if !utf8.ValidString(Lower("Ä")) {
		t.Error("Lower broke UTF-8")
	}
}
