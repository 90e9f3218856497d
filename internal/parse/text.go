package parse

import "unicode/utf8"

// Buffers, and the bytes of fields: digits, and text decoded as the Encoding standard's UTF-8
// decode does.

// maxKeep is the largest buffer capacity kept from one event to the next.
const maxKeep = 4 << 20

var bom = []byte{0xEF, 0xBB, 0xBF}

// appendGrow appends b to dst, doubling dst's capacity when it must grow.
func appendGrow(dst, b []byte) []byte { return append(reserve(dst, len(b)), b...) }

// reserve makes room for n more bytes in dst, doubling its capacity when it must grow, and
// from a megabyte on quadrupling it: append grows large slices by only about 1.25 times, which
// would copy a buffer that grows to megabytes many times over (buffers over maxKeep are not
// kept after the event, so the larger factor costs memory only while a big event arrives).
func reserve(dst []byte, n int) []byte {
	if len(dst)+n > cap(dst) && cap(dst) >= 1024 {
		return grow(dst, n) // apart, so that reserve is inlined
	}
	return dst
}

// grow is reserve's slow path.
func grow(dst []byte, n int) []byte {
	factor := 2
	if cap(dst) >= 1<<20 {
		factor = 4
	}
	grown := make([]byte, len(dst), max(factor*cap(dst), len(dst)+n))
	copy(grown, dst)
	return grown
}

// parseDigits parses a non-empty run of ASCII digits, saturating at [MaxRetry].
func parseDigits(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n < MaxRetry {
			n = n*10 + int64(c-'0')
		}
	}
	return min(n, MaxRetry), true
}

// appendText appends b to dst as UTF-8 decoded by the WHATWG Encoding standard's "UTF-8 decode":
// valid input is appended as is; each maximal invalid subsequence becomes one U+FFFD.
func appendText(dst, b []byte) []byte {
	if utf8.Valid(b) {
		return append(dst, b...)
	}
	return appendReplacing(dst, b)
}

// appendReplacing is the slow path of appendText, following the Encoding standard's UTF-8
// decoder (§9.1.1) byte by byte: a lead byte sets how many continuation bytes are needed and
// their allowed range for the first one; a byte outside it ends the sequence with one U+FFFD and
// is then processed again.
func appendReplacing(dst, b []byte) []byte {
	const replacement = "\uFFFD"
	var (
		need, seen int // continuation bytes needed and seen
		lower      byte
		upper      byte
		start      int // index of the current sequence's lead byte
	)
	for i := 0; i < len(b); i++ {
		c := b[i]
		if need == 0 {
			switch {
			case c < 0x80:
				dst = append(dst, c)
				continue
			case c >= 0xC2 && c <= 0xDF:
				need = 1
			case c >= 0xE0 && c <= 0xEF:
				need = 2
			case c >= 0xF0 && c <= 0xF4:
				need = 3
			default:
				dst = append(dst, replacement...)
				continue
			}
			lower, upper = 0x80, 0xBF
			switch c {
			case 0xE0:
				lower = 0xA0
			case 0xED:
				upper = 0x9F
			case 0xF0:
				lower = 0x90
			case 0xF4:
				upper = 0x8F
			}
			seen, start = 0, i
			continue
		}
		if c < lower || c > upper {
			// The sequence so far is invalid: one U+FFFD, then this byte starts afresh.
			need, seen = 0, 0
			dst = append(dst, replacement...)
			i--
			continue
		}
		lower, upper = 0x80, 0xBF
		seen++
		if seen == need {
			dst = append(dst, b[start:i+1]...)
			need, seen = 0, 0
		}
	}
	if need != 0 {
		// End of input inside a sequence: one U+FFFD for it.
		dst = append(dst, replacement...)
	}
	return dst
}
