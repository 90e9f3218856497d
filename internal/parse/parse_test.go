package parse

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// ev is a dispatched event as a test sees it; typ "" is shown as the default "message".
type ev struct {
	Type, Data, ID string
}

// recorder is a Handler that keeps everything it is told.
type recorder struct {
	events  []ev
	retries []int64
}

func (r *recorder) Event(e *Event) {
	typ := string(e.Type)
	if typ == "" {
		typ = "message"
	}
	r.events = append(r.events, ev{typ, string(e.Data), e.LastEventID})
}

func (r *recorder) Retry(ms int64) { r.retries = append(r.retries, ms) }

// pieceRecorder is a recorder that takes long data in pieces (PieceHandler). It joins them to
// the data of the next event, and notes in bad any piece that breaks the contract: empty, or not
// valid UTF-8 on its own (each piece is decoded apart).
type pieceRecorder struct {
	recorder
	pending []byte
	bad     string
}

func (r *pieceRecorder) Piece(piece []byte) {
	if len(piece) == 0 || !utf8.Valid(piece) {
		r.bad = fmt.Sprintf("piece %q", piece)
	}
	r.pending = append(r.pending, piece...)
}

func (r *pieceRecorder) DropPieces() { r.pending = r.pending[:0] }

func (r *pieceRecorder) Event(e *Event) {
	data := append(r.pending, e.Data...)
	r.pending = r.pending[:0]
	r.recorder.Event(&Event{Type: e.Type, Data: data, LastEventID: e.LastEventID})
}

// rawRecorder is a recorder of raw data (SetRawData), which it decodes with appendText.
type rawRecorder struct{ recorder }

func (r *rawRecorder) Event(e *Event) {
	r.recorder.Event(&Event{Type: e.Type, Data: appendText(nil, e.Data), LastEventID: e.LastEventID})
}

// rawPieceRecorder is a pieceRecorder of raw data (SetRawData), which it decodes: each piece,
// and each event's Data, apart from the others.
type rawPieceRecorder struct{ pieceRecorder }

func (r *rawPieceRecorder) Piece(piece []byte) {
	if len(piece) == 0 {
		r.bad = "an empty piece"
	}
	r.pending = appendText(r.pending, piece)
}

func (r *rawPieceRecorder) Event(e *Event) {
	r.pieceRecorder.Event(&Event{Type: e.Type, Data: appendText(nil, e.Data), LastEventID: e.LastEventID})
}

// parseChunksPieces is parseChunks with a PieceHandler and pieces of size bytes (none if size is
// 0), and raw data (SetRawData) if raw. It panics if a piece breaks the contract.
func parseChunksPieces(size int, raw bool, chunks ...[]byte) result {
	var (
		h   Handler
		rec *recorder
		bad *string
	)
	switch {
	case raw && size == 0:
		r := &rawRecorder{}
		h, rec, bad = r, &r.recorder, new(string)
	case raw:
		r := &rawPieceRecorder{}
		h, rec, bad = r, &r.recorder, &r.bad
	default:
		r := &pieceRecorder{}
		h, rec, bad = r, &r.recorder, &r.bad
	}
	p := New(h, "")
	p.SetRawData(raw)
	if size > 0 {
		p.pieceSize = size
	}
	for _, c := range chunks {
		p.Feed(c)
		if *bad != "" {
			panic(fmt.Sprintf("pieces of %d bytes: %s", size, *bad))
		}
	}
	return result{rec.events, rec.retries, p.LastEventID()}
}

// result is what one parse of a whole stream produced.
type result struct {
	Events  []ev
	Retries []int64
	LastID  string
}

// parseChunks feeds chunks to a new parser and returns what it reported.
func parseChunks(chunks ...[]byte) result {
	var r recorder
	p := New(&r, "")
	for _, c := range chunks {
		p.Feed(c)
	}
	return result{r.events, r.retries, p.LastEventID()}
}

func msg(data string) ev { return ev{"message", data, ""} }

