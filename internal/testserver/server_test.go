package testserver

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// start runs s behind an httptest.Server that the test closes, closing s
// first so that held streams cannot make the close hang.
func start(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	t.Cleanup(s.Close) // runs before ts.Close
	return ts
}

// get fetches url with an optional header list and returns the response
// and its whole body.
func get(t *testing.T, client *http.Client, method, u string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, u, err)
	}
	return resp, string(body)
}

func TestSSEResponses(t *testing.T) {
	ts := start(t, New())
	tests := []struct {
		name      string
		query     string
		status    int
		ctype     string // "-" for no Content-Type header at all
		body      string
		minTime   time.Duration
		extraName string
		extraVal  string
	}{
		{"defaults", "body=data%3A%20a%0A%0A", 200, "text/event-stream", "data: a\n\n", 0, "", ""},
		{"raw bytes", "body=data%3A%00%FF%0D%0A%0D%0A", 200, "text/event-stream", "data:\x00\xff\r\n\r\n", 0, "", ""},
		{"status", "status=204", 204, "text/event-stream", "", 0, "", ""},
		{"status with body", "status=500&body=x", 500, "text/event-stream", "x", 0, "", ""},
		{"ctype", "ctype=text%2Fplain&body=x", 200, "text/plain", "x", 0, "", ""},
		{"ctype with params", "ctype=text%2Fevent-stream%3B%20charset%3Dutf-8", 200, "text/event-stream; charset=utf-8", "", 0, "", ""},
		{"no ctype", "ctype=&body=%3Chtml%3E", 200, "-", "<html>", 0, "", ""},
		{"split", "body=abcdef&split=2,4&gap=30", 200, "text/event-stream", "abcdef", 60 * time.Millisecond, "", ""},
		{"head repeat tail", "head=%3E&body=ab&repeat=3&tail=%3C&split=2,5&gap=1", 200, "text/event-stream", ">ababab<", 0, "", ""},
		{"repeat zero", "head=h&body=ab&repeat=0", 200, "text/event-stream", "h", 0, "", ""},
		{"split out of range ignored", "body=ab&split=0,2,9&gap=500", 200, "text/event-stream", "ab", 0, "", ""},
		{"hold", "body=x&hold=80", 200, "text/event-stream", "x", 80 * time.Millisecond, "", ""},
		{"delay", "delay=60", 200, "text/event-stream", "", 60 * time.Millisecond, "", ""},
		{"extra header", "hdr=X-Test%3A%20yes", 200, "text/event-stream", "", 0, "X-Test", "yes"},
		{"bad status", "status=abc", 400, "text/plain; charset=utf-8", "status: strconv.Atoi: parsing \"abc\": invalid syntax\n", 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			begin := time.Now()
			resp, body := get(t, nil, "GET", ts.URL+"/sse?"+tt.query)
			if resp.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.status)
			}
			ct, ok := resp.Header["Content-Type"]
			switch {
			case tt.ctype == "-" && ok:
				t.Errorf("Content-Type = %q, want none", ct)
			case tt.ctype != "-" && resp.Header.Get("Content-Type") != tt.ctype:
				t.Errorf("Content-Type = %q, want %q", resp.Header.Get("Content-Type"), tt.ctype)
			}
			if body != tt.body {
				t.Errorf("body = %q, want %q", body, tt.body)
			}
			if d := time.Since(begin); d < tt.minTime {
				t.Errorf("took %v, want at least %v", d, tt.minTime)
			}
			if tt.extraName != "" && resp.Header.Get(tt.extraName) != tt.extraVal {
				t.Errorf("%s = %q, want %q", tt.extraName, resp.Header.Get(tt.extraName), tt.extraVal)
			}
		})
	}
}

func TestSplitFlushesPieces(t *testing.T) {
	ts := start(t, New())
	resp, err := http.Get(ts.URL + "/sse?body=" + url.QueryEscape("data: \xe2\x82\xac\r\n\r\n") + "&split=7,9&gap=100")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got []string
	buf := make([]byte, 64)
	for {
		n, err := resp.Body.Read(buf)
		if n > 0 {
			got = append(got, string(buf[:n]))
		}
		if err != nil {
			break
		}
	}
	want := []string{"data: \xe2", "\x82\xac", "\r\n\r\n"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("reads = %q, want %q", got, want)
	}
}

