package core

import (
	"context"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/parse"
)

// reply is one scripted response of fakeTransport.
type reply struct {
	err        error  // a network error instead of a response
	status     int    // default 200
	ctype      string // default text/event-stream
	url        string // final URL; default the request's
	chunks     []string
	bodyErr    error // how the body ends; default io.EOF
	holdUntil  bool  // the body blocks after its chunks until ctx is done
	retryAfter string
}

// fakeTransport answers each fetch with the next reply (the last one repeats) and records the
// requests.
type fakeTransport struct {
	mu       sync.Mutex
	replies  []reply
	requests []Request
	times    []time.Time
}

func (f *fakeTransport) Fetch(ctx *cancel.Scope, req *Request) (*Response, error) {
	f.mu.Lock()
	n := len(f.requests)
	f.requests = append(f.requests, *req)
	f.times = append(f.times, time.Now())
	r := f.replies[min(n, len(f.replies)-1)]
	f.mu.Unlock()
	if r.err == errHang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if r.err != nil {
		return nil, r.err
	}
	resp := &Response{Status: 200, ContentType: "text/event-stream", URL: req.URL, StatusText: "OK"}
	if r.status != 0 {
		resp.Status = r.status
	}
	if r.ctype != "" {
		resp.ContentType = r.ctype
	}
	if r.url != "" {
		resp.URL = r.url
	}
	resp.RetryAfter = r.retryAfter
	end := r.bodyErr
	if end == nil {
		end = io.EOF
	}
	resp.Body = &fakeBody{ctx: ctx, chunks: r.chunks, end: end, hold: r.holdUntil}
	return resp, nil
}

func (f *fakeTransport) Requests() []Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Request(nil), f.requests...)
}

type fakeBody struct {
	ctx    context.Context
	chunks []string
	end    error
	hold   bool
}

func (b *fakeBody) Read(p []byte) (int, error) {
	if len(b.chunks) > 0 {
		n := copy(p, b.chunks[0])
		if b.chunks[0] = b.chunks[0][n:]; b.chunks[0] == "" {
			b.chunks = b.chunks[1:]
		}
		return n, nil
	}
	if b.hold {
		<-b.ctx.Done()
		return 0, b.ctx.Err()
	}
	return 0, b.end
}

func (b *fakeBody) Close() error { return nil }

// Stream reads the body as net/http's are read.
func (b *fakeBody) Stream(ctx *cancel.Scope, consume func([]byte)) error {
	return ReadChunks(ctx, b, consume)
}

// log is a Handler that writes what fires as lines, and can cancel the source on a given line.
type log struct {
	mu      sync.Mutex
	lines   []string
	stopAt  string
	cancel  context.CancelFunc
	changed chan struct{}
}

func newLog() *log { return &log{changed: make(chan struct{}, 1)} }

func (l *log) add(s string) {
	l.mu.Lock()
	l.lines = append(l.lines, s)
	stop := s == l.stopAt && l.cancel != nil
	l.mu.Unlock()
	if stop {
		l.cancel()
	}
	select {
	case l.changed <- struct{}{}:
	default:
	}
}

func (l *log) Opened(origin string) { l.add("open " + origin) }
func (l *log) Message(ev *parse.Event) {
	typ := string(ev.Type)
	if typ == "" {
		typ = "message"
	}
	l.add(fmt.Sprintf("message %s %q id=%s", typ, ev.Data, ev.LastEventID))
}
func (l *log) Error(e *Error) {
	l.add(fmt.Sprintf("error %s status=%d retry=%v in=%v", e.Reason, e.Status, e.WillRetry, e.RetryIn))
}