// parseCases are the rules of HTML §9.2.5 and §9.2.6, one or more cases per rule, each named for
// the rule it checks. Every case is also run at every split point and byte by byte.
var parseCases = []struct {
	name    string
	input   string
	want    []ev
	retries []int64
	lastID  string
}{
	// §9.2.6: "If the line is empty (a blank line): dispatch the event."
	{name: "blank line dispatches", input: "data: a\n\n", want: []ev{msg("a")}},
	{name: "no blank line, no event", input: "data: a\n"},
	// "Once the end of the file is reached, any pending data must be discarded."
	{name: "incomplete event at end discarded", input: "data: a\n\ndata: b\n", want: []ev{msg("a")}},
	{name: "unterminated last line discarded", input: "data: a\n\ndata: b", want: []ev{msg("a")}},
	// §9.2.5 end-of-line = ( cr lf / cr / lf )
	{name: "LF line ends", input: "data: a\n\ndata: b\n\n", want: []ev{msg("a"), msg("b")}},
	{name: "CRLF line ends", input: "data: a\r\n\r\ndata: b\r\n\r\n", want: []ev{msg("a"), msg("b")}},
	{name: "CR line ends", input: "data: a\r\rdata: b\r\r", want: []ev{msg("a"), msg("b")}},
	{name: "mixed line ends", input: "data: a\r\ndata: b\rdata: c\n\r\n", want: []ev{msg("a\nb\nc")}},
	{name: "CR CR is two line ends", input: "data: a\r\r", want: []ev{msg("a")}},
	{name: "LF CR is two line ends", input: "data: a\n\r", want: []ev{msg("a")}},
	{name: "CRLF is one line end", input: "data: a\r\n", want: nil},
	// "If the line starts with a U+003A COLON character (:): ignore the line."
	{name: "comment ignored", input: ": hello\ndata: a\n: x\n\n", want: []ev{msg("a")}},
	{name: "comment alone dispatches nothing", input: ":\n\n"},
	// "If the line contains a U+003A COLON ... value after the first colon; one leading space removed."
	{name: "one leading space removed", input: "data:  a\n\n", want: []ev{msg(" a")}},
	{name: "no space after colon", input: "data:a\n\n", want: []ev{msg("a")}},
	{name: "value keeps later colons", input: "data: a: b:c\n\n", want: []ev{msg("a: b:c")}},
	{name: "trailing space kept", input: "data: a \n\n", want: []ev{msg("a ")}},
	{name: "tab is not removed", input: "data:\ta\n\n", want: []ev{msg("\ta")}},
	// "Otherwise, the string is not empty but does not contain a U+003A COLON character (:): ...
	// using the whole line as the field name, and the empty string as the field value."
	{name: "field with no colon", input: "data\ndata\n\n", want: []ev{msg("\n")}},
	{name: "data with no colon alone", input: "data\n\n", want: []ev{msg("")}},
	{name: "field name with trailing space is another field", input: "data : a\n\n"},
	// "data": "Append the field value to the data buffer, then append a single U+000A LINE FEED".
	{name: "data lines joined with LF", input: "data: a\ndata: b\ndata: c\n\n", want: []ev{msg("a\nb\nc")}},
	{name: "empty data line", input: "data:\n\n", want: []ev{msg("")}},
	{name: "empty data lines joined", input: "data:\ndata:\n\n", want: []ev{msg("\n")}},
	{name: "only final LF removed", input: "data: a\ndata:\n\n", want: []ev{msg("a\n")}},
	// "event": "Set the event type buffer to the field value."
	{name: "event type", input: "event: add\ndata: 1\n\n", want: []ev{{"add", "1", ""}}},
	{name: "last event field wins", input: "event: a\nevent: b\ndata: 1\n\n", want: []ev{{"b", "1", ""}}},
	{name: "empty event type is message", input: "event:\ndata: 1\n\n", want: []ev{msg("1")}},
	{name: "event type reset after dispatch", input: "event: add\ndata: 1\n\ndata: 2\n\n", want: []ev{{"add", "1", ""}, msg("2")}},
	// Dispatch step 2: an empty data buffer fires nothing but resets the event type buffer.
	{name: "event type reset by empty dispatch", input: "event: add\n\ndata: 2\n\n", want: []ev{msg("2")}},
	{name: "type without data fires nothing", input: "event: add\n\n"},
	{name: "event type is case sensitive", input: "Event: add\nDATA: 1\n\n"},
	// "id": "If the field value does not contain U+0000 NULL, then set the last event ID buffer".
	{name: "id", input: "id: 1\ndata: a\n\n", want: []ev{{"message", "a", "1"}}, lastID: "1"},
	{name: "id persists across events", input: "id: 1\ndata: a\n\ndata: b\n\n", want: []ev{{"message", "a", "1"}, {"message", "b", "1"}}, lastID: "1"},
	{name: "id after data in the same event", input: "data: a\nid: 7\n\n", want: []ev{{"message", "a", "7"}}, lastID: "7"},
	{name: "empty id resets", input: "id: 1\ndata: a\n\nid\ndata: b\n\n", want: []ev{{"message", "a", "1"}, {"message", "b", ""}}, lastID: ""},
	{name: "id with NUL ignored", input: "id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n", want: []ev{{"message", "a", "1"}, {"message", "b", "1"}}, lastID: "1"},
	{name: "id keeps spaces", input: "id:  x y \ndata: a\n\n", want: []ev{{"message", "a", " x y "}}, lastID: " x y "},
	// Dispatch step 1 runs even when step 2 then returns: the last event ID string is updated.
	{name: "id set without data", input: "id: 5\n\n", lastID: "5"},
	// A pending id not followed by a blank line is not dispatched, so the string stays.
	{name: "id without blank line not committed", input: "id: 1\ndata: a\n\nid: 2\n", want: []ev{{"message", "a", "1"}}, lastID: "1"},
	// "retry": "If the field value consists of only ASCII digits ... set the event stream's
	// reconnection time to that integer. Otherwise, ignore the field."
	{name: "retry", input: "retry: 1000\n", retries: []int64{1000}},
	{name: "retry zero", input: "retry: 0\n", retries: []int64{0}},
	{name: "retry leading zeros", input: "retry: 007\n", retries: []int64{7}},
	{name: "retry with sign ignored", input: "retry: +1\nretry: -1\n"},
	{name: "retry with letters ignored", input: "retry: 1a\nretry: 1.5\nretry: 1e3\n"},
	{name: "retry with spaces ignored", input: "retry:  100\nretry: 100 \n"},
	{name: "retry empty ignored", input: "retry\nretry:\n"},
	{name: "retry non-ASCII digits ignored", input: "retry: \u0661\n"},
	{name: "retry saturates", input: "retry: 99999999999999999999999999999999\n", retries: []int64{MaxRetry}},
	{name: "retry does not dispatch", input: "retry: 5\n\n", retries: []int64{5}},
	{name: "retry with data", input: "data: a\nretry: 5\n\n", want: []ev{msg("a")}, retries: []int64{5}},
	// "Otherwise: the field is ignored."
	{name: "unknown field ignored", input: "foo: bar\ndata: a\n\n", want: []ev{msg("a")}},
	{name: "unknown fields alone", input: "foo: bar\n\n"},
	// §9.2.5: the stream is decoded with UTF-8 decode: one leading BOM is stripped.
	{name: "BOM stripped", input: "\uFEFFdata: a\n\n", want: []ev{msg("a")}},
	{name: "only one BOM stripped", input: "\uFEFF\uFEFFdata: a\n\ndata: b\n\n", want: []ev{msg("b")}},
	{name: "BOM not stripped later", input: "data: a\n\n\uFEFFdata: b\n\n", want: []ev{msg("a")}},
	{name: "BOM alone then blank line", input: "\uFEFF\ndata: a\n\n", want: []ev{msg("a")}},
	{name: "BOM inside value kept", input: "data: \uFEFFa\n\n", want: []ev{msg("\uFEFFa")}},
	// UTF-8 decode: invalid bytes become U+FFFD (one per maximal subpart), valid text unchanged.
	{name: "UTF-8 multi-byte", input: "data: é€😀\n\n", want: []ev{msg("é€😀")}},
	{name: "invalid byte", input: "data: a\xFFb\n\n", want: []ev{msg("a\uFFFDb")}},
	{name: "truncated sequence is one U+FFFD", input: "data: \xE2\x82\n\n", want: []ev{msg("\uFFFD")}},
	{name: "truncated then ASCII", input: "data: \xE2\x82a\n\n", want: []ev{msg("\uFFFDa")}},
	{name: "overlong is one U+FFFD per byte", input: "data: \xC0\xAF\n\n", want: []ev{msg("\uFFFD\uFFFD")}},
	{name: "surrogate encoding invalid", input: "data: \xED\xA0\x80\n\n", want: []ev{msg("\uFFFD\uFFFD\uFFFD")}},
	{name: "above U+10FFFF invalid", input: "data: \xF4\x90\x80\x80\n\n", want: []ev{msg("\uFFFD\uFFFD\uFFFD\uFFFD")}},
	{name: "lone continuation bytes", input: "data: \x80\x80\n\n", want: []ev{msg("\uFFFD\uFFFD")}},
	{name: "truncated 4-byte then valid", input: "data: \xF0\x9F\x98é\n\n", want: []ev{msg("\uFFFDé")}},
	{name: "invalid in event type", input: "event: a\xFF\ndata: 1\n\n", want: []ev{{"a\uFFFD", "1", ""}}},
	{name: "invalid in id", input: "id: \xFF\ndata: 1\n\n", want: []ev{{"message", "1", "\uFFFD"}}, lastID: "\uFFFD"},
	{name: "invalid field name ignored", input: "d\xFFata: 1\n\n"},
	{name: "NUL in data kept", input: "data: a\x00b\n\n", want: []ev{msg("a\x00b")}},
	// The standard's own examples (HTML §9.2.6).
	{
		name:  "spec example: two events, id on the first",
		input: "data: This is the first message.\n\ndata: This is the second message, it\ndata: has two lines.\n\ndata: This is the third message.\n\n",
		want:  []ev{msg("This is the first message."), msg("This is the second message, it\nhas two lines."), msg("This is the third message.")},
	},
	{
		name:  "spec example: add and remove",
		input: "event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n",
		want:  []ev{{"add", "73857293", ""}, {"remove", "2153", ""}, {"add", "113411", ""}},
	},
	{
		name:  "spec example: stock ticker",
		input: "data: YHOO\ndata: +2\ndata: 10\n\n",
		want:  []ev{msg("YHOO\n+2\n10")},
	},
	{
		name:  "spec example: comment, id, blank lines",
		input: ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n",
		want:  []ev{{"message", "first event", "1"}, {"message", "second event", ""}},
	},
	{
		name:  "spec example: data data",
		input: "data\n\ndata\ndata\n\ndata:\n",
		want:  []ev{msg(""), msg("\n")},
	},
	{
		name:  "spec example: leading space",
		input: "data:test\n\ndata: test\n\n",
		want:  []ev{msg("test"), msg("test")},
	},
}

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range parseCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want := result{tc.want, tc.retries, tc.lastID}
			check := func(how string, got result) {
				t.Helper()
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s: parse(%q)\n got %+v\nwant %+v", how, tc.input, got, want)
				}
			}
			in := []byte(tc.input)
			check("whole", parseChunks(in))
			// Every split into two chunks, and every split into three around each point.
			for i := 0; i <= len(in); i++ {
				check(fmt.Sprintf("split at %d", i), parseChunks(in[:i], in[i:]))
				for j := i; j <= len(in) && j <= i+4; j++ {
					check(fmt.Sprintf("split at %d and %d", i, j), parseChunks(in[:i], in[i:j], in[j:]))
				}
			}
			check("byte by byte", parseChunks(bytesOf(in)...))
			// The same with the data handed over in pieces of a few bytes, and raw (decoded
			// piece by piece by the handler), in pieces or not.
			for _, raw := range []bool{false, true} {
				for _, size := range []int{0, 1, 2, 3, 5} {
					if size == 0 && !raw {
						continue
					}
					how := fmt.Sprintf("raw %v, pieces of %d", raw, size)
					check(how+", whole", parseChunksPieces(size, raw, in))
					for i := 0; i <= len(in); i++ {
						check(fmt.Sprintf("%s, split at %d", how, i), parseChunksPieces(size, raw, in[:i], in[i:]))
					}
					check(how+", byte by byte", parseChunksPieces(size, raw, bytesOf(in)...))
				}
			}
		})
	}
}

