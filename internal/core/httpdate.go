package core

// parseHTTPDate parses an HTTP-date (RFC 9110 §5.6.7) in any of its three formats, as a
// recipient must: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"), the obsolete RFC 850 format
// ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime's ("Sun Nov  6 08:49:37 1994"), and returns
// it as seconds since the Unix epoch. The day of the week is checked for its form and otherwise
// ignored, as time.Parse does; a two-digit year is 19xx from 69, else 20xx, as time.Parse reads
// one. It is written out, with its own calendar arithmetic, rather than left to time.Parse and
// time.Date, whose layout interpreter and time zone code are a large part of the polyfill's
// wasm.
func parseHTTPDate(s string) (unix int64, ok bool) {
	p := dateParser{s: s}
	var day, month, year, hour, minute, sec int
	switch {
	case p.weekday(true) && p.lit(", "): // IMF-fixdate
		day, month, year = p.num(2, 2), p.after(" ", p.month), p.after(" ", func() int { return p.num(4, 4) })
		hour, minute, sec = p.clock(" ")
		p.lit(" GMT")
	case p.rewind() && p.weekday(false) && p.lit(", "): // RFC 850
		day, month = p.num(2, 2), p.after("-", p.month)
		year = p.after("-", func() int { return p.num(2, 2) })
		if year >= 0 {
			year += 1900
			if year < 1969 {
				year += 100
			}
		}
		hour, minute, sec = p.clock(" ")
		p.lit(" GMT")
	case p.rewind() && p.weekday(true) && p.lit(" "): // asctime
		month = p.month()
		if p.lit(" ") && p.i < len(s) && s[p.i] == ' ' {
			p.i++ // a day of one digit, padded with a space
		}
		day = p.num(1, 2)
		hour, minute, sec = p.clock(" ")
		year = p.after(" ", func() int { return p.num(4, 4) })
	default:
		return 0, false
	}
	if p.bad || p.i != len(s) || month < 1 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return 0, false // (31 Feb and the like too)
	}
	return daysSinceEpoch(year, month, day)*86400 + int64(hour*3600+minute*60+sec), true
}

// daysIn returns the number of days in month (1 to 12) of year, in the proleptic Gregorian
// calendar.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysSinceEpoch returns the number of days from 1970-01-01 to the date (negative before it):
// the count of days of a civil date, shifted so that years begin on 1 March and leap days
// come last.
func daysSinceEpoch(year, month, day int) int64 {
	y := int64(year)
	if month <= 2 {
		y--
	}
	era := y / 400
	if y < 0 {
		era = (y - 399) / 400 // January and February of year 0: in the era before
	}
	yoe := y - era*400
	mp := int64((month + 9) % 12) // March is 0
	doy := (153*mp+2)/5 + int64(day) - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// dateParser reads an HTTP-date from s at i; bad records that something did not match.
type dateParser struct {
	s   string
	i   int
	bad bool
}

var (
	shortDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	longDays  = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months    = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// rewind starts over; it reports true, to chain in a case.
func (p *dateParser) rewind() bool {
	p.i, p.bad = 0, false
	return true
}

// lit reads lit, reporting whether it was there (and recording bad if not).
func (p *dateParser) lit(lit string) bool {
	if len(p.s)-p.i >= len(lit) && p.s[p.i:p.i+len(lit)] == lit {
		p.i += len(lit)
		return true
	}
	p.bad = true
	return false
}

// oneOf reads one of names, returning its index, or -1.
func (p *dateParser) oneOf(names []string) int {
	for k, name := range names {
		if len(p.s)-p.i >= len(name) && p.s[p.i:p.i+len(name)] == name {
			p.i += len(name)
			return k
		}
	}
	p.bad = true
	return -1
}

// weekday reads a day name, short or long; it reports whether there was one (without recording
// bad, so that the next format can be tried).
func (p *dateParser) weekday(short bool) bool {
	names := longDays
	if short {
		names = shortDays
	}
	if p.oneOf(names) < 0 {
		p.bad = false
		return false
	}
	return true
}

// month reads a month's name and returns its number (1 to 12).
func (p *dateParser) month() int { return p.oneOf(months) + 1 }

// num reads min to max decimal digits.
func (p *dateParser) num(min, max int) int {
	n, k := 0, 0
	for ; k < max && p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9'; k++ {
		n = n*10 + int(p.s[p.i]-'0')
		p.i++
	}
	if k < min {
		p.bad = true
		return -1
	}
	return n
}

// after reads sep, then what read reads.
func (p *dateParser) after(sep string, read func() int) int {
	if !p.lit(sep) {
		return -1
	}
	return read()
}

// clock reads sep and hh:mm:ss.
func (p *dateParser) clock(sep string) (h, m, s int) {
	h = p.after(sep, func() int { return p.num(2, 2) })
	m = p.after(":", func() int { return p.num(2, 2) })
	s = p.after(":", func() int { return p.num(2, 2) })
	return h, m, s
}
