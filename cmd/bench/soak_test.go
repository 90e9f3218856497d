//go:build unix

package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestSoakDrop checks the drop endpoint: it resumes after Last-Event-ID, breaks the body
// (an error, not a clean end), counts events sent again, and answers 204 past n.
func TestSoakDrop(t *testing.T) {
	var st soakState
	ts := httptest.NewServer(http.HandlerFunc(st.drop))
	defer ts.Close()
	get := func(lastID string) (int, string, error) {
		t.Helper()
		req, err := http.NewRequest("GET", ts.URL+"/?run=r&n=3", nil)
		if err != nil {
			t.Fatal(err)
		}
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		return res.StatusCode, string(body), err
	}
	for _, tt := range []struct {
		lastID string
		want   string // the event sent
		resent int
	}{
		{"", "id: 1\ndata: 1\n\n", 0},
		{"1", "id: 2\ndata: 2\n\n", 0},
		{"1", "id: 2\ndata: 2\n\n", 1}, // the client lost event 2
		{"2", "id: 3\ndata: 3\n\n", 1},
	} {
		code, body, err := get(tt.lastID)
		if code != 200 || !strings.HasSuffix(body, "retry: 1\n"+tt.want) {
			t.Errorf("Last-Event-ID %q: %d %q, want 200 ending in retry and %q", tt.lastID, code, body, tt.want)
		}
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("Last-Event-ID %q: body ended with %v, want %v", tt.lastID, err, io.ErrUnexpectedEOF)
		}
		if c := st.get("r"); c.Resent != tt.resent {
			t.Errorf("Last-Event-ID %q: resent %d, want %d", tt.lastID, c.Resent, tt.resent)
		}
	}
	if code, _, _ := get("3"); code != http.StatusNoContent {
		t.Errorf("past n: %d, want 204", code)
	}
	if code, _, _ := get("x"); code != http.StatusBadRequest {
		t.Errorf("bad Last-Event-ID: %d, want 400", code)
	}
	if c := st.get("r"); c.Connections != 5 { // not the bad request
		t.Errorf("%d connections counted, want 5", c.Connections)
	}
}

// TestSoakOnce checks that the once endpoint sends its event and counts its response open
// until the client goes.
func TestSoakOnce(t *testing.T) {
	var st soakState
	ts := httptest.NewServer(http.HandlerFunc(st.once))
	defer ts.Close()
	res, err := http.Get(ts.URL + "/?run=r&k=7")
	if err != nil {
		t.Fatal(err)
	}
	r := bufio.NewReader(res.Body)
	var got string
	for !strings.HasSuffix(got, "\n\n") {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatalf("after %q: %v", got, err)
		}
		got += line
	}
	if got != "id: 7\ndata: 7\n\n" {
		t.Errorf("got %q", got)
	}
	if c := st.get("r"); c.Open != 1 || c.Connections != 1 {
		t.Errorf("while open: %+v, want 1 open of 1", c)
	}
	res.Body.Close()
	if open, err := st.waitClosed(context.Background(), "r", 5*time.Second); open != 0 || err != nil {
		t.Errorf("after the client went: %d open (%v)", open, err)
	}
}
