// Package ascii holds the byte-wise text functions of the URL, MIME Sniffing and Fetch
// standards ("ASCII lowercase", "ASCII case-insensitive", stripping HTTP whitespace), where the
// strings package's Unicode-aware ones would be wrong or cost more: strings.ToLower,
// EqualFold, Trim and IndexAny bring their Unicode tables and paths into the wasm.
package ascii

// Lower returns s with its ASCII upper-case letters lower-cased ("ASCII lowercase"); other
// bytes are kept. It returns s itself when it has none.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		if isUpper(s[i]) {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if isUpper(b[j]) {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// EqualFold reports whether a and b are equal but for the case of ASCII letters ("ASCII
// case-insensitive" match).
func EqualFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if isUpper(x) {
			x += 'a' - 'A'
		}
		if isUpper(y) {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// IndexAny returns the index of the first byte of s that is one of the bytes of chars, or -1.
func IndexAny(s, chars string) int {
	for i := 0; i < len(s); i++ {
		if in(s[i], chars) {
			return i
		}
	}
	return -1
}

// Trim returns s without the bytes of cutset at either end.
func Trim(s, cutset string) string {
	for len(s) > 0 && in(s[0], cutset) {
		s = s[1:]
	}
	return TrimRight(s, cutset)
}

// TrimRight returns s without the bytes of cutset at its end.
func TrimRight(s, cutset string) string {
	for len(s) > 0 && in(s[len(s)-1], cutset) {
		s = s[:len(s)-1]
	}
	return s
}

// Cut slices s around the first sep byte, as strings.Cut does for a one-byte separator
// (without strings.Index, which brings its Rabin-Karp search along).
func Cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// in reports whether c is one of the bytes of set.
func in(c byte, set string) bool {
	for i := 0; i < len(set); i++ {
		if set[i] == c {
			return true
		}
	}
	return false
}

// HTTPWhitespace is the Fetch standard's HTTP whitespace: tab, LF, CR and space.
const HTTPWhitespace = "\t\n\r "

// Join returns the elements of elems joined by sep.
func Join(elems []string, sep string) string {
	n := 0
	for i, e := range elems {
		if i > 0 {
			n += len(sep)
		}
		n += len(e)
	}
	b := make([]byte, 0, n)
	for i, e := range elems {
		if i > 0 {
			b = append(b, sep...)
		}
		b = append(b, e...)
	}
	return string(b)
}
