package core

import (
	"github.com/ssewasm/eventsource/internal/ascii"
	"github.com/ssewasm/eventsource/internal/cancel"
)

// request builds the request of the next connection.
func (s *Source) request(ctx *cancel.Scope) (*Request, error) {
	req := &Request{
		URL:             s.url,
		LastEventID:     s.parser.LastEventID(),
		WithCredentials: s.cfg.WithCredentials,
		Method:          s.cfg.Method,
		Body:            s.cfg.Body,
		Opened:          s.opened,
	}
	if req.Method == "" {
		req.Method = "GET"
	}
	if name := s.cfg.LastEventIDParam; name != "" {
		if req.LastEventID != "" {
			req.URL = withQueryParam(req.URL, name, req.LastEventID)
		}
		req.LastEventID = ""
	}
	if s.cfg.Header != nil {
		h, err := s.cfg.Header(ctx)
		if err != nil {
			return nil, err
		}
		if err := validateHeader(h); err != nil {
			return nil, err
		}
		req.Header = h
	}
	return req, nil
}

// fetchable reports whether u's scheme is one whose fetch can give an event stream: http,
// https, and the fetch schemes data and blob (Chromium's EventSource opens a data: URL).
func fetchable(u string) bool {
	scheme, _, ok := ascii.Cut(u, ':')
	if !ok {
		return false
	}
	switch ascii.Lower(scheme) {
	case "http", "https", "data", "blob":
		return true
	}
	return false
}
