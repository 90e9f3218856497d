// Package parse implements the WHATWG HTML event-stream parser ("Parsing an event stream" and
// "Interpreting an event stream", HTML §9.2.5 and §9.2.6) as a push parser: it is fed byte chunks
// of any size, splits them into lines, interprets the fields and hands each dispatched event to a
// [Handler]. It starts no goroutine and does no I/O.
package parse

import (
	"bytes"
	"unicode/utf8"
)

// Event is one dispatched event. Type and Data alias the parser's buffers: they are valid only
// until the [Handler] method that received the event returns.
type Event struct {
	// Type is the event type buffer; empty means the default type, "message".
	Type []byte
	// Data is the data buffer with its final LF removed.
	Data []byte
	// LastEventID is the source's last event ID string at dispatch time.
	LastEventID string
}

// Handler receives what a [Parser] finds.
type Handler interface {
	// Event is called for each dispatched event, in stream order.
	Event(ev *Event)
	// Retry is called when a "retry" field sets the reconnection time, in milliseconds.
	Retry(ms int64)
}

// PieceHandler is a [Handler] that takes the data of a long event in pieces, so that the parser
// never holds much more than [PieceSize] bytes of it however long the event is: a WebAssembly
// program's memory never shrinks, and a buffer that grows to an event's size is copied as it
// grows and leaves garbage to collect.
type PieceHandler interface {
	Handler
	// Piece is called with the start of the data buffer of the event being parsed, decoded as
	// Event's Data is (or not: see SetRawData), which the parser then drops from its buffer. The
	// data of the next event dispatched is the pieces received since the last Event or
	// DropPieces, followed by its Data (which may then be empty). A piece is not empty, and
	// decodes on its own to what it decodes to as part of the data: decoded, it is valid UTF-8;
	// raw, it ends where a decoder starts afresh. piece is valid only during the call.
	Piece(piece []byte)
	// DropPieces is called when the stream is reset before the event of the pieces received
	// since the last Event was dispatched: they belong to no event.
	DropPieces()
}

// PieceSize is the size of the data buffer from which a [PieceHandler] gets its start as a
// piece.
const PieceSize = 256 << 10

// MaxRetry is the largest reconnection time a "retry" field can set, in milliseconds; larger
// values saturate to it. It is about 292 years, the most a time.Duration holds.
const MaxRetry = int64(1<<63-1) / 1e6

// Parser is an event-stream parser. The zero value is not usable; call [New].
type Parser struct {
	h Handler

	line    []byte // the start of a line that a chunk boundary cut
	partial bool   // line holds a cut line (possibly empty so far)
	// direct is set while a cut "data" line is being appended straight to the data buffer,
	// from dataStart on, instead of to line: a long data line is then copied once, not twice.
	direct    bool
	dataStart int
	skipLF    bool // the previous chunk ended with CR: an LF starting the next one ends nothing
	atStart   bool // no line of this stream has ended yet: a BOM may still lead it

	data  []byte // the data buffer
	typ   []byte // the event type buffer
	idBuf []byte // the last event ID buffer

	lastID string // the event source's last event ID string
	ev     Event

	pieces    PieceHandler // h, if it takes pieces
	pieceSize int          // PieceSize, but in tests
	raw       bool         // data is handed over undecoded (SetRawData)
	pieced    bool         // pieces have been handed over since the last dispatch
	invalid   bool         // the data line being appended in direct mode is not valid UTF-8
}

// New returns a parser that reports to h. lastEventID is the source's last event ID string
// carried over from earlier streams ("" for a new source).
func New(h Handler, lastEventID string) *Parser {
	p := &Parser{h: h, lastID: lastEventID}
	p.pieces, _ = h.(PieceHandler)
	p.pieceSize = PieceSize
	p.Reset()
	return p
}

// LastEventID returns the event source's last event ID string: the last event ID buffer as it
// was at the most recent dispatch (HTML §9.2.6, "dispatch the event", step 1), which is what the
// next connection sends as Last-Event-ID.
func (p *Parser) LastEventID() string { return p.lastID }

// SetLastEventID sets the last event ID string and buffer, as before a stream starts.
func (p *Parser) SetLastEventID(id string) {
	p.lastID = id
	p.idBuf = append(p.idBuf[:0], id...)
}

