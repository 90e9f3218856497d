//go:build unix

package main

// The server side of the endurance mode (soak.go): the endpoints its pages read, and what they
// saw.

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/ssewasm/eventsource/internal/ssehttp"
)

// soakState is what the soak endpoints saw, by run.
type soakState struct {
	mu   sync.Mutex
	runs map[string]*soakCount
}

// A soakCount is what the server saw of one run.
type soakCount struct {
	Connections int `json:"connections"` // requests served
	// Resent counts drop responses that sent an event already sent, because the request's
	// Last-Event-ID had not advanced past it: the client lost it, or got it but did not keep
	// its id.
	Resent int `json:"resent"`
	// Open counts once responses still open, whose client has not gone, when the phase's end
	// figures are taken; Lingering those still open soakLinger later.
	Open      int `json:"open"`
	Lingering int `json:"lingering"`
	PeakOpen  int `json:"peakOpen"` // the most once responses open at a time
	maxSent   int
}

// count returns run's count, with the lock held: call the func returned when done.
func (s *soakState) count(run string) (*soakCount, func()) {
	s.mu.Lock()
	if s.runs == nil {
		s.runs = map[string]*soakCount{}
	}
	c := s.runs[run]
	if c == nil {
		c = &soakCount{}
		s.runs[run] = c
	}
	return c, s.mu.Unlock
}

// get returns a copy of run's count.
func (s *soakState) get(run string) soakCount {
	c, unlock := s.count(run)
	defer unlock()
	return *c
}

// waitClosed waits up to d for run's once responses to close, and returns how many are still
// open.
func (s *soakState) waitClosed(ctx context.Context, run string, d time.Duration) (int, error) {
	for end := time.Now().Add(d); ; {
		c := s.get(run)
		if c.Open == 0 || time.Now().After(end) {
			return c.Open, nil
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return c.Open, err
		}
	}
}

// once serves /soak/once?run=RUN&k=K: one event with id and data K, then holds the response
// open until the client goes.
func (s *soakState) once(w http.ResponseWriter, r *http.Request) {
	k, err := strconv.Atoi(r.FormValue("k"))
	if err != nil {
		http.Error(w, "bad k", http.StatusBadRequest)
		return
	}
	c, unlock := s.count(r.FormValue("run"))
	c.Connections++
	c.Open++
	c.PeakOpen = max(c.PeakOpen, c.Open)
	unlock()
	defer func() {
		_, unlock := s.count(r.FormValue("run"))
		c.Open--
		unlock()
	}()
	rc := ssehttp.StartStream(w)
	fmt.Fprintf(w, "id: %d\ndata: %d\n\n", k, k)
	rc.Flush()
	<-r.Context().Done()
}

// nextDropID returns the id of the event that a drop response sends after lastEventID, the
// request's Last-Event-ID: ids count from 1.
func nextDropID(lastEventID string) (int, error) {
	if lastEventID == "" {
		return 1, nil
	}
	k, err := strconv.Atoi(lastEventID)
	if err != nil || k < 0 {
		return 0, fmt.Errorf("bad Last-Event-ID %q", lastEventID)
	}
	return k + 1, nil
}

// drop serves /soak/drop?run=RUN&n=N: the event after the request's Last-Event-ID (id and
// data k), then breaks the connection, so that the chunked body ends without its last chunk:
// a network error, not the end of the stream. Past event N it answers 204, which fails the
// source. Chromium's fetch() can lose the bytes that come just before such a break, so to a
// request without Last-Event-ID (a client that may not have the retry field yet) it sends the
// retry field alone first, and waits soakRetryPause.
func (s *soakState) drop(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.Atoi(r.FormValue("n"))
	if err != nil {
		http.Error(w, "bad n", http.StatusBadRequest)
		return
	}
	k, err := nextDropID(r.Header.Get("Last-Event-ID"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	c, unlock := s.count(r.FormValue("run"))
	c.Connections++
	if k <= c.maxSent {
		c.Resent++
	}
	c.maxSent = max(c.maxSent, k)
	unlock()
	if k > n {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rc := ssehttp.StartStream(w)
	if k == 1 {
		fmt.Fprintf(w, "retry: %d\n\n", soakRetryMs)
		if err := rc.Flush(); err != nil {
			return
		}
		time.Sleep(soakRetryPause)
	}
	fmt.Fprintf(w, "retry: %d\nid: %d\ndata: %d\n\n", soakRetryMs, k, k)
	if err := rc.Flush(); err != nil {
		return
	}
	conn, _, err := rc.Hijack()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bench: /soak/drop: %v\n", err)
		return
	}
	conn.Close()
}