func TestSequencedResponses(t *testing.T) {
	s := New()
	ts := start(t, s)
	seq := SeqValue(
		url.Values{"body": {"id: 1\ndata: a\n\n"}},
		url.Values{"status": {"204"}},
		url.Values{"status": {"404"}},
	)
	u := ts.URL + "/sse?key=k1&hdr=X-Default%3A%201&seq=" + url.QueryEscape(seq)
	tests := []struct {
		status int
		body   string
	}{
		{200, "id: 1\ndata: a\n\n"},
		{204, ""},
		{404, ""},
		{404, ""}, // the last spec repeats
	}
	for i, tt := range tests {
		resp, body := get(t, nil, "GET", u, "Last-Event-ID", "1")
		if resp.StatusCode != tt.status || body != tt.body {
			t.Errorf("request %d: %d %q, want %d %q", i, resp.StatusCode, body, tt.status, tt.body)
		}
		if resp.Header.Get("X-Default") != "1" {
			t.Errorf("request %d: defaults not applied", i)
		}
	}
	// A preflight neither counts nor is served a spec body.
	resp, _ := get(t, nil, "OPTIONS", u)
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("preflight without cors: %d", resp.StatusCode)
	}
	reqs := s.Requests("k1")
	if len(reqs) != 5 {
		t.Fatalf("recorded %d requests, want 5", len(reqs))
	}
	for i, want := range []int{0, 1, 2, 3, -1} {
		if reqs[i].Seq != want {
			t.Errorf("request %d: Seq = %d, want %d", i, reqs[i].Seq, want)
		}
	}
	if reqs[1].Headers["Last-Event-Id"] != "1" {
		t.Errorf("Last-Event-ID not recorded: %v", reqs[1].Headers)
	}
	if reqs[1].MS < reqs[0].MS {
		t.Errorf("times not increasing: %v then %v", reqs[0].MS, reqs[1].MS)
	}
}

func TestSeqValue(t *testing.T) {
	tests := []struct {
		specs []url.Values
		want  string
	}{
		{nil, ""},
		{[]url.Values{{"status": {"204"}}}, "status=204"},
		{[]url.Values{{"body": {"a|b c"}}, {"ctype": {""}}}, "body=a%7Cb+c|ctype="},
	}
	for _, tt := range tests {
		if got := SeqValue(tt.specs...); got != tt.want {
			t.Errorf("SeqValue(%v) = %q, want %q", tt.specs, got, tt.want)
		}
	}
}