// SetRawData sets whether the parser hands the data of events (Data, and pieces to a
// [PieceHandler]) over as the stream's bytes, undecoded, for a handler that passes it on to a
// decoder anyway, which must then be the WHATWG Encoding standard's "UTF-8 decode": it replaces
// each maximal invalid subsequence with one U+FFFD, as JavaScript's TextDecoder does. The parser
// then does not check the data too. Decoding each piece and Data apart, or any of them joined
// with ASCII between them, gives the text that decoding the whole data would: a piece ends only
// where the decoder starts afresh. The event type and the last event ID are decoded either way.
func (p *Parser) SetRawData(raw bool) { p.raw = raw }

// Reset prepares the parser for a new stream (a new connection). Per HTML §9.2.6 the end of a
// stream discards any pending data: an incomplete line or event is dropped. The last event ID
// buffer starts again from the last event ID string, as browsers do, so that an event of the new
// stream that carries no id field still reports the source's last event ID.
func (p *Parser) Reset() {
	p.line = p.line[:0]
	p.partial = false
	p.direct = false
	p.skipLF = false
	p.atStart = true
	p.data = p.data[:0]
	p.typ = p.typ[:0]
	p.idBuf = append(p.idBuf[:0], p.lastID...)
	if p.pieced {
		p.pieced = false
		p.pieces.DropPieces()
	}
}

// Feed parses the next chunk of the stream. Chunks may split the stream anywhere, including
// between the CR and LF of a line end and inside a UTF-8 sequence. The parser does not keep b.
func (p *Parser) Feed(b []byte) {
	if p.skipLF && len(b) > 0 {
		// A CR ended the previous chunk; if this one starts with LF, the two are one line end.
		p.skipLF = false
		if b[0] == '\n' {
			b = b[1:]
		}
	}
	// nextLF and nextCR are the indexes of the first LF and CR in b, or -1 for none. They are
	// kept across lines, so that the chunk is scanned once for each, not once per line.
	nextLF, nextCR := bytes.IndexByte(b, '\n'), bytes.IndexByte(b, '\r')
	for len(b) > 0 {
		end := nextLF
		if nextCR >= 0 && (end < 0 || nextCR < end) {
			end = nextCR
		}
		if end < 0 {
			if p.direct {
				p.data = appendGrow(p.data, b)
				if p.pieces != nil && len(p.data) >= p.pieceSize && !p.invalid {
					p.directPiece()
				}
			} else {
				p.line = appendGrow(p.line, b)
				p.partial = true
				p.startDirect()
			}
			return
		}
		line := b[:end]
		switch {
		case p.direct:
			p.data = appendGrow(p.data, line)
			p.endDirect()
			if p.pieces != nil && len(p.data) >= p.pieceSize {
				p.piece()
			}
		case p.partial:
			p.line = appendGrow(p.line, line)
			p.processLine(p.line)
		default:
			p.processLine(line)
		}
		p.line = p.line[:0]
		p.partial = false

		next := end + 1
		if b[end] == '\r' {
			if next == len(b) {
				p.skipLF = true
			} else if b[next] == '\n' {
				next++
			}
		}
		b = b[next:]
		if nextLF >= 0 {
			if nextLF -= next; nextLF < 0 {
				nextLF = bytes.IndexByte(b, '\n')
			}
		}
		if nextCR >= 0 {
			if nextCR -= next; nextCR < 0 {
				nextCR = bytes.IndexByte(b, '\r')
			}
		}
	}
}

// startDirect switches a cut line to direct mode once it is known to be a "data" field and the
// space after its colon, if any, is known (HTML §9.2.6: one leading space is removed).
func (p *Parser) startDirect() {
	line := p.line
	if p.atStart {
		if len(line) < len(bom) {
			return
		}
		p.atStart = false
		if bytes.HasPrefix(line, bom) {
			line = line[len(bom):]
			p.line = append(p.line[:0], line...)
			line = p.line
		}
	}
	const prefix = "data:"
	if len(line) <= len(prefix) || string(line[:len(prefix)]) != prefix {
		return
	}
	value := line[len(prefix):]
	if value[0] == ' ' {
		value = value[1:]
	}
	p.dataStart = len(p.data)
	p.data = append(p.data, value...)
	p.direct = true
	p.invalid = false
}

