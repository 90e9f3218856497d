package core

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/cancel"
)

func TestRetryPolicyDelay(t *testing.T) {
	t.Parallel()
	ms := time.Millisecond
	cases := []struct {
		name   string
		policy RetryPolicy
		want   []time.Duration // attempts 1, 2, 3, ...
	}{
		{"the standard: constant", RetryPolicy{}, []time.Duration{100 * ms, 100 * ms, 100 * ms}},
		{"factor 1 is constant", RetryPolicy{Factor: 1}, []time.Duration{100 * ms, 100 * ms}},
		{"exponential", RetryPolicy{Factor: 2}, []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms}},
		{"capped", RetryPolicy{Factor: 3, MaxDelay: 500 * ms}, []time.Duration{100 * ms, 300 * ms, 500 * ms, 500 * ms}},
		{"cap below base", RetryPolicy{MaxDelay: 50 * ms}, []time.Duration{50 * ms}},
		{"jitter takes off up to its share", RetryPolicy{Jitter: 0.5}, []time.Duration{75 * ms, 75 * ms}}, // random() = 0.5
		{"no overflow", RetryPolicy{Factor: 1e6}, []time.Duration{100 * ms, 100000 * time.Second}},
	}
	for _, tc := range cases {
		var got []time.Duration
		for a := 1; a <= len(tc.want); a++ {
			got = append(got, tc.policy.Delay(100*ms, a, func() float64 { return 0.5 }))
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: delays %v, want %v", tc.name, got, tc.want)
		}
	}
	if d := (RetryPolicy{Factor: 10}).Delay(time.Hour, 1000, func() float64 { return 0 }); d <= 0 {
		t.Errorf("a huge backoff overflowed to %v", d)
	}
	if d := (RetryPolicy{Factor: 1.5, MaxDelay: time.Minute}).Delay(time.Second, 1<<40, func() float64 { return 0 }); d != time.Minute {
		t.Errorf("after 2^40 attempts the delay is %v, want the cap", d)
	}
}