func TestRedirects(t *testing.T) {
	s := New()
	a := start(t, s)
	b := start(t, s) // a second origin sharing the log
	tests := []struct {
		name     string
		query    string
		wantCode int
		wantHost string
		wantHops int
	}{
		{"302 chain", "redirect=2", 302, a.Listener.Addr().String(), 2},
		{"307", "redirect=1&rcode=307", 307, a.Listener.Addr().String(), 1},
		{"301 cross-origin", "redirect=1&rcode=301&rto=" + url.QueryEscape(b.URL), 301, b.Listener.Addr().String(), 1},
		{"303 to non-SSE", "redirect=1&rcode=303&ctype=text%2Fhtml", 303, a.Listener.Addr().String(), 1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "redir" + string(rune('a'+i))
			var codes []int
			client := &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
				codes = append(codes, req.Response.StatusCode)
				return nil
			}}
			resp, body := get(t, client, "GET", a.URL+"/sse?key="+key+"&body=data%3Ax%0A%0A&"+tt.query)
			if resp.StatusCode != 200 || body != "data:x\n\n" {
				t.Errorf("final response %d %q", resp.StatusCode, body)
			}
			if len(codes) == 0 || codes[0] != tt.wantCode {
				t.Errorf("redirect codes %v, want %d first", codes, tt.wantCode)
			}
			reqs := s.Requests(key)
			if len(reqs) != tt.wantHops+1 {
				t.Fatalf("recorded %d requests, want %d", len(reqs), tt.wantHops+1)
			}
			last := reqs[len(reqs)-1]
			if !last.Hop || last.Seq != -1 || last.Host != tt.wantHost {
				t.Errorf("last request = %+v, want a hop to %s", last, tt.wantHost)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	ts := start(t, New())
	tests := []struct {
		name, method, query string
		hdr                 []string
		status              int
		want                map[string]string // "" means absent
	}{
		{"no cors", "GET", "", []string{"Origin", "http://o"}, 200,
			map[string]string{"Access-Control-Allow-Origin": ""}},
		{"cors", "GET", "cors=1", []string{"Origin", "http://o"}, 200,
			map[string]string{"Access-Control-Allow-Origin": "http://o", "Access-Control-Allow-Credentials": "true"}},
		{"preflight", "OPTIONS", "cors=1", []string{"Origin", "http://o", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "last-event-id,x-y"}, 204,
			map[string]string{"Access-Control-Allow-Origin": "http://o", "Access-Control-Allow-Headers": "last-event-id,x-y, Last-Event-ID", "Access-Control-Allow-Methods": "GET"}},
		{"preflight refused", "OPTIONS", "", []string{"Origin", "http://o"}, 405,
			map[string]string{"Access-Control-Allow-Origin": ""}},
		{"log readable anywhere", "GET", "", []string{"Origin", "http://o"}, 200,
			map[string]string{"Access-Control-Allow-Origin": "*"}},
		{"set-cookie", "GET", "name=c&value=v", []string{"Origin", "http://o"}, 200,
			map[string]string{"Access-Control-Allow-Origin": "http://o", "Access-Control-Allow-Credentials": "true", "Set-Cookie": "c=v; Path=/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := "/sse?"
			switch tt.name {
			case "log readable anywhere":
				path = "/log?key=none&"
			case "set-cookie":
				path = "/set-cookie?"
			}
			resp, _ := get(t, nil, tt.method, ts.URL+path+tt.query, tt.hdr...)
			if resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for k, v := range tt.want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestHeldStreamsEnd(t *testing.T) {
	tests := []struct {
		name string
		stop func(s *Server, cancel context.CancelFunc)
	}{
		{"server closed", func(s *Server, _ context.CancelFunc) { s.Close() }},
		{"client gone", func(_ *Server, cancel context.CancelFunc) { cancel() }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New()
			ts := httptest.NewServer(s)
			defer ts.Close()
			defer s.Close()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			for _, hold := range []string{"forever", "-1"} {
				req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/sse?body=x&hold="+hold, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
			}
			ended := make(chan struct{})
			go func() {
				tt.stop(s, cancel)
				ts.Close() // must not hang on the held streams
				close(ended)
			}()
			select {
			case <-ended:
			case <-time.After(5 * time.Second):
				t.Fatal("httptest.Server.Close hung on held streams")
			}
		})
	}
}

func TestAbort(t *testing.T) {
	ts := start(t, New())
	tests := []struct {
		query    string
		wantBody string
	}{
		{"abort=head", ""},
		{"abort=body&body=data%3Ax%0A%0A", "data:x\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := client.Get(ts.URL + "/sse?" + tt.query)
			if err != nil {
				if tt.wantBody != "" {
					t.Fatalf("request failed: %v", err)
				}
				return // a network error, as wanted
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if string(body) != tt.wantBody {
				t.Errorf("body %q, want %q", body, tt.wantBody)
			}
			if err == nil || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("body read error = %v, want unexpected EOF", err)
			}
		})
	}
}

func TestLogEndpoint(t *testing.T) {
	s := New()
	ts := start(t, s)
	done := make(chan []Request)
	go func() {
		resp, err := http.Get(ts.URL + "/log?key=w&min=2&timeout=5000")
		if err != nil {
			done <- nil
			return
		}
		defer resp.Body.Close()
		var reqs []Request
		_ = json.NewDecoder(resp.Body).Decode(&reqs)
		done <- reqs
	}()
	time.Sleep(50 * time.Millisecond)
	get(t, nil, "GET", ts.URL+"/sse?key=w", "Accept", "text/event-stream", "Cookie", "a=b")
	get(t, nil, "GET", ts.URL+"/sse?key=w&x=1", "Cache-Control", "no-cache")
	reqs := <-done
	if len(reqs) != 2 {
		t.Fatalf("long-poll got %d requests, want 2", len(reqs))
	}
	tests := []struct {
		got, want string
	}{
		{reqs[0].Method, "GET"},
		{reqs[0].Path, "/sse"},
		{reqs[0].Headers["Accept"], "text/event-stream"},
		{reqs[0].Headers["Cookie"], "a=b"},
		{reqs[1].Query, "key=w&x=1"},
		{reqs[1].Headers["Cache-Control"], "no-cache"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("field %d = %q, want %q", i, tt.got, tt.want)
		}
	}
	if _, ok := reqs[0].Headers["Last-Event-Id"]; ok {
		t.Errorf("absent Last-Event-ID recorded: %v", reqs[0].Headers)
	}
	// Timing out returns what is there.
	begin := time.Now()
	_, body := get(t, nil, "GET", ts.URL+"/log?key=nothing&min=1&timeout=50")
	if strings.TrimSpace(body) != "[]" || time.Since(begin) < 50*time.Millisecond {
		t.Errorf("timed-out log = %q after %v", body, time.Since(begin))
	}
	resp, _ := get(t, nil, "GET", ts.URL+"/log")
	if resp.StatusCode != 400 {
		t.Errorf("log without key: %d", resp.StatusCode)
	}
}

func TestStatic(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"eventsource.js":      "js",
		"eventsource.wasm":    "\x00asm",
		"eventsource.wasm.br": "brotli",
		"page.html":           "<p>",
		"sub/index.html":      "index",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := New()
	s.Mount("/web/", dir)
	ts := start(t, s)
	tests := []struct {
		path, acceptEnc string
		status          int
		ctype, enc      string
		body            string
	}{
		{"/web/eventsource.js", "", 200, "text/javascript; charset=utf-8", "", "js"},
		{"/web/eventsource.wasm", "", 200, "application/wasm", "", "\x00asm"},
		{"/web/eventsource.wasm", "gzip, br", 200, "application/wasm", "br", "brotli"},
		{"/web/eventsource.wasm", "br;q=0", 200, "application/wasm", "", "\x00asm"},
		{"/web/page.html", "", 200, "text/html; charset=utf-8", "", "<p>"},
		{"/web/sub/", "", 200, "text/html; charset=utf-8", "", "index"},
		{"/web/missing.js", "", 404, "text/plain; charset=utf-8", "", "404 page not found\n"},
		{"/web/../server.go", "", 404, "text/plain; charset=utf-8", "", "404 page not found\n"},
		{"/other", "", 404, "text/plain; charset=utf-8", "", "404 page not found\n"},
	}
	for _, tt := range tests {
		t.Run(tt.path+" "+tt.acceptEnc, func(t *testing.T) {
			req, _ := http.NewRequest("GET", ts.URL+tt.path, nil)
			// Setting Accept-Encoding ourselves stops the transport from
			// decompressing, so the stored bytes come back as they are.
			req.Header.Set("Accept-Encoding", tt.acceptEnc)
			if tt.acceptEnc == "" {
				req.Header.Set("Accept-Encoding", "identity")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || resp.Header.Get("Content-Type") != tt.ctype ||
				resp.Header.Get("Content-Encoding") != tt.enc || string(body) != tt.body {
				t.Errorf("got %d %q %q %q, want %d %q %q %q", resp.StatusCode,
					resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), body,
					tt.status, tt.ctype, tt.enc, tt.body)
			}
			if tt.status == 200 && resp.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q", resp.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestTicks(t *testing.T) {
	ts := start(t, New())
	tests := []struct {
		name, query, lastID string
		status              int
		body                string
	}{
		{"all", "n=2", "", 200, "id: 1\ndata: tick 1\n\nid: 2\ndata: tick 2\n\n"},
		{"resume", "n=3&retry=50", "2", 200, "retry: 50\n\nid: 3\ndata: tick 3\n\n"},
		{"padded", "n=1&pad=3", "", 200, "id: 1\ndata: tick 1...\n\n"},
		{"finished", "n=3", "3", 204, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hdr []string
			if tt.lastID != "" {
				hdr = []string{"Last-Event-ID", tt.lastID}
			}
			resp, body := get(t, nil, "GET", ts.URL+"/ticks?"+tt.query, hdr...)
			if resp.StatusCode != tt.status || body != tt.body {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body, tt.status, tt.body)
			}
		})
	}
}

// TestTicksEnd checks that the log tells when a /ticks response ends: not while it is held,
// and once the client has gone away.
func TestTicksEnd(t *testing.T) {
	srv := New()
	ts := start(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "GET", ts.URL+"/ticks?key=end&n=1&hold=forever", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if line, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil || line != "id: 1\n" {
		t.Fatalf("first line %q, %v", line, err)
	}
	if got := srv.Requests("end"); len(got) != 1 || got[0].EndMS != 0 {
		t.Fatalf("while held: %+v, want one request without an end", got)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := srv.Requests("end")
		if len(got) == 1 && got[0].EndMS >= got[0].MS {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the client went away: %+v, want an end", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestSetCookie(t *testing.T) {
	ts := start(t, New())
	tests := []struct {
		query  string
		status int
		cookie string
	}{
		{"name=a&value=1", 200, "a=1; Path=/"},
		{"name=a&value=1&samesite=strict&maxage=60", 200, "a=1; Path=/; Max-Age=60; SameSite=Strict"},
		{"name=a&maxage=-1", 200, "a=; Path=/; Max-Age=0"},
		{"value=1", 400, ""},
		{"name=a&samesite=bogus", 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, _ := get(t, nil, "GET", ts.URL+"/set-cookie?"+tt.query)
			if resp.StatusCode != tt.status || resp.Header.Get("Set-Cookie") != tt.cookie {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, resp.Header.Get("Set-Cookie"), tt.status, tt.cookie)
			}
		})
	}
}

func TestParseSpecErrors(t *testing.T) {
	tests := []string{
		"split=a", "gap=x", "delay=x", "hold=x", "status=99", "redirect=x",
		"rcode=x", "abort=later", "hdr=novalue", "repeat=-1", "repeat=x",
		"body=abcd&repeat=99999999",
	}
	for _, q := range tests {
		t.Run(q, func(t *testing.T) {
			v, err := url.ParseQuery(q)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := parseSpec(v); err == nil {
				t.Errorf("parseSpec(%q) succeeded, want an error", q)
			}
		})
	}
}
