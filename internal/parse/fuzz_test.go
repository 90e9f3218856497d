package parse

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks, for any input and any chunking of it, that the parser does not panic, that
// the chunking changes nothing (the events, retries and last event ID equal those of one Feed of
// the whole input), and that what it reports is well formed: valid UTF-8, no CR or LF outside
// data, no CR in data, no NUL in an ID.
func FuzzParse(f *testing.F) {
	for _, tc := range parseCases {
		f.Add([]byte(tc.input), []byte{1, 3, 2})
	}
	f.Add([]byte("data: a\r\n\r\n"), []byte{8, 1, 1})
	f.Add([]byte("\xEF\xBB\xBFdata: \xE2\x82\xAC\n\n"), []byte{1, 1, 5})
	f.Fuzz(func(t *testing.T, in, cuts []byte) {
		want := parseChunks(in)
		var chunks [][]byte
		rest := in
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if len(cuts) > 0 {
				n = min(int(cuts[i%len(cuts)]), n)
			}
			chunks = append(chunks, rest[:n]) // a zero-length chunk is allowed too
			rest = rest[n:]
			if i > 4*len(in)+8 {
				chunks = append(chunks, rest)
				break
			}
		}
		got := parseChunks(chunks...)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("parse(%q) in chunks %q\n got %+v\nwant %+v", in, chunks, got, want)
		}
		// Data in pieces (PieceHandler) of 1 to 16 bytes, or raw (SetRawData) and decoded
		// piece by piece, changes nothing either.
		size := 1
		if len(cuts) > 0 {
			size += int(cuts[0] % 16)
		}
		for _, raw := range []bool{false, true} {
			if got := parseChunksPieces(size, raw, chunks...); !reflect.DeepEqual(got, want) {
				t.Fatalf("parse(%q) in chunks %q, pieces of %d, raw %v\n got %+v\nwant %+v", in, chunks, size, raw, got, want)
			}
		}
		if got := parseChunksPieces(0, true, chunks...); !reflect.DeepEqual(got, want) {
			t.Fatalf("parse(%q) in chunks %q, raw\n got %+v\nwant %+v", in, chunks, got, want)
		}
		for _, e := range got.Events {
			for _, s := range []string{e.Type, e.Data, e.ID} {
				if !utf8.ValidString(s) {
					t.Fatalf("event %+v is not valid UTF-8", e)
				}
			}
			if strings.ContainsAny(e.Type+e.ID, "\r\n") || strings.ContainsRune(e.Data, '\r') {
				t.Fatalf("event %+v holds a line end", e)
			}
			if strings.ContainsRune(e.ID, 0) {
				t.Fatalf("event %+v has NUL in its id", e)
			}
		}
		for _, ms := range got.Retries {
			if ms < 0 || ms > MaxRetry {
				t.Fatalf("retry %d out of range", ms)
			}
		}
	})
}

// FuzzUTF8 checks the decoder against the standard library where their rules agree: valid input
// is unchanged, and the output is always valid UTF-8 that decodes every valid sequence of the
// input to itself.
func FuzzUTF8(f *testing.F) {
	f.Add([]byte("a\xE2\x82b\xF0\x9F\x98\x80\xED\xA0\x80\xC0\xAF"))
	f.Fuzz(func(t *testing.T, in []byte) {
		out := appendText(nil, in)
		if !utf8.Valid(out) {
			t.Fatalf("appendText(%q) = %q, not valid UTF-8", in, out)
		}
		if utf8.Valid(in) && string(out) != string(in) {
			t.Fatalf("appendText(%q) = %q, want it unchanged", in, out)
		}
		// Each U+FFFD stands for at least one input byte, and never more than 3 bytes.
		if n := strings.Count(string(out), "\uFFFD") - strings.Count(string(in), "\uFFFD"); n > len(in) {
			t.Fatalf("appendText(%q) = %q: %d replacements for %d bytes", in, out, n, len(in))
		}
		if strings.ToValidUTF8(string(in), "") != strings.ReplaceAll(string(out), "\uFFFD", "") &&
			!strings.Contains(string(in), "\uFFFD") {
			t.Fatalf("appendText(%q) = %q drops or adds valid text", in, out)
		}
	})
}
