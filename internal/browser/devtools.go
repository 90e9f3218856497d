//go:build unix

package browser

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
)

// DevTools is a connection to Chromium's DevTools protocol over the pipe that
// --remote-debugging-pipe opens (the browser reads commands from its fd 3 and writes answers
// and events to its fd 4, each message JSON ended by a NUL byte): no WebSocket, no library.
type DevTools struct {
	w       *os.File
	mu      sync.Mutex
	nextID  int
	pending map[int]chan devtoolsAnswer
	done    chan struct{} // closed when the browser's end of the pipe closes
}

type devtoolsAnswer struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// StartDevTools is Start for Chromium with its DevTools protocol on a pipe.
func (b *Browser) StartDevTools(bin, dir, pageURL string) (*Process, *DevTools, error) {
	if b != Chromium {
		return nil, nil, fmt.Errorf("%s has no DevTools pipe here", b.Name)
	}
	toBrowser, commands, err := os.Pipe()
	if err != nil {
		return nil, nil, err
	}
	answers, fromBrowser, err := os.Pipe()
	if err != nil {
		toBrowser.Close()
		commands.Close()
		return nil, nil, err
	}
	p, err := b.start(bin, dir, pageURL, []string{"--remote-debugging-pipe"}, []*os.File{toBrowser, fromBrowser})
	// The browser has its ends now (or failed to start): ours of them go.
	toBrowser.Close()
	fromBrowser.Close()
	if err != nil {
		commands.Close()
		answers.Close()
		return nil, nil, err
	}
	d := &DevTools{w: commands, pending: make(map[int]chan devtoolsAnswer), done: make(chan struct{})}
	go d.read(answers)
	return p, d, nil
}

// read hands each answer to the call that waits for it; events are dropped.
func (d *DevTools) read(r *os.File) {
	defer close(d.done)
	defer r.Close()
	br := bufio.NewReader(r)
	for {
		msg, err := br.ReadBytes(0)
		if err != nil {
			return
		}
		var m struct {
			ID int `json:"id"`
			devtoolsAnswer
		}
		if json.Unmarshal(msg[:len(msg)-1], &m) != nil || m.ID == 0 {
			continue
		}
		d.mu.Lock()
		ch := d.pending[m.ID]
		delete(d.pending, m.ID)
		d.mu.Unlock()
		if ch != nil {
			ch <- m.devtoolsAnswer
		}
	}
}

// Call sends method with params to the browser, or with a session ID (from
// Target.attachToTarget with flatten) to that target, and decodes the result into result
// (unless nil).
func (d *DevTools) Call(ctx context.Context, session, method string, params, result any) error {
	d.mu.Lock()
	d.nextID++
	id := d.nextID
	ch := make(chan devtoolsAnswer, 1)
	d.pending[id] = ch
	msg := map[string]any{"id": id, "method": method, "params": params}
	if params == nil {
		msg["params"] = struct{}{}
	}
	if session != "" {
		msg["sessionId"] = session
	}
	b, err := json.Marshal(msg)
	if err == nil {
		_, err = d.w.Write(append(b, 0))
	}
	d.mu.Unlock()
	if err != nil {
		return fmt.Errorf("devtools %s: %w", method, err)
	}
	select {
	case a := <-ch:
		if a.Error != nil {
			return fmt.Errorf("devtools %s: %s (%d)", method, a.Error.Message, a.Error.Code)
		}
		if result == nil {
			return nil
		}
		return json.Unmarshal(a.Result, result)
	case <-d.done:
		return fmt.Errorf("devtools %s: %w", method, errors.New("the browser closed the pipe"))
	case <-ctx.Done():
		return fmt.Errorf("devtools %s: %w", method, ctx.Err())
	}
}

// Close closes the pipe to the browser.
func (d *DevTools) Close() error { return d.w.Close() }