// bytesOf splits b into one-byte chunks.
func bytesOf(b []byte) [][]byte {
	chunks := make([][]byte, len(b))
	for i := range b {
		chunks[i] = b[i : i+1]
	}
	return chunks
}

// TestResetStartsANewStream checks what carries over from one connection to the next: the last
// event ID string does; pending data, a cut line and the BOM check start afresh (§9.2.6: at the
// end of the stream "any pending data must be discarded").
func TestResetStartsANewStream(t *testing.T) {
	t.Parallel()
	var r recorder
	p := New(&r, "")
	p.Feed([]byte("id: 1\ndata: a\n\nid: 2\ndata: b\ndata: c"))
	p.Reset()
	if got := p.LastEventID(); got != "1" {
		t.Fatalf("last event ID after reset = %q, want %q", got, "1")
	}
	// A CR at the end of the old stream must not swallow an LF starting the new one.
	p.Feed([]byte("data: x\r"))
	p.Reset()
	p.Feed([]byte("\n\uFEFFdata: d\n\n"))
	p.Feed([]byte("data: e\n\n"))
	want := []ev{{"message", "a", "1"}, {"message", "e", "1"}}
	if !reflect.DeepEqual(r.events, want) {
		t.Fatalf("events = %+v, want %+v", r.events, want)
	}
	// The BOM is stripped again at the start of the next stream.
	r.events = nil
	p.Reset()
	p.Feed([]byte("\uFEFFdata: f\n\n"))
	if want := []ev{{"message", "f", "1"}}; !reflect.DeepEqual(r.events, want) {
		t.Fatalf("events = %+v, want %+v", r.events, want)
	}
}

