package eventsource

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"sync"

	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/parse"
)

// EventSource is a connection to an event stream, kept open until [EventSource.Close], the
// context given to [Open] ends, or the connection fails.
type EventSource struct {
	url   string
	src   *core.Source
	scope *cancel.Scope // the source's, which Close cancels
	items chan item
	done  chan struct{}
	once  sync.Once
}

// item is one event or error on its way to the reader.
type item struct {
	ev  Event
	err error
}

// Open starts connecting to the event stream at rawURL, an absolute URL, and returns at once,
// as the EventSource constructor does: the connection is made in the background and its events
// are read with [EventSource.Events]. It returns an error if rawURL is not an absolute URL or
// an option is invalid.
func Open(ctx context.Context, rawURL string, opts ...Option) (*EventSource, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("eventsource: invalid URL %q: %w", rawURL, err)
	}
	if !u.IsAbs() {
		return nil, fmt.Errorf("eventsource: invalid URL %q: not absolute", rawURL)
	}
	o := options{cfg: core.Config{URL: u.String()}}
	for _, opt := range opts {
		opt(&o)
	}
	if err := o.cfg.Validate(); err != nil {
		return nil, err
	}
	if o.transport == nil {
		o.transport = defaultTransport()
	}
	scope := cancel.New(ctx) // Close cancels it
	if fn := o.header; fn != nil {
		o.cfg.Header = func(cancel.Notifier) (map[string][]string, error) { return fn(scope) }
	}
	es := &EventSource{url: o.cfg.URL, scope: scope, items: make(chan item, 64), done: make(chan struct{})}
	es.src = core.NewSource(o.cfg, o.transport, &chanHandler{done: scope.Done(), items: es.items})
	go func() {
		defer close(es.done)
		defer close(es.items)
		es.src.Run(scope)
	}()
	return es, nil
}

// URL returns the URL of the event stream.
func (es *EventSource) URL() string { return es.url }

// ReadyState returns the state of the connection.
func (es *EventSource) ReadyState() ReadyState { return es.src.ReadyState() }

// Events returns the stream's message events in order, with an error (an [*Error]) in between
// each time the connection drops and is re-established. The sequence ends after an error whose
// WillRetry is false (the connection failed), or once the EventSource is closed. Events that
// are not read hold up the connection; nothing is dropped. Breaking out of the loop leaves the
// EventSource open: a later call of Events goes on where it stopped.
func (es *EventSource) Events() iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		for it := range es.items {
			if !yield(it.ev, it.err) {
				return
			}
		}
	}
}

// Close closes the connection, as the EventSource close() method does: the request is aborted,
// a pending reconnection cancelled, and nothing more is delivered. It waits until the
// background goroutine has ended, and always returns nil.
func (es *EventSource) Close() error {
	es.once.Do(func() { es.scope.Cancel(nil) })
	<-es.done
	return nil
}

// chanHandler hands what the source fires to the reader of Events.
type chanHandler struct {
	done   <-chan struct{} // closed once the source is closed
	items  chan<- item
	origin string
}

func (h *chanHandler) Opened(origin string) { h.origin = origin }

func (h *chanHandler) Message(ev *parse.Event) {
	typ := "message"
	if len(ev.Type) > 0 {
		typ = string(ev.Type)
	}
	h.send(item{ev: Event{Type: typ, Data: string(ev.Data), LastEventID: ev.LastEventID, Origin: h.origin}})
}

func (h *chanHandler) Error(err *Error) { h.send(item{err: err}) }

// send delivers it unless the source is closed first.
func (h *chanHandler) send(it item) {
	select {
	case h.items <- it:
	case <-h.done:
	}
}