// TestPow checks pow against math.Pow over the factors and attempts a policy can have.
func TestPow(t *testing.T) {
	t.Parallel()
	for _, x := range []float64{1, 1.0001, 1.1, 1.5, 2, 3, 7.3, 1e3, 1e6} {
		for n := 0; n <= 200; n++ {
			got, want := pow(x, n), math.Pow(x, float64(n))
			if math.IsInf(want, 1) {
				if !math.IsInf(got, 1) && got < 1e300 {
					t.Errorf("pow(%v, %d) = %v, want about %v", x, n, got, want)
				}
				continue
			}
			if diff := math.Abs(got-want) / want; diff > 1e-13 {
				t.Errorf("pow(%v, %d) = %v, want %v (relative error %v)", x, n, got, want, diff)
			}
		}
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		cfg  Config
		want string // "" for valid
	}{
		{Config{}, ""},
		{Config{Method: "POST", IdleTimeout: time.Second, Retry: RetryPolicy{Factor: 2, MaxDelay: time.Minute, Jitter: 0.3, MaxAttempts: 5, RetryHTTP: true}}, ""},
		{Config{ReconnectionTime: -1}, "retry.initialDelay"},
		{Config{IdleTimeout: -time.Second}, "idleTimeout"},
		{Config{Method: "GE T"}, "method"},
		{Config{Retry: RetryPolicy{Factor: 0.5}}, "retry.factor"},
		{Config{Retry: RetryPolicy{MaxDelay: -1}}, "retry.maxDelay"},
		{Config{Retry: RetryPolicy{Jitter: 1.5}}, "retry.jitter"},
		{Config{Retry: RetryPolicy{MaxAttempts: -1}}, "retry.maxAttempts"},
	}
	for _, tc := range cases {
		err := tc.cfg.Validate()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("Validate(%+v) = %v, want nil", tc.cfg, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), "option "+tc.want+":")):
			t.Errorf("Validate(%+v) = %v, want an error naming %s", tc.cfg, err, tc.want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 25, 12, 0, 0, 250e6, time.UTC)
	cases := map[string]time.Duration{
		"":           0,
		"3":          3 * time.Second,
		" 120 ":      2 * time.Minute,
		"-1":         0,
		"1.5":        0,
		"+5":         0,
		"0":          0,
		"007":        7 * time.Second,
		"9223372036": 9223372036 * time.Second,
		// More seconds than a Duration holds: the longest wait, not none.
		"99999999999999999999999":       time.Duration(math.MaxInt64/int64(time.Second)) * time.Second,
		"Wed, 25 Nov 2026 12:00:30 GMT": 29*time.Second + 750*time.Millisecond,
		"Fri, 31 Dec 9999 23:59:59 GMT": time.Duration(math.MaxInt64/int64(time.Second)-1)*time.Second - 250*time.Millisecond, // no overflow
		"Wed, 25 Nov 2026 11:00:00 GMT": 0,
		"soon":                          0,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestWithQueryParam(t *testing.T) {
	t.Parallel()
	cases := []struct{ url, name, value, want string }{
		{"http://h/sse", "lastEventId", "7", "http://h/sse?lastEventId=7"},
		{"http://h/sse?a=1", "lastEventId", "7", "http://h/sse?a=1&lastEventId=7"},
		{"http://h/sse?lastEventId=1&a=1", "lastEventId", "2", "http://h/sse?a=1&lastEventId=2"},
		{"http://h/sse#frag", "id", "a b&c=é", "http://h/sse?id=a%20b%26c%3D%C3%A9#frag"},
		// The other parameters are kept as they are, empty ones too.
		{"http://h/sse?", "id", "7", "http://h/sse?id=7"},
		{"http://h/sse?a=1&&b=2", "id", "7", "http://h/sse?a=1&&b=2&id=7"},
		{"http://h/sse?a=1&", "id", "7", "http://h/sse?a=1&&id=7"},
		{"http://h/sse?id&a=1", "id", "7", "http://h/sse?a=1&id=7"},
		{"http://h/sse?id=1&id=2#f", "id", "3", "http://h/sse?id=3#f"},
		{"http://h/sse?last%20id=1", "last id", "2", "http://h/sse?last%20id=2"},
	}
	for _, tc := range cases {
		if got := withQueryParam(tc.url, tc.name, tc.value); got != tc.want {
			t.Errorf("withQueryParam(%q, %q, %q) = %q, want %q", tc.url, tc.name, tc.value, got, tc.want)
		}
	}
}

// TestSourceOptions runs the source with each extension over scripted replies.
func TestSourceOptions(t *testing.T) {
	t.Parallel()
	netErr := errors.New("connection refused")
	ms := time.Millisecond
	runSourceCases(t, []sourceCase{
		{
			name:    "backoff grows and is capped",
			cfg:     Config{ReconnectionTime: 2 * ms, Retry: RetryPolicy{Factor: 2, MaxDelay: 5 * ms}},
			stopAt:  "open http://127.0.0.1:1",
			replies: []reply{{err: netErr}, {err: netErr}, {err: netErr}, {holdUntil: true}},
			want: []string{
				"error network status=0 retry=true in=2ms",
				"error network status=0 retry=true in=4ms",
				"error network status=0 retry=true in=5ms",
				"open http://127.0.0.1:1",
			},
		},
		{
			name:    "an open stream resets the backoff",
			cfg:     Config{ReconnectionTime: 2 * ms, Retry: RetryPolicy{Factor: 3}},
			stopAt:  "open http://127.0.0.1:2",
			replies: []reply{{err: netErr}, {}, {url: "http://127.0.0.1:2/", holdUntil: true}},
			want: []string{
				"error network status=0 retry=true in=2ms",
				"open http://127.0.0.1:1",
				"error end-of-stream status=200 retry=true in=2ms",
				"open http://127.0.0.1:2",
			},
		},
		{
			name:    "max attempts, then a final error",
			cfg:     Config{ReconnectionTime: ms, Retry: RetryPolicy{MaxAttempts: 2}},
			replies: []reply{{err: netErr}},
			want: []string{
				"error network status=0 retry=true in=1ms",
				"error network status=0 retry=true in=1ms",
				"error retries-exhausted status=0 retry=false in=0s",
			},
			check: func(t *testing.T, reqs []Request) {
				if len(reqs) != 3 {
					t.Errorf("%d requests, want the first and 2 attempts", len(reqs))
				}
			},
		},
		{
			name:    "5xx and 429 retried with Retry-After",
			cfg:     Config{ReconnectionTime: ms, Retry: RetryPolicy{RetryHTTP: true}},
			stopAt:  "open http://127.0.0.1:1",
			replies: []reply{{status: 503, retryAfter: "0"}, {status: 429}, {status: 500, retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT"}, {holdUntil: true}},
			want: []string{
				"error http-status status=503 retry=true in=1ms",
				"error http-status status=429 retry=true in=1ms",
				"error http-status status=500 retry=true in=1ms",
				"open http://127.0.0.1:1",
			},
		},
		{
			name:    "Retry-After lengthens the delay",
			cfg:     Config{ReconnectionTime: ms, Retry: RetryPolicy{RetryHTTP: true, MaxAttempts: 1}},
			stopAt:  "error http-status status=503 retry=true in=1s",
			replies: []reply{{status: 503, retryAfter: "1"}},
			want:    []string{"error http-status status=503 retry=true in=1s"},
		},
		{
			name:    "RetryHTTP still fails other statuses",
			cfg:     Config{ReconnectionTime: ms, Retry: RetryPolicy{RetryHTTP: true}},
			replies: []reply{{status: 404}},
			want:    []string{"error http-status status=404 retry=false in=0s"},
		},
		{
			name:   "idle timeout re-establishes a silent connection",
			cfg:    Config{ReconnectionTime: ms, IdleTimeout: 30 * ms},
			stopAt: "open http://127.0.0.1:2",
			replies: []reply{
				{chunks: []string{": hi\n", "data: a\n\n"}, holdUntil: true},
				{url: "http://127.0.0.1:2/", holdUntil: true},
			},
			want: []string{
				"open http://127.0.0.1:1",
				"message message \"a\" id=",
				"error idle-timeout status=200 retry=true in=1ms",
				"open http://127.0.0.1:2",
			},
		},
		{
			name:    "idle timeout before the response",
			cfg:     Config{ReconnectionTime: ms, IdleTimeout: 20 * ms},
			stopAt:  "open http://127.0.0.1:1",
			replies: []reply{{err: errHang}, {holdUntil: true}},
			want: []string{
				"error idle-timeout status=0 retry=true in=1ms",
				"open http://127.0.0.1:1",
			},
		},
		{
			name:    "last event ID as a query parameter",
			cfg:     Config{ReconnectionTime: ms, LastEventIDParam: "last", LastEventID: "a b"},
			stopAt:  "open http://127.0.0.1:2",
			replies: []reply{{chunks: []string{"id: 2\n\n"}}, {url: "http://127.0.0.1:2/", holdUntil: true}},
			want: []string{
				"open http://127.0.0.1:1",
				"error end-of-stream status=200 retry=true in=1ms",
				"open http://127.0.0.1:2",
			},
			check: func(t *testing.T, reqs []Request) {
				for i, want := range []string{"http://127.0.0.1:1/sse?last=a%20b", "http://127.0.0.1:1/sse?last=2"} {
					if reqs[i].URL != want || reqs[i].LastEventID != "" {
						t.Errorf("request %d: URL %q, Last-Event-ID %q; want %q and none", i, reqs[i].URL, reqs[i].LastEventID, want)
					}
				}
			},
		},
		{
			name: "method, body and headers on every request",
			cfg: Config{ReconnectionTime: ms, Method: "POST", Body: []byte(`{"q":1}`), Header: func() func(cancel.Notifier) (map[string][]string, error) {
				n := 0
				return func(cancel.Notifier) (map[string][]string, error) {
					n++
					return map[string][]string{"Authorization": {fmt.Sprintf("Bearer %d", n)}}, nil
				}
			}()},
			stopAt:  "open http://127.0.0.1:2",
			replies: []reply{{}, {url: "http://127.0.0.1:2/", holdUntil: true}},
			want: []string{
				"open http://127.0.0.1:1",
				"error end-of-stream status=200 retry=true in=1ms",
				"open http://127.0.0.1:2",
			},
			check: func(t *testing.T, reqs []Request) {
				for i, r := range reqs {
					if r.Method != "POST" || string(r.Body) != `{"q":1}` || r.Header["Authorization"][0] != fmt.Sprintf("Bearer %d", i+1) {
						t.Errorf("request %d: %s %q %v", i, r.Method, r.Body, r.Header)
					}
				}
			},
		},
		{
			name: "a failing header function is retried",
			cfg: Config{ReconnectionTime: ms, Header: func() func(cancel.Notifier) (map[string][]string, error) {
				n := 0
				return func(cancel.Notifier) (map[string][]string, error) {
					if n++; n == 1 {
						return nil, errors.New("token service down")
					}
					return nil, nil
				}
			}()},
			stopAt:  "open http://127.0.0.1:1",
			replies: []reply{{holdUntil: true}},
			want:    []string{"error headers status=0 retry=true in=1ms", "open http://127.0.0.1:1"},
		},
		{
			name: "an invalid header fails",
			cfg: Config{Header: func(cancel.Notifier) (map[string][]string, error) {
				return map[string][]string{"X-A": {"a\r\nInjected: 1"}}, nil
			}},
			replies: []reply{{holdUntil: true}},
			want:    []string{"error headers status=0 retry=false in=0s"},
		},
	})
}

// errHang makes the fake transport's Fetch wait until its context is done.
var errHang = errors.New("hang")
