package parse

import "unicode/utf8"

// The data of a long event, handed to a PieceHandler in pieces as it comes.

// piece hands the data buffer to the PieceHandler as a piece, but for its final LF, which
// dispatch removes (HTML §9.2.6, "dispatch the event", step 3), and which the buffer keeps.
func (p *Parser) piece() {
	if len(p.data) < 2 {
		return
	}
	p.pieces.Piece(p.data[:len(p.data)-1])
	p.pieced = true
	p.data = append(p.data[:0], '\n')
}

// directPiece hands the data buffer to the PieceHandler as a piece while a long data line is
// being appended in direct mode: up to the last whole UTF-8 sequence of the line, if the line so
// far is valid UTF-8. The bytes of a sequence that the next chunk may complete stay. A line that
// is not valid UTF-8 is left whole to endDirect, which decodes it; with raw data, which the
// handler decodes, the piece is cut all the same: the cut is where a decoder starts afresh (before
// a byte that is not a continuation byte, or after a sequence as long as its lead byte says).
func (p *Parser) directPiece() {
	value := p.data[p.dataStart:]
	n := wholeUTF8(value)
	if !p.raw && !utf8.Valid(value[:n]) {
		p.invalid = true
		return
	}
	cut := p.dataStart + n
	if cut == 0 {
		return
	}
	p.pieces.Piece(p.data[:cut])
	p.pieced = true
	p.data = p.data[:copy(p.data, p.data[cut:])]
	p.dataStart = 0
}

// wholeUTF8 returns the length of b without the UTF-8 sequence that ends it if more bytes could
// complete that sequence: a lead byte followed by fewer continuation bytes than it announces.
func wholeUTF8(b []byte) int {
	for i := len(b) - 1; i >= 0 && i >= len(b)-3; i-- {
		c := b[i]
		switch {
		case c < 0x80:
			return len(b) // ASCII ends the last sequence
		case c < 0xC0:
			continue // a continuation byte: look for its lead byte
		}
		// c is a lead byte: need is the length of the sequence it starts. (A byte that is never
		// valid is taken for one, which only keeps it for the next piece.)
		need := 2
		if c >= 0xF0 {
			need = 4
		} else if c >= 0xE0 {
			need = 3
		}
		if len(b)-i < need {
			return i
		}
		return len(b)
	}
	return len(b)
}
