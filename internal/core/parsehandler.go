package core

import (
	"time"

	"github.com/ssewasm/eventsource/internal/parse"
)

// parseHandler is the Source as the parser's handler: events go to the Source's handler and
// retry fields set the reconnection time.
type parseHandler Source

// Event fires a message event unless the source was closed meanwhile, perhaps by the handler
// of the previous event of the same chunk: close() stops even events already parsed.
func (h *parseHandler) Event(ev *parse.Event) {
	if !(*Source)(h).closed() {
		h.handler.Message(ev)
	}
}

// closed reports whether Run's ctx is done: nothing more is fired then. (Its Err, not its Done
// channel, which the end of a context above it reaches a little later.)
func (s *Source) closed() bool { return s.run.Err() != nil }

func (h *parseHandler) Retry(ms int64) { h.reconnect = time.Duration(ms) * time.Millisecond }

// pieceParseHandler is a parseHandler that passes the data of long events on in pieces, for a
// Handler that is a PieceHandler.
type pieceParseHandler Source

func (h *pieceParseHandler) Event(ev *parse.Event) { (*parseHandler)(h).Event(ev) }
func (h *pieceParseHandler) Retry(ms int64)        { (*parseHandler)(h).Retry(ms) }

func (h *pieceParseHandler) Piece(piece []byte) {
	if !(*Source)(h).closed() {
		h.handler.(PieceHandler).Piece(piece)
	}
}

func (h *pieceParseHandler) DropPieces() { h.handler.(PieceHandler).DropPieces() }