// endDirect completes a data line appended in direct mode: its value, now whole, is decoded as
// UTF-8 (the slow path only when it is not valid) and followed by LF.
func (p *Parser) endDirect() {
	p.direct = false
	if value := p.data[p.dataStart:]; !p.raw && !utf8.Valid(value) {
		fixed := appendReplacing(nil, value)
		p.data = append(p.data[:p.dataStart], fixed...)
	}
	p.data = append(p.data, '\n')
}

// processLine interprets one line (HTML §9.2.6), without its line end.
func (p *Parser) processLine(line []byte) {
	if p.atStart {
		// HTML §9.2.5: the stream is decoded with "UTF-8 decode", which strips one leading BOM.
		// Only the first line of a stream can hold it.
		p.atStart = false
		line = bytes.TrimPrefix(line, bom)
	}
	if len(line) == 0 {
		// "If the line is empty (a blank line): dispatch the event."
		p.dispatch()
		return
	}
	if line[0] == ':' {
		// "If the line starts with a U+003A COLON character (:): ignore the line."
		return
	}
	if len(line) >= 5 && string(line[:5]) == "data:" {
		// The most common line first, as the "data" case below handles it but with fewer
		// calls, which are costly in WebAssembly.
		value := line[5:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
		p.data = reserve(p.data, len(value)+1)
		if p.raw || utf8.Valid(value) {
			p.data = append(p.data, value...)
		} else {
			p.data = appendReplacing(p.data, value)
		}
		p.data = append(p.data, '\n')
		if p.pieces != nil && len(p.data) >= p.pieceSize {
			p.piece()
		}
		return
	}
	name, value := line, line[len(line):]
	if colon := bytes.IndexByte(line, ':'); colon >= 0 {
		// "Collect the characters on the line before the first U+003A COLON character (:) ...
		// Collect the characters on the line after the first U+003A COLON character (:), and let
		// value be that string. If value starts with a U+0020 SPACE character, remove it."
		name, value = line[:colon], line[colon+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	// Otherwise the whole line is the field name and the value is empty. The name is compared
	// as raw bytes: an invalid byte decodes to U+FFFD, which matches no field name either.
	switch string(name) {
	case "event":
		p.typ = appendText(p.typ[:0], value)
	case "data":
		if p.raw {
			p.data = append(reserve(p.data, len(value)+1), value...)
		} else {
			p.data = appendText(reserve(p.data, len(value)+1), value)
		}
		p.data = append(p.data, '\n')
		if p.pieces != nil && len(p.data) >= p.pieceSize {
			p.piece()
		}
	case "id":
		// "If the field value does not contain U+0000 NULL, then set the last event ID buffer
		// to the field value. Otherwise, ignore the field."
		if bytes.IndexByte(value, 0) < 0 {
			p.idBuf = appendText(p.idBuf[:0], value)
		}
	case "retry":
		// "If the field value consists of only ASCII digits, then interpret the field value as an
		// integer in base ten, and set the event stream's reconnection time to that integer.
		// Otherwise, ignore the field." An empty value is ignored too, as browsers do.
		if ms, ok := parseDigits(value); ok {
			p.h.Retry(ms)
		}
	}
	// "Otherwise: the field is ignored."
}

// dispatch implements "dispatch the event" (HTML §9.2.6).
func (p *Parser) dispatch() {
	// Step 1: set the last event ID string to the last event ID buffer, even if nothing fires.
	// The comparison does not allocate; a string is made only when the ID changes.
	if string(p.idBuf) != p.lastID {
		p.lastID = string(p.idBuf)
	}
	// Step 2: an empty data buffer resets the buffers and fires nothing.
	if len(p.data) == 0 {
		p.typ = p.typ[:0]
		return
	}
	// Step 3: remove the final LF (every data line appended one).
	// The fields are set one by one, and p.ev is not cleared after the call (it refers only to
	// the parser's own buffers): copying a whole struct of pointers costs a bulk write barrier
	// while a garbage collection runs.
	p.ev.Type, p.ev.Data, p.ev.LastEventID = p.typ, p.data[:len(p.data)-1], p.lastID
	// Step 7: reset the data and event type buffers (after the handler has read them).
	p.h.Event(&p.ev)
	p.pieced = false
	p.data = p.data[:0]
	p.typ = p.typ[:0]
	// Do not hold on to the memory of an unusually big event.
	if cap(p.data) > maxKeep {
		p.data = nil
	}
	if cap(p.line) > maxKeep {
		p.line = nil
	}
}
