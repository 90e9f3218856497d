package protocol

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/batches.json")

// Record is a record as the shim's decoder must read it: an open, a message or an error, with
// a message's data whole (its pieces joined) and its lastEventId spelled out.
type Record struct {
	Kind        string `json:"kind"` // "open", "message" or "error"
	Origin      string `json:"origin,omitempty"`
	Type        string `json:"type,omitempty"`
	LastEventID string `json:"lastEventId,omitempty"`
	Data        string `json:"data,omitempty"`
	Reason      string `json:"reason,omitempty"`
	Status      int    `json:"status,omitempty"`
	StatusText  string `json:"statusText,omitempty"`
	RetryIn     int    `json:"retryIn,omitempty"` // -1: none (the connection failed)
	Message     string `json:"message,omitempty"`
}

// sent is one batch as the face receives it: the encoded batch and the field beside it.
type sent struct {
	Batch []byte  `json:"batch"`          // base64 in JSON: the bytes Go hands over
	Last  *[]byte `json:"last,omitempty"` // the field beside the batch, if any
}

// golden is one case of testdata/batches.json.
type golden struct {
	Name    string   `json:"name"`
	Batches []sent   `json:"batches"`
	Records []Record `json:"records"`
}

// step encodes one batch: it adds records to b and returns the field beside the batch, if any.
type step func(b *Batch) []byte

var cases = []struct {
	name    string
	steps   []step
	records []Record
}{
	{
		name: "open then messages",
		steps: []step{func(b *Batch) []byte {
			b.Open("http://127.0.0.1:8080")
			b.Message(nil, "", []byte("a"), false)
			b.Message([]byte("tick"), "", []byte("b\nc"), false)
			b.Message(nil, "", []byte(""), false)
			return nil
		}},
		records: []Record{
			{Kind: "open", Origin: "http://127.0.0.1:8080"},
			{Kind: "message", Type: "message", Data: "a"},
			{Kind: "message", Type: "tick", Data: "b\nc"},
			{Kind: "message", Type: "message"},
		},
	},
	{
		name: "last event id carried across batches",
		steps: []step{
			func(b *Batch) []byte {
				b.Message(nil, "7", []byte("x"), false)
				b.Message(nil, "7", []byte("y"), false)
				return nil
			},
			func(b *Batch) []byte {
				b.Message(nil, "7", []byte("z"), false)
				b.Message(nil, "", []byte("reset"), false)
				b.Message(nil, "", []byte("after"), false)
				return nil
			},
		},
		records: []Record{
			{Kind: "message", Type: "message", LastEventID: "7", Data: "x"},
			{Kind: "message", Type: "message", LastEventID: "7", Data: "y"},
			{Kind: "message", Type: "message", LastEventID: "7", Data: "z"},
			{Kind: "message", Type: "message", Data: "reset"},
			{Kind: "message", Type: "message", Data: "after"},
		},
	},
	{
		name: "utf-8, a BOM in data, invalid bytes and NUL",
		steps: []step{func(b *Batch) []byte {
			b.Message([]byte("é"), "☃", []byte("\uFEFFa\x00\xffb\xe2\x98"), false)
			b.Message(nil, "☃", []byte("\xe2\x98\x83"), false)
			return nil
		}},
		records: []Record{
			{Kind: "message", Type: "é", LastEventID: "☃", Data: "\uFEFFa\x00\uFFFDb\uFFFD"},
			{Kind: "message", Type: "message", LastEventID: "☃", Data: "☃"},
		},
	},
	{
		name: "a big message beside its batch",
		steps: []step{
			func(b *Batch) []byte {
				b.Message(nil, "", []byte("small"), false)
				return nil
			},
			func(b *Batch) []byte {
				b.Message([]byte("big"), "1", nil, true)
				return []byte("big data")
			},
			func(b *Batch) []byte {
				b.Message(nil, "", []byte("big without type"), true)
				return []byte("big without type")
			},
		},
		records: []Record{
			{Kind: "message", Type: "message", Data: "small"},
			{Kind: "message", Type: "big", LastEventID: "1", Data: "big data"},
			{Kind: "message", Type: "message", Data: "big without type"},
		},
	},
	{
		name: "pieces of a long message, and pieces dropped",
		steps: []step{
			func(b *Batch) []byte { b.Piece(); return []byte("one ") },
			func(b *Batch) []byte { b.Piece(); return []byte("two ") },
			func(b *Batch) []byte {
				b.Message(nil, "", []byte("three"), false)
				b.Message(nil, "", []byte("alone"), false)
				return nil
			},
			func(b *Batch) []byte { b.Piece(); return []byte("lost") },
			func(b *Batch) []byte {
				b.DropPieces()
				b.Error("end-of-stream", 200, "OK", 3*time.Second, nil)
				b.Message(nil, "", []byte("next"), false)
				return nil
			},
			func(b *Batch) []byte { b.Piece(); return []byte("p+") },
			func(b *Batch) []byte { b.Message([]byte("t"), "", nil, true); return []byte("big") },
		},
		records: []Record{
			{Kind: "message", Type: "message", Data: "one two three"},
			{Kind: "message", Type: "message", Data: "alone"},
			{Kind: "error", Reason: "end-of-stream", Status: 200, StatusText: "OK", RetryIn: 3000},
			{Kind: "message", Type: "message", Data: "next"},
			{Kind: "message", Type: "t", Data: "p+big"},
		},
	},
	{
		name: "errors: reconnecting and failed",
		steps: []step{func(b *Batch) []byte {
			b.Error("network", 0, "", 0, errors.New("TypeError: Failed to fetch\r\nagain"))
			b.Error("http-status", 503, "Service Unavailable", -1, nil)
			return nil
		}},
		records: []Record{
			{Kind: "error", Reason: "network", RetryIn: 0, Message: "TypeError: Failed to fetch \nagain"},
			{Kind: "error", Reason: "http-status", Status: 503, StatusText: "Service Unavailable", RetryIn: -1},
		},
	},
}