func (l *log) Lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// run runs a source over replies until it returns (or the test's deadline), stopping it when
// the handler logs stopAt.
func run(t *testing.T, cfg Config, stopAt string, replies ...reply) ([]string, []Request, *Source) {
	t.Helper()
	if cfg.URL == "" {
		cfg.URL = "http://127.0.0.1:1/sse"
	}
	if cfg.ReconnectionTime == 0 {
		cfg.ReconnectionTime = time.Millisecond
	}
	ft := &fakeTransport{replies: replies}
	l := newLog()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l.stopAt, l.cancel = stopAt, cancel
	s := NewSource(cfg, ft, l)
	if s.ReadyState() != Connecting {
		t.Fatalf("new source is %v, want CONNECTING", s.ReadyState())
	}
	s.Run(scopeOf(ctx))
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		lines := l.Lines()
		t.Fatalf("source still running after 10s; log starts: %q", lines[:min(len(lines), 12)])
	}
	if s.ReadyState() != Closed {
		t.Fatalf("after Run, readyState is %v, want CLOSED", s.ReadyState())
	}
	return l.Lines(), ft.Requests(), s
}

func TestSourceProcessingModel(t *testing.T) {
	t.Parallel()
	netErr := errors.New("connection refused")
	runSourceCases(t, []sourceCase{
		{
			// §9.2.3: 200 + text/event-stream: "announce the connection"; then the body's end
			// re-establishes it, and the new request carries Last-Event-ID.
			name:   "end of body reconnects with Last-Event-ID",
			stopAt: "message message \"b\" id=2",
			replies: []reply{
				{chunks: []string{"id: 1\ndata: a\n\n"}},
				{chunks: []string{"id: 2\ndata: b\n\n"}},
			},
			want: []string{
				"open http://127.0.0.1:1",
				"message message \"a\" id=1",
				"error end-of-stream status=200 retry=true in=1ms",
				"open http://127.0.0.1:1",
				"message message \"b\" id=2",
			},
			check: wantLastEventIDs("", "1"),
		},
		{
			name:   "network error reconnects",
			stopAt: "message message \"x\" id=",
			replies: []reply{
				{err: netErr},
				{chunks: []string{"data: x\n\n"}},
			},
			want: []string{
				"error network status=0 retry=true in=1ms",
				"open http://127.0.0.1:1",
				"message message \"x\" id=",
			},
			check: wantLastEventIDs("", ""),
		},
		{
			name:   "broken body reconnects, incomplete event discarded",
			stopAt: "open http://127.0.0.1:2",
			replies: []reply{
				{chunks: []string{"id: 9\n\ndata: lost"}, bodyErr: errors.New("reset by peer")},
				{url: "http://127.0.0.1:2/", chunks: []string{"\n"}, holdUntil: true},
			},
			want: []string{
				"open http://127.0.0.1:1",
				"error network status=200 retry=true in=1ms",
				"open http://127.0.0.1:2",
			},
			check: wantLastEventIDs("", "9"),
		},
		{
			name:    "initial last event ID is sent",
			cfg:     Config{LastEventID: "start"},
			stopAt:  "open http://127.0.0.1:1",
			replies: []reply{{holdUntil: true}},
			want:    []string{"open http://127.0.0.1:1"},
			check:   wantLastEventIDs("start"),
		},
		// "Otherwise, if res's status is not 200, or if res's Content-Type is not
		// text/event-stream, then fail the connection": one request, no reconnect.
		{name: "204 fails", replies: []reply{{status: 204}}, want: []string{"error http-status status=204 retry=false in=0s"}, check: wantRequests(1)},
		{name: "500 fails", replies: []reply{{status: 500}}, want: []string{"error http-status status=500 retry=false in=0s"}, check: wantRequests(1)},
		{name: "201 fails", replies: []reply{{status: 201}}, want: []string{"error http-status status=201 retry=false in=0s"}, check: wantRequests(1)},
		{name: "wrong type fails", replies: []reply{{ctype: "text/plain"}}, want: []string{"error content-type status=200 retry=false in=0s"}, check: wantRequests(1)},
		{name: "missing type fails", replies: []reply{{ctype: " "}}, want: []string{"error content-type status=200 retry=false in=0s"}, check: wantRequests(1)},
		{
			name:    "type with parameters opens",
			stopAt:  "open http://127.0.0.1:1",
			replies: []reply{{ctype: "text/event-stream; charset=utf-8", holdUntil: true}},
			want:    []string{"open http://127.0.0.1:1"},
		},
		{
			name:    "CORS failure fails",
			replies: []reply{{err: &CORSError{Err: errors.New("no Access-Control-Allow-Origin")}}},
			want:    []string{"error cors status=0 retry=false in=0s"},
		},
		{
			name:    "origin of the final URL",
			stopAt:  "open https://other.example:8443",
			replies: []reply{{url: "https://other.example:8443/moved", holdUntil: true}},
			want:    []string{"open https://other.example:8443"},
		},
		{
			// "Reestablish the connection" fetches the same request again, whose current URL
			// is the redirect's target.
			name:   "reconnection goes to the final URL",
			stopAt: "message message \"b\" id=",
			replies: []reply{
				{url: "http://127.0.0.1:1/moved", chunks: []string{"data: a\n\n"}},
				{chunks: []string{"data: b\n\n"}},
			},
			want: []string{
				"open http://127.0.0.1:1",
				"message message \"a\" id=",
				"error end-of-stream status=200 retry=true in=1ms",
				"open http://127.0.0.1:1",
				"message message \"b\" id=",
			},
			check: wantURLs("http://127.0.0.1:1/sse", "http://127.0.0.1:1/moved"),
		},
		{
			// Browsers fail the connection for a scheme other than http(s): no request.
			name:  "ftp URL fails",
			cfg:   Config{URL: "ftp://127.0.0.1/sse"},
			want:  []string{"error url status=0 retry=false in=0s"},
			check: wantRequests(0),
		},
		{name: "about URL fails", cfg: Config{URL: "about:blank"}, want: []string{"error url status=0 retry=false in=0s"}, check: wantRequests(0)},
		{
			name:    "a URL the transport refuses fails",
			replies: []reply{{err: &URLError{Err: errors.New("credentials in the URL")}}},
			want:    []string{"error url status=0 retry=false in=0s"},
			check:   wantRequests(1),
		},
		{
			// Opened tells the transport that a failure is not a CORS failure: set once a
			// response has announced the connection, and kept across a redirect.
			name:   "requests after an opening are marked",
			stopAt: "open http://127.0.0.1:3",
			replies: []reply{
				{err: netErr},
				{url: "http://127.0.0.1:2/x", chunks: []string{"data: a\n\n"}},
				{err: netErr},
				{url: "http://127.0.0.1:3/x", holdUntil: true},
			},
			want: []string{
				"error network status=0 retry=true in=1ms",
				"open http://127.0.0.1:2",
				"message message \"a\" id=",
				"error end-of-stream status=200 retry=true in=1ms",
				"error network status=0 retry=true in=1ms",
				"open http://127.0.0.1:3",
			},
			check: func(t *testing.T, reqs []Request) {
				var got []bool
				for _, r := range reqs {
					got = append(got, r.Opened)
				}
				if want := []bool{false, false, true, true}; !reflect.DeepEqual(got, want) {
					t.Errorf("Opened of the requests = %v, want %v", got, want)
				}
			},
		},
		{
			// close() while events of one chunk are being handed out: nothing more fires.
			name:    "close stops mid-chunk",
			stopAt:  "message message \"1\" id=",
			replies: []reply{{chunks: []string{"data: 1\n\ndata: 2\n\ndata: 3\n\n"}}},
			want: []string{
				"open http://127.0.0.1:1",
				"message message \"1\" id=",
			},
			check: wantRequests(1),
		},
	})
}

