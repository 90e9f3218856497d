package core

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/ssewasm/eventsource/internal/ascii"
)

// RetryPolicy tunes how a connection is re-established. Its zero value is the standard's
// behaviour: wait the reconnection time after every drop, for ever, and fail on any response
// that is not a 200 text/event-stream.
type RetryPolicy struct {
	// Factor multiplies the delay after each consecutive failed attempt (exponential backoff);
	// 0 or 1 keeps it constant.
	Factor float64
	// MaxDelay caps the delay; 0 means no cap.
	MaxDelay time.Duration
	// Jitter, from 0 to 1, is the largest fraction of each delay taken off at random, so that
	// many clients dropped at once do not come back at once.
	Jitter float64
	// MaxAttempts is how many consecutive attempts to re-establish the connection are made
	// before it fails for good; 0 means no limit. An attempt that opens the stream resets the
	// count.
	MaxAttempts int
	// RetryHTTP re-establishes the connection after a 5xx or 429 response, waiting at least
	// what its Retry-After header asks, instead of failing it.
	RetryHTTP bool
}

// Validate reports an invalid field, naming it.
func (p RetryPolicy) Validate() error {
	switch {
	case p.Factor != 0 && !(p.Factor >= 1 && p.Factor <= 1e6):
		return errorf("retry.factor: %v is not between 1 and 1e6", p.Factor)
	case p.MaxDelay < 0:
		return errorf("retry.maxDelay: %v is negative", p.MaxDelay)
	case !(p.Jitter >= 0 && p.Jitter <= 1):
		return errorf("retry.jitter: %v is not between 0 and 1", p.Jitter)
	case p.MaxAttempts < 0:
		return errorf("retry.maxAttempts: %d is negative", p.MaxAttempts)
	}
	return nil
}

// Delay returns the wait before attempt number attempt (1 for the first after a drop) when the
// reconnection time is base. random returns a number in [0, 1) (the jitter's source).
func (p RetryPolicy) Delay(base time.Duration, attempt int, random func() float64) time.Duration {
	d := float64(base)
	if p.Factor > 1 && attempt > 1 {
		d *= pow(p.Factor, attempt-1)
	}
	if p.MaxDelay > 0 && d > float64(p.MaxDelay) {
		d = float64(p.MaxDelay)
	}
	// float64(math.MaxInt64) rounds up past it: stay a little below.
	const maxDelay = float64(1<<63 - 1<<10)
	if d > maxDelay {
		d = maxDelay
	}
	if p.Jitter > 0 {
		d -= d * p.Jitter * random()
	}
	return time.Duration(d)
}

// delaySeconds reads delay-seconds (RFC 9110 §10.2.3: 1*DIGIT), saturating at the largest
// number of seconds a time.Duration holds. (strconv.ParseUint would bring its errors' code
// into the wasm.)
func delaySeconds(v string) (int64, bool) {
	const most = math.MaxInt64 / int64(time.Second)
	var n int64
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = min(n*10+int64(c-'0'), most)
	}
	return n, v != ""
}

// pow returns x to the power n (n ≥ 0) by repeated squaring, to a few ulps of math.Pow, which
// with its exp, log and frexp would cost the wasm about 6 KB. A huge power is +Inf, which Delay
// caps.
func pow(x float64, n int) float64 {
	r := 1.0
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r *= x
		}
		x *= x
	}
	return r
}

// retryable reports whether a response status is one that RetryHTTP retries.
func retryable(status int) bool { return status == 429 || status >= 500 && status <= 599 }

// parseRetryAfter reads a Retry-After header value: delay-seconds or an HTTP-date (RFC 9110
// §10.2.3). It returns 0 for an absent or unreadable value.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = ascii.Trim(v, " \t\n\v\f\r")
	if v == "" {
		return 0
	}
	if secs, ok := delaySeconds(v); ok {
		return time.Duration(secs) * time.Second
	}
	if t, ok := parseHTTPDate(v); ok {
		secs := min(t-now.Unix(), math.MaxInt64/int64(time.Second)-1) // year 9999 overflows a Duration
		return max(0, time.Duration(secs)*time.Second-time.Duration(now.Nanosecond()))
	}
	return 0
}

// jitterSource is the random source of jitter.
func jitterSource() float64 { return rand.Float64() }
