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
	for _, form := range httpDateForms {
		if unix, ok = readHTTPDate(s, form); ok {
			return unix, true
		}
	}
	return 0, false
}

// httpDateForms are the three formats of an HTTP-date, as readHTTPDate reads them: 'w' is a
// day's short name and 'W' its long name, 'b' a month's short name; 'Y', 'D', 'h', 'i' and
// 's' are one digit of the year, the day, the hour, the minute and the second; 'e' is a day of
// one or two digits and '_' a space that may be missing (asctime pads a day of one digit with
// one); any other byte stands for itself.
var httpDateForms = [...]string{
	"w, DD b YYYY hh:ii:ss GMT", // IMF-fixdate
	"W, DD-b-YY hh:ii:ss GMT",   // RFC 850
	"w b _e hh:ii:ss YYYY",      // asctime
}

var (
	shortDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	longDays  = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	months    = []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
)

// readHTTPDate reads s in form, one of httpDateForms, as seconds since the Unix epoch.
func readHTTPDate(s, form string) (unix int64, ok bool) {
	var year, month, day, hour, minute, sec, yearDigits int
	i := 0
	for k := 0; k < len(form); k++ {
		c := form[k]
		var field *int
		switch c {
		case 'Y':
			field = &year
			yearDigits++
		case 'D', 'e':
			field = &day
		case 'h':
			field = &hour
		case 'i':
			field = &minute
		case 's':
			field = &sec
		}
		switch {
		case c == 'w' || c == 'W' || c == 'b':
			names := shortDays
			if c == 'W' {
				names = longDays
			} else if c == 'b' {
				names = months
			}
			n, length := readName(s[i:], names)
			if n == 0 {
				return 0, false
			}
			if c == 'b' {
				month = n
			}
			i += length
		case c == '_':
			if i < len(s) && s[i] == ' ' {
				i++
			}
		case field != nil:
			if !isDigit(s, i) {
				return 0, false
			}
			*field = *field*10 + int(s[i]-'0')
			i++
			if c == 'e' && isDigit(s, i) {
				*field = *field*10 + int(s[i]-'0')
				i++
			}
		case i < len(s) && s[i] == c:
			i++
		default:
			return 0, false
		}
	}
	if yearDigits == 2 {
		// A two-digit year is 19xx from 69, else 20xx, as time.Parse reads one.
		year += 1900
		if year < 1969 {
			year += 100
		}
	}
	if i != len(s) || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return 0, false // (31 Feb and the like too)
	}
	return daysSinceEpoch(year, month, day)*86400 + int64(hour*3600+minute*60+sec), true
}

// readName returns the number (from 1) of the name in names that s starts with, and its
// length; 0 if there is none.
func readName(s string, names []string) (n, length int) {
	for k, name := range names {
		if len(s) >= len(name) && s[:len(name)] == name {
			return k + 1, len(name)
		}
	}
	return 0, 0
}

// isDigit reports whether s has a decimal digit at i.
func isDigit(s string, i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }

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
