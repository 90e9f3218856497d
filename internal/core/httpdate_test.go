package core

import (
	"math/rand/v2"
	"testing"
	"time"
)

// httpDateLayouts are the three formats of an HTTP-date, as time.Parse layouts.
var httpDateLayouts = []string{"Mon, 02 Jan 2006 15:04:05 GMT", "Monday, 02-Jan-06 15:04:05 GMT", time.ANSIC}

// TestParseHTTPDateAgainstTimeParse checks parseHTTPDate against time.Parse on random times in
// each format.
func TestParseHTTPDateAgainstTimeParse(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		// 1969 to 2068: the years a two-digit year stands for.
		want := time.Unix(r.Int64N(3155760000)-31536000, 0).UTC()
		for _, layout := range httpDateLayouts {
			s := want.Format(layout)
			got, ok := parseHTTPDate(s)
			ref, err := time.Parse(layout, s)
			if err != nil {
				t.Fatalf("time.Parse(%q): %v", s, err)
			}
			if !ok || got != ref.Unix() {
				t.Fatalf("parseHTTPDate(%q) = %v, %v; time.Parse: %v", s, got, ok, ref)
			}
		}
	}
}

func TestParseHTTPDate(t *testing.T) {
	t.Parallel()
	nov6 := time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time // zero: not an HTTP-date
	}{
		{"Sun, 06 Nov 1994 08:49:37 GMT", nov6},
		{"Sunday, 06-Nov-94 08:49:37 GMT", nov6},
		{"Sun Nov  6 08:49:37 1994", nov6},
		{"Sun Nov 06 08:49:37 1994", nov6},      // as time.Parse reads asctime's day
		{"Mon, 06 Nov 1994 08:49:37 GMT", nov6}, // the day of the week is not checked
		{"Sunday, 06-Nov-68 08:49:37 GMT", time.Date(2068, 11, 6, 8, 49, 37, 0, time.UTC)},
		{"Sat, 01 Jan 0000 00:00:00 GMT", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"Tue, 29 Feb 2000 23:59:59 GMT", time.Date(2000, 2, 29, 23, 59, 59, 0, time.UTC)},
		{"Fri, 31 Dec 9999 23:59:59 GMT", time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)},
		{"Tue, 29 Feb 1900 00:00:00 GMT", time.Time{}}, // not a leap year
		{"Sun, 06 Nov 1994 08:49:37 UTC", time.Time{}}, // an HTTP-date is in GMT
		{"Sun, 06 Nov 1994 08:49:37", time.Time{}},
		{"Sun, 6 Nov 1994 08:49:37 GMT", time.Time{}},
		{"Sun, 31 Feb 1994 08:49:37 GMT", time.Time{}},
		{"Sun, 06 Nov 1994 24:00:00 GMT", time.Time{}},
		{"Sun, 06 Nov 1994 08:60:00 GMT", time.Time{}},
		{"Sun, 06 Nov 1994 08:49:60 GMT", time.Time{}},
		{"Sun, 06 Nov 1994 08:49:37 GMT ", time.Time{}},
		{"Sun, 06 Nov 1994 08:49:37 GMTX", time.Time{}},
		{"Sunday, 06 Nov 1994 08:49:37 GMT", time.Time{}},
		{"Sun, 06-Nov-94 08:49:37 GMT", time.Time{}},
		{"Sun Nov  6 08:49:37 94", time.Time{}},
		{"Xyz, 06 Nov 1994 08:49:37 GMT", time.Time{}},
		{"", time.Time{}},
		{"3", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := parseHTTPDate(tt.in)
		if ok != !tt.want.IsZero() || (ok && got != tt.want.Unix()) {
			t.Errorf("parseHTTPDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
}

// FuzzParseHTTPDate checks that whatever parseHTTPDate accepts, time.Parse reads the same
// way in one of the formats.
func FuzzParseHTTPDate(f *testing.F) {
	for _, s := range []string{"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994", "Sun Nov 16 08:49:37 1994"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseHTTPDate(s)
		if !ok {
			return
		}
		for _, layout := range httpDateLayouts {
			if ref, err := time.Parse(layout, s); err == nil && ref.Unix() == got {
				return
			}
		}
		t.Errorf("parseHTTPDate(%q) = %v, which time.Parse reads in no format", s, got)
	})
}