// sourceCase is one run of a source over scripted replies: what it must fire, and a check of
// the requests it made.
type sourceCase struct {
	name    string
	cfg     Config
	stopAt  string
	replies []reply
	want    []string
	check   func(t *testing.T, reqs []Request)
}

func runSourceCases(t *testing.T, cases []sourceCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, reqs, _ := run(t, tc.cfg, tc.stopAt, tc.replies...)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("fired\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if tc.check != nil {
				tc.check(t, reqs)
			}
		})
	}
}

// wantLastEventIDs checks the Last-Event-ID of each request.
func wantLastEventIDs(ids ...string) func(*testing.T, []Request) {
	return func(t *testing.T, reqs []Request) {
		var got []string
		for _, r := range reqs {
			got = append(got, r.LastEventID)
		}
		if !reflect.DeepEqual(got, ids) {
			t.Errorf("Last-Event-ID of the requests = %q, want %q", got, ids)
		}
	}
}

// wantURLs checks the URL of each request.
func wantURLs(urls ...string) func(*testing.T, []Request) {
	return func(t *testing.T, reqs []Request) {
		var got []string
		for _, r := range reqs {
			got = append(got, r.URL)
		}
		if !reflect.DeepEqual(got, urls) {
			t.Errorf("URLs of the requests = %q, want %q", got, urls)
		}
	}
}