func TestNewWithLastEventID(t *testing.T) {
	t.Parallel()
	var r recorder
	p := New(&r, "41")
	p.Feed([]byte("data: a\n\nid: 42\n\n"))
	if want := []ev{{"message", "a", "41"}}; !reflect.DeepEqual(r.events, want) {
		t.Fatalf("events = %+v, want %+v", r.events, want)
	}
	if got := p.LastEventID(); got != "42" {
		t.Fatalf("LastEventID() = %q, want %q", got, "42")
	}
	p.SetLastEventID("x")
	p.Feed([]byte("data: b\n\n"))
	if got := r.events[1].ID; got != "x" {
		t.Fatalf("event after SetLastEventID has id %q, want %q", got, "x")
	}
}

// TestLongLines checks lines far longer than any chunk, in odd-sized chunks.
func TestLongLines(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("0123456789abcdef", 1<<14) // 256 KiB
	in := []byte("data: " + long + "\r\ndata:" + long + "\r\r")
	for _, size := range []int{1, 7, 4096, 65536, len(in)} {
		var chunks [][]byte
		for b := in; len(b) > 0; {
			n := min(size, len(b))
			chunks = append(chunks, b[:n])
			b = b[n:]
		}
		got := parseChunks(chunks...)
		if len(got.Events) != 1 || got.Events[0].Data != long+"\n"+long {
			t.Fatalf("chunk size %d: got %d events, want one of %d bytes", size, len(got.Events), 2*len(long)+1)
		}
	}
}