// encode runs a case's steps, each on a fresh batch after the last (as the engine sends them).
func encode(steps []step) []sent {
	var b Batch
	var out []sent
	for _, s := range steps {
		last := s(&b)
		enc := sent{Batch: bytes.Clone(b.Bytes())}
		if last != nil {
			enc.Last = &last
		}
		out = append(out, enc)
		b.Reset()
	}
	return out
}

const goldenPath = "testdata/batches.json"

// TestGolden checks the encoding of every case against testdata/batches.json, which the
// shim's decoder is tested against (TestShim); go test -update rewrites it.
func TestGolden(t *testing.T) {
	var all []golden
	for _, c := range cases {
		all = append(all, golden{Name: c.name, Batches: encode(c.steps), Records: c.records})
	}
	want, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, '\n')
	if *update {
		if err := os.WriteFile(goldenPath, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(goldenPath)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the cases encode to; if the protocol changed on purpose, run go test -update and change js/shim/protocol.js to match", goldenPath)
	}
}

// TestEncoding checks a few batches byte for byte, so that the golden file's contents are
// reviewed once here.
func TestEncoding(t *testing.T) {
	tests := []struct {
		name string
		add  func(b *Batch)
		want string
	}{
		{"open", func(b *Batch) { b.Open("https://a.example") }, "https://a.example\ro"},
		{"d record", func(b *Batch) { b.Message(nil, "", []byte("x"), false) }, "x\rd"},
		{"m record", func(b *Batch) { b.Message([]byte("t"), "1", []byte("x"), false) }, "t\r1\rx\rm"},
		{"m record with data beside", func(b *Batch) { b.Message(nil, "1", []byte("x"), true) }, "\r1\rm"},
		{"piece", func(b *Batch) { b.Piece() }, "p"},
		{"drop", func(b *Batch) { b.DropPieces() }, "x"},
		{"error, retry", func(b *Batch) { b.Error("network", 0, "", 1500*time.Millisecond, nil) }, "network\r0\r\r1500\r\re"},
		{"error, failed", func(b *Batch) { b.Error("cors", 0, "", -1, errors.New("a\rb")) }, "cors\r0\r\r\ra b\re"},
		{"two", func(b *Batch) { b.Open("o"); b.Message(nil, "", []byte("x"), false) }, "o\rx\rod"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b Batch
			tt.add(&b)
			if got := string(b.Bytes()); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestReset checks that Reset keeps the last event ID, and drops the memory of a huge batch.
func TestReset(t *testing.T) {
	var b Batch
	b.Message(nil, "5", bytes.Repeat([]byte("x"), maxKeep+1), false)
	b.Bytes()
	b.Reset()
	if b.Len() != 0 || b.Size() != 0 || cap(b.buf) != 0 {
		t.Errorf("after Reset: %d records, %d bytes, capacity %d; want none", b.Len(), b.Size(), cap(b.buf))
	}
	b.Message(nil, "5", []byte("y"), false)
	if got := string(b.Bytes()); got != "y\rd" {
		t.Errorf("after Reset, a message with the same id: %q, want a d record", got)
	}
}

// TestShim runs the shim's files that the protocol specifies under Node.js:
// js/shim/protocol.test.mjs tests the decoder (protocol.js) against testdata/batches.json,
// js/shim/options.test.mjs the checks of the options (options.js) against options.json, and
// js/shim/host.test.mjs the engine host (host.js), which carries the records to the pages'
// sources and shares connections among them.
func TestShim(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is not installed: %v", err)
	}
	golden, err1 := filepath.Abs(goldenPath)
	schema, err2 := filepath.Abs("options.json")
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	dir := filepath.Join("..", "..", "js", "shim")
	cmd := exec.CommandContext(ctx, node, "--test", "--test-reporter=spec", filepath.Join(dir, "protocol.test.mjs"), filepath.Join(dir, "options.test.mjs"), filepath.Join(dir, "host.test.mjs"))
	cmd.Env = append(os.Environ(), "PROTOCOL_GOLDEN="+golden, "OPTIONS_SCHEMA="+schema)
	out, err := cmd.CombinedOutput()
	t.Logf("node --test:\n%s", out)
	if err != nil {
		t.Fatalf("node --test: %v", err)
	}
}