// wantRequests checks the number of requests.
func wantRequests(n int) func(*testing.T, []Request) {
	return func(t *testing.T, reqs []Request) {
		if len(reqs) != n {
			t.Errorf("%d requests, want %d", len(reqs), n)
		}
	}
}

func TestSourceRetryField(t *testing.T) {
	t.Parallel()
	// "retry" sets the reconnection time: the error event reports it and the next request
	// waits that long.
	ft := &fakeTransport{replies: []reply{
		{chunks: []string{"retry: 150\ndata: a\n\n"}},
		{chunks: []string{"retry: x\n"}},
		{holdUntil: true},
	}}
	l := newLog()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s := NewSource(Config{URL: "http://127.0.0.1:1/"}, ft, l)
	go func() {
		for range l.changed {
			if len(ft.Requests()) == 3 {
				cancel()
				return
			}
		}
	}()
	s.Run(scopeOf(ctx))
	lines := l.Lines()
	want := []string{
		"open http://127.0.0.1:1",
		"message message \"a\" id=",
		"error end-of-stream status=200 retry=true in=150ms",
		"open http://127.0.0.1:1",
		"error end-of-stream status=200 retry=true in=150ms",
		"open http://127.0.0.1:1",
	}
	if !reflect.DeepEqual(lines, want) {
		t.Fatalf("fired\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	ft.mu.Lock()
	defer ft.mu.Unlock()
	for i := 1; i < len(ft.times); i++ {
		if gap := ft.times[i].Sub(ft.times[i-1]); gap < 150*time.Millisecond {
			t.Errorf("request %d came %v after the previous one, want at least the 150ms retry", i, gap)
		}
	}
}

func TestSourceDefaultReconnectionTime(t *testing.T) {
	t.Parallel()
	s := NewSource(Config{URL: "http://127.0.0.1:1/"}, &fakeTransport{}, newLog())
	if s.reconnect != DefaultReconnectionTime {
		t.Fatalf("reconnection time = %v, want %v", s.reconnect, DefaultReconnectionTime)
	}
}

// TestSourceCloseDuringReconnectDelay checks that close() in the reconnection delay cancels
// the reconnection: no second request is made.
func TestSourceCloseDuringReconnectDelay(t *testing.T) {
	t.Parallel()
	ft := &fakeTransport{replies: []reply{{chunks: []string{"data: a\n\n"}}}}
	l := newLog()
	ctx, cancel := context.WithCancel(context.Background())
	s := NewSource(Config{URL: "http://127.0.0.1:1/", ReconnectionTime: time.Hour}, ft, l)
	done := make(chan struct{})
	go func() { s.Run(scopeOf(ctx)); close(done) }()
	for range l.changed {
		if lines := l.Lines(); strings.HasPrefix(lines[len(lines)-1], "error") {
			break
		}
	}
	if s.ReadyState() != Connecting {
		t.Errorf("after the stream ended, readyState is %v, want CONNECTING", s.ReadyState())
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return within 5s of close")
	}
	if n := len(ft.Requests()); n != 1 {
		t.Fatalf("%d requests, want 1", n)
	}
}

// chunkBody is a body that pushes its chunks as they are, not read into a buffer.
type chunkBody struct{ fakeBody }

func (b *chunkBody) Stream(ctx *cancel.Scope, consume func([]byte)) error {
	for _, c := range b.chunks {
		consume([]byte(c))
	}
	return b.end
}

// chunkTransport answers with chunkBody bodies.
type chunkTransport struct{ fakeTransport }

func (f *chunkTransport) Fetch(ctx *cancel.Scope, req *Request) (*Response, error) {
	resp, err := f.fakeTransport.Fetch(ctx, req)
	if err == nil {
		resp.Body = &chunkBody{*resp.Body.(*fakeBody)}
	}
	return resp, err
}

// TestSourceReadsChunks checks a body that pushes its chunks, and that a Flusher's Flush
// comes after the events of each chunk.
func TestSourceReadsChunks(t *testing.T) {
	ft := &chunkTransport{fakeTransport{replies: []reply{
		{chunks: []string{"data: a", "\n\nid: 1\ndata: b\n", "\n"}},
	}}}
	l := flushLog{newLog()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	const last = "error end-of-stream status=200 retry=true in=1ms"
	l.stopAt, l.cancel = last, cancel
	NewSource(Config{URL: "http://127.0.0.1:1/sse", ReconnectionTime: time.Millisecond}, ft, l).Run(scopeOf(ctx))
	got := strings.Join(l.Lines(), "|")
	if want := `open http://127.0.0.1:1|flush|message message "a" id=|flush|message message "b" id=1|flush|` + last; got != want {
		t.Errorf("log:\n got %s\nwant %s", got, want)
	}
}

// flushLog is a log that is a Flusher: it logs each Flush.
type flushLog struct{ *log }

func (l flushLog) Flush() { l.add("flush") }

// pieceLog is a log that takes long data in pieces (PieceHandler): it logs each message's whole
// data length, and each drop of pieces with the length dropped.
type pieceLog struct {
	*log
	pending, pieces int
}

func (l *pieceLog) Piece(piece []byte) { l.pending += len(piece); l.pieces++ }
func (l *pieceLog) DropPieces()        { l.add(fmt.Sprintf("drop %d", l.pending)); l.pending = 0 }
func (l *pieceLog) Message(ev *parse.Event) {
	l.add(fmt.Sprintf("message of %d bytes", l.pending+len(ev.Data)))
	l.pending = 0
}

// TestSourcePieces checks that a PieceHandler gets long data in pieces, and that the pieces of
// an event that the end of a stream cuts off are dropped before the next stream's events.
func TestSourcePieces(t *testing.T) {
	long := strings.Repeat("x", 3*parse.PieceSize)
	ft := &chunkTransport{fakeTransport{replies: []reply{
		{chunks: []string{"data: " + long + "\n", "data: " + long}},
		{chunks: []string{"data: " + long + "\n\n"}, holdUntil: true},
	}}}
	l := &pieceLog{log: newLog()}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	want := fmt.Sprintf("message of %d bytes", len(long))
	l.stopAt, l.cancel = want, cancel
	NewSource(Config{URL: "http://127.0.0.1:1/sse", ReconnectionTime: time.Millisecond}, ft, l).Run(scopeOf(ctx))
	got := strings.Join(l.Lines(), "|")
	if want := fmt.Sprintf("open http://127.0.0.1:1|error end-of-stream status=200 retry=true in=1ms|open http://127.0.0.1:1|drop %d|%s", len(long), want); got != want {
		t.Errorf("log:\n got %s\nwant %s", got, want)
	}
	if l.pieces < 2 {
		t.Errorf("%d pieces, want at least 2", l.pieces)
	}
}

// rawLog is a log that decodes data itself (RawDataHandler).
type rawLog struct{ *log }

func (rawLog) RawData() {}

// TestSourceRawData checks that a RawDataHandler gets the data undecoded, and any other handler
// gets it decoded.
func TestSourceRawData(t *testing.T) {
	for _, raw := range []bool{false, true} {
		ft := &fakeTransport{replies: []reply{{chunks: []string{"data: a\xFFb\n\n"}, holdUntil: true}}}
		l := newLog()
		var h Handler = l
		want := fmt.Sprintf("message message %q id=", "a\uFFFDb")
		if raw {
			h, want = rawLog{l}, fmt.Sprintf("message message %q id=", "a\xFFb")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		l.stopAt, l.cancel = want, cancel
		NewSource(Config{URL: "http://127.0.0.1:1/sse"}, ft, h).Run(scopeOf(ctx))
		cancel()
		if got := strings.Join(l.Lines(), "|"); got != "open http://127.0.0.1:1|"+want {
			t.Errorf("raw %v: log %s, want the message %s", raw, got, want)
		}
	}
}

// TestSourceAbort: Abort (the page's window.stop()) fails a connection whose fetch is in
// progress, whether it awaits the response or reads the body, and leaves alone a source that
// waits to reconnect.
func TestSourceAbort(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		abortAt string // the line after which Abort is called
		replies []reply
		want    []string
	}{
		{
			name:    "reading the body",
			abortAt: "open http://127.0.0.1:1",
			replies: []reply{{holdUntil: true}},
			want:    []string{"open http://127.0.0.1:1", "error aborted status=200 retry=false in=0s"},
		},
		{
			name:    "awaiting the response",
			abortAt: "error end-of-stream status=200 retry=true in=1ms",
			replies: []reply{{}, {err: errHang}},
			want: []string{
				"open http://127.0.0.1:1",
				"error end-of-stream status=200 retry=true in=1ms",
				"error aborted status=0 retry=false in=0s",
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			l := newLog()
			s := NewSource(Config{URL: "http://127.0.0.1:1/sse", ReconnectionTime: time.Millisecond}, &fakeTransport{replies: tc.replies}, l)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			go func() {
				for range l.changed {
					lines := l.Lines()
					if lines[len(lines)-1] == tc.abortAt {
						// The fetch that follows may not have started yet: abort until it has.
						for s.ReadyState() != Closed && ctx.Err() == nil {
							s.Abort()
							time.Sleep(time.Millisecond)
						}
						return
					}
				}
			}()
			s.Run(scopeOf(ctx))
			if ctx.Err() != nil {
				t.Fatalf("still running after 10s: %q", l.Lines())
			}
			if got := l.Lines(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("fired\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// TestSourceAbortWhileWaiting: a source that waits to reconnect has no fetch to abort.
func TestSourceAbortWhileWaiting(t *testing.T) {
	t.Parallel()
	l := newLog()
	ft := &fakeTransport{replies: []reply{{err: errors.New("refused")}, {holdUntil: true}}}
	s := NewSource(Config{URL: "http://127.0.0.1:1/sse", ReconnectionTime: 200 * time.Millisecond}, ft, l)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l.stopAt, l.cancel = "open http://127.0.0.1:1", cancel
	go func() {
		<-l.changed // the error: the source waits 200ms
		s.Abort()
	}()
	s.Run(scopeOf(ctx))
	want := []string{"error network status=0 retry=true in=200ms", "open http://127.0.0.1:1"}
	if got := l.Lines(); !reflect.DeepEqual(got, want) {
		t.Errorf("fired\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestSourceWake checks that Wake ends a reconnection delay under a retry policy, and only
// there: the standard's reconnection time alone, and a Retry-After, are waited in full.
func TestSourceWake(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		retry   RetryPolicy
		reply   reply
		wakeNow bool // the second request comes at once after Wake
	}{
		{"retry policy", RetryPolicy{Factor: 2}, reply{err: errors.New("offline")}, true},
		{"the standard's reconnection time", RetryPolicy{}, reply{err: errors.New("offline")}, false},
		{"Retry-After", RetryPolicy{RetryHTTP: true}, reply{status: 503, retryAfter: "3600"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLog()
			ft := &fakeTransport{replies: []reply{tt.reply, {holdUntil: true}}}
			s := NewSource(Config{URL: "http://127.0.0.1:1/sse", ReconnectionTime: time.Hour, Retry: tt.retry}, ft, l)
			s.Wake() // before any delay: dropped
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan struct{})
			go func() { s.Run(scopeOf(ctx)); close(done) }()
			<-l.changed // the error: the source waits an hour
			s.Wake()
			deadline := time.Now().Add(2 * time.Second)
			for len(ft.Requests()) < 2 && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			if got := len(ft.Requests()) == 2; got != tt.wakeNow {
				t.Errorf("a second request within 2s of Wake: %v, want %v", got, tt.wakeNow)
			}
			cancel()
			<-done
		})
	}
}

// TestSourceSuspend checks the back/forward cache (whatwg/html#12381): Suspend ends the
// connection, or a reconnection delay, without an event; Resume reconnects at once from the
// last event ID, and the new connection is announced; a Retry-After is still waited in full.
func TestSourceSuspend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		retry    RetryPolicy
		replies  []reply
		before   bool // Suspend before Run
		lines    int  // else Suspend once the log has this many lines
		requests int  // and there have been this many requests
		soon     bool // a request comes at once after Resume
		want     []string
		lastIDs  []string // of the requests, when the source is stopped
	}{
		{
			name:     "reading the body",
			replies:  []reply{{chunks: []string{"id: 1\ndata: a\n\ndata: cut"}, holdUntil: true}, {chunks: []string{"data: b\n\n"}, holdUntil: true}},
			lines:    2,
			requests: 1,
			soon:     true,
			want:     []string{"open http://127.0.0.1:1", `message message "a" id=1`, "open http://127.0.0.1:1", `message message "b" id=1`},
			lastIDs:  []string{"", "1"},
		},
		{
			name:     "awaiting the response",
			replies:  []reply{{err: errHang}, {chunks: []string{"data: b\n\n"}, holdUntil: true}},
			requests: 1,
			soon:     true,
			want:     []string{"open http://127.0.0.1:1", `message message "b" id=`},
			lastIDs:  []string{"", ""},
		},
		{
			name:    "before Run",
			replies: []reply{{chunks: []string{"data: b\n\n"}, holdUntil: true}},
			before:  true,
			soon:    true,
			want:    []string{"open http://127.0.0.1:1", `message message "b" id=`},
			lastIDs: []string{""},
		},
		{
			name:     "waiting to reconnect",
			replies:  []reply{{err: errors.New("refused")}, {chunks: []string{"data: b\n\n"}, holdUntil: true}},
			lines:    1,
			requests: 1,
			soon:     true,
			want:     []string{"error network status=0 retry=true in=1h0m0s", "open http://127.0.0.1:1", `message message "b" id=`},
			lastIDs:  []string{"", ""},
		},
		{
			name:     "waiting a Retry-After",
			retry:    RetryPolicy{RetryHTTP: true},
			replies:  []reply{{status: 503, retryAfter: "3600"}, {holdUntil: true}},
			lines:    1,
			requests: 1,
			soon:     false,
			want:     []string{"error http-status status=503 retry=true in=1h0m0s"},
			lastIDs:  []string{""},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l := newLog()
			ft := &fakeTransport{replies: tt.replies}
			s := NewSource(Config{URL: "http://127.0.0.1:1/sse", ReconnectionTime: time.Hour, Retry: tt.retry}, ft, l)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			done := make(chan struct{})
			if tt.before {
				s.Suspend()
			}
			go func() { s.Run(scopeOf(ctx)); close(done) }()
			if !tt.before {
				for (len(l.Lines()) < tt.lines || len(ft.Requests()) < tt.requests) && ctx.Err() == nil {
					time.Sleep(time.Millisecond)
				}
				s.Suspend()
			}
			s.Suspend() // a second one does nothing
			time.Sleep(100 * time.Millisecond)
			if got := s.ReadyState(); got != Connecting {
				t.Errorf("readyState while suspended = %v, want CONNECTING", got)
			}
			if n := len(ft.Requests()); n != tt.requests {
				t.Errorf("%d requests before Resume, want %d", n, tt.requests)
			}
			s.Resume()
			s.Resume() // a second one does nothing
			deadline := time.Now().Add(2 * time.Second)
			for len(ft.Requests()) == tt.requests && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			if got := len(ft.Requests()) > tt.requests; got != tt.soon {
				t.Errorf("a request within 2s of Resume: %v, want %v", got, tt.soon)
			}
			for len(l.Lines()) < len(tt.want) && time.Now().Before(deadline) {
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
			if got := l.Lines(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("fired\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			cancel()
			<-done
			wantLastEventIDs(tt.lastIDs...)(t, ft.Requests())
		})
	}
}

// scopeOf is the Scope that Run takes, under a test's ctx.
func scopeOf(ctx context.Context) *cancel.Scope { return cancel.New(ctx) }