// TestPiecesBoundMemory checks that a PieceHandler gets a long event in pieces that keep the
// parser's buffers near PieceSize, however long the event's lines, and that the pieces and the
// data make the event's data; and that the pieces of an event that a reset cuts off are dropped.
func TestPiecesBoundMemory(t *testing.T) {
	t.Parallel()
	const size = 8 << 20
	line := strings.Repeat("é", 1<<9) + "x" // 1025 bytes: the 2-byte é falls across chunks
	for _, shape := range []string{"lines", "one line"} {
		var in, want []byte
		if shape == "lines" {
			for len(want) < size {
				in = append(append(append(in, "data: "...), line...), '\n')
				want = append(append(want, line...), '\n')
			}
			want = want[:len(want)-1]
		} else {
			want = []byte(strings.Repeat(line, size/len(line)))
			in = append(append([]byte("data:"), want...), '\n')
		}
		in = append(in, '\n')
		var r pieceRecorder
		p := New(&r, "")
		pieces, maxCap := 0, 0
		for b := in; len(b) > 0; {
			n := min(65521, len(b)) // chunks of a prime size, to cut sequences anywhere
			before := len(r.pending)
			p.Feed(b[:n])
			b = b[n:]
			if len(r.pending) != before {
				pieces++
			}
			maxCap = max(maxCap, cap(p.data), cap(p.line))
		}
		if r.bad != "" {
			t.Fatalf("%s: %s", shape, r.bad)
		}
		if len(r.events) != 1 || r.events[0].Data != string(want) {
			t.Fatalf("%s: got %d events, want one of %d bytes of data", shape, len(r.events), len(want))
		}
		if pieces < size/PieceSize/2 || maxCap > 4*PieceSize {
			t.Fatalf("%s: %d pieces, buffers up to %d bytes; want about %d pieces, buffers of at most %d", shape, pieces, maxCap, size/PieceSize, 4*PieceSize)
		}
		// Cut off by a reset, the event's pieces are dropped, and the next event is whole.
		p.Feed(in[:len(in)/2])
		p.Reset()
		p.Feed([]byte("data: next\n\n"))
		if n := len(r.events); n != 2 || r.events[1].Data != "next" {
			t.Fatalf("%s: after a reset, got %d events, the last with %d bytes of data; want the second to be \"next\"", shape, n, len(r.events[n-1].Data))
		}
	}
}

// TestAllocsPerEvent pins the parser's allocations: none per event once its buffers have grown.
func TestAllocsPerEvent(t *testing.T) {
	var h nopHandler
	p := New(h, "")
	chunk := []byte(strings.Repeat("id: 1\nevent: tick\ndata: "+strings.Repeat("x", 64)+"\n\n", 100))
	p.Feed(chunk)
	if n := testing.AllocsPerRun(100, func() { p.Feed(chunk) }); n != 0 {
		t.Fatalf("Feed of 100 events allocates %v times, want 0", n)
	}
}

type nopHandler struct{}

func (nopHandler) Event(*Event) {}
func (nopHandler) Retry(int64)  {}
