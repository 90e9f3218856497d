package testserver

import (
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// defaultGap is the pause between the pieces of a split body.
const defaultGap = 5 * time.Millisecond

// maxBody bounds the size of a repeated body.
const maxBody = 64 << 20

// spec describes one /sse response; see the package documentation for the
// parameters it is parsed from.
type spec struct {
	body     []byte
	split    []int
	gap      time.Duration
	status   int
	ctype    string // used when noCtype is false
	noCtype  bool   // ctype= was given empty: send no Content-Type
	hold     time.Duration
	forever  bool // hold until the client or the Server goes away
	delay    time.Duration
	cors     bool
	redirect int
	rcode    int
	rto      string
	abort    string
	hdrs     [][2]string
	params   url.Values // the parameters the spec was parsed from
}

// selectSpec returns the parameters that apply to the request numbered idx
// (see Request.Seq): q itself, or, when q has seq, q without seq overridden
// by the idx-th spec of seq (the last one once the list is used up).
func selectSpec(q url.Values, idx int) (url.Values, error) {
	seq, ok := q["seq"]
	if !ok {
		return q, nil
	}
	specs := strings.Split(strings.Join(seq, "|"), "|")
	if idx >= len(specs) {
		idx = len(specs) - 1
	}
	if idx < 0 {
		idx = 0
	}
	over, err := url.ParseQuery(specs[idx])
	if err != nil {
		return nil, fmt.Errorf("seq spec %d: %v", idx, err)
	}
	merged := url.Values{}
	for k, v := range q {
		if k != "seq" {
			merged[k] = v
		}
	}
	for k, v := range over {
		merged[k] = v
	}
	return merged, nil
}

// parseSpec turns query parameters into a spec.
func parseSpec(q url.Values) (spec, error) {
	sp := spec{
		gap:    defaultGap,
		status: 200,
		ctype:  "text/event-stream",
		rcode:  302,
		rto:    strings.TrimSuffix(q.Get("rto"), "/"),
		abort:  q.Get("abort"),
		cors:   q.Get("cors") == "1",
		params: q,
	}
	var err error
	repeat, err := intParam(q, "repeat", 1)
	if err != nil {
		return sp, err
	}
	unit := q.Get("body")
	if repeat < 0 || repeat*len(unit) > maxBody {
		return sp, fmt.Errorf("repeat=%d: body of %d bytes too large", repeat, repeat*len(unit))
	}
	sp.body = []byte(q.Get("head") + strings.Repeat(unit, repeat) + q.Get("tail"))
	if v, ok := q["ctype"]; ok {
		sp.ctype = v[0]
		sp.noCtype = v[0] == ""
	}
	if v := q.Get("split"); v != "" {
		for _, f := range strings.Split(v, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil {
				return sp, fmt.Errorf("split: %v", err)
			}
			if n > 0 && n < len(sp.body) {
				sp.split = append(sp.split, n)
			}
		}
		sort.Ints(sp.split)
	}
	if sp.gap, err = millis(q, "gap", defaultGap); err != nil {
		return sp, err
	}
	if sp.delay, err = millis(q, "delay", 0); err != nil {
		return sp, err
	}
	if v := q.Get("hold"); v == "forever" {
		sp.forever = true
	} else if sp.hold, err = millis(q, "hold", 0); err != nil {
		return sp, err
	} else if sp.hold < 0 {
		sp.forever = true
	}
	if sp.status, err = intParam(q, "status", 200); err != nil {
		return sp, err
	}
	if sp.status < 100 || sp.status > 999 {
		return sp, fmt.Errorf("status %d out of range", sp.status)
	}
	if sp.redirect, err = intParam(q, "redirect", 0); err != nil {
		return sp, err
	}
	if sp.rcode, err = intParam(q, "rcode", 302); err != nil {
		return sp, err
	}
	switch sp.abort {
	case "", "head", "body":
	default:
		return sp, fmt.Errorf("abort=%q: want head or body", sp.abort)
	}
	for _, h := range q["hdr"] {
		name, value, ok := strings.Cut(h, ":")
		if !ok || strings.TrimSpace(name) == "" {
			return sp, fmt.Errorf("hdr %q: want Name: value", h)
		}
		sp.hdrs = append(sp.hdrs, [2]string{strings.TrimSpace(name), strings.TrimSpace(value)})
	}
	return sp, nil
}

// pieces returns the body cut at the split offsets.
func (sp spec) pieces() [][]byte {
	var out [][]byte
	last := 0
	for _, at := range sp.split {
		if at > last {
			out = append(out, sp.body[last:at])
			last = at
		}
	}
	if last < len(sp.body) {
		out = append(out, sp.body[last:])
	}
	return out
}

// intParam parses the integer parameter name, or returns def when absent.
func intParam(q url.Values, name string, def int) (int, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, fmt.Errorf("%s: %v", name, err)
	}
	return n, nil
}

// millis parses the parameter name as a number of milliseconds, or returns
// def when absent.
func millis(q url.Values, name string, def time.Duration) (time.Duration, error) {
	v := q.Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return def, fmt.Errorf("%s: %v", name, err)
	}
	return time.Duration(n * float64(time.Millisecond)), nil
}

// SeqValue encodes response specs (each a set of /sse parameters such as
// body, status or ctype) as the value of the seq parameter, for Go clients
// of the Server:
//
//	q := url.Values{"key": {"k"}, "seq": {testserver.SeqValue(
//		url.Values{"body": {"id: 1\ndata: a\n\n"}},
//		url.Values{"status": {"204"}},
//	)}}
//	resp, err := http.Get(base + "/sse?" + q.Encode())
func SeqValue(specs ...url.Values) string {
	parts := make([]string, len(specs))
	for i, sp := range specs {
		// url.Values.Encode escapes "|" as %7C, so the parts never clash
		// with the separator.
		parts[i] = sp.Encode()
	}
	return strings.Join(parts, "|")
}
