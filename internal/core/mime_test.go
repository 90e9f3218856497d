package core

import "testing"

func TestIsEventStream(t *testing.T) {
	t.Parallel()
	// Fetch "extract a MIME type" and MIME Sniffing "parse a MIME type": the essence decides;
	// parameters, case and surrounding whitespace do not.
	cases := []struct {
		header string
		want   bool
	}{
		{"text/event-stream", true},
		{"text/event-stream; charset=utf-8", true},
		{"TEXT/Event-Stream", true},
		{" text/event-stream ", true},
		{"text/event-stream;", true},
		{"text/event-stream ; charset=utf-8", true},
		{"text/event-stream;charset=\"a,b\"", true},
		{"text/html, text/event-stream", true},
		{"text/event-stream, */*", true},
		{"text/event-stream, text/html", false},
		{"text/event-stream, invalid", true},
		{"", false},
		{"text/plain", false},
		{"text/event-streams", false},
		{"text/event-stream-x", false},
		{"event-stream", false},
		{"text /event-stream", false},
		{"text/event stream", false},
		{"application/octet-stream", false},
	}
	for _, tc := range cases {
		if got := isEventStream(tc.header); got != tc.want {
			t.Errorf("isEventStream(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

func TestOrigin(t *testing.T) {
	t.Parallel()
	cases := []struct{ url, want string }{
		{"http://127.0.0.1:8080/sse?x=1", "http://127.0.0.1:8080"},
		{"http://example.com/", "http://example.com"},
		{"http://example.com:80/a", "http://example.com"},
		{"https://example.com:443/a", "https://example.com"},
		{"https://example.com:8443", "https://example.com:8443"},
		{"HTTP://Example.COM/a", "http://example.com"},
		{"http://user:pass@example.com:81/a#f", "http://example.com:81"},
		{"http://[::1]:8080/", "http://[::1]:8080"},
		{"http://[::1]/", "http://[::1]"},
		{"blob:https://example.com/uuid", "https://example.com"},
		{"data:text/event-stream,data", "null"},
		{"file:///tmp/x", "null"},
		{"about:blank", "null"},
		{"nonsense", "null"},
	}
	for _, tc := range cases {
		if got := Origin(tc.url); got != tc.want {
			t.Errorf("Origin(%q) = %q, want %q", tc.url, got, tc.want)
		}
	}
}
