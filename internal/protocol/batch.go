package protocol

import (
	"strconv"
	"time"
)

// The record kinds (see the package documentation).
const (
	KindOpen       = 'o'
	KindMessage    = 'm'
	KindData       = 'd'
	KindPiece      = 'p'
	KindDropPieces = 'x'
	KindError      = 'e'
)

// Batch encodes records. The zero Batch is empty and ready to use; it remembers the last
// event ID of the last message record across batches (d records leave it out), so one Batch
// serves one source for its whole life.
type Batch struct {
	buf    []byte // the fields
	kinds  []byte // the record kinds
	lastID string // the lastEventId of the last m record
}

// Len returns the number of records in the batch.
func (b *Batch) Len() int { return len(b.kinds) }

// Size returns the number of bytes of the batch's fields.
func (b *Batch) Size() int { return len(b.buf) }

// Open adds an o record: the connection is open, and origin is that of its messages.
func (b *Batch) Open(origin string) {
	b.field(origin)
	b.kinds = append(b.kinds, KindOpen)
}

// Message adds a message record: a d record when typ is empty (the default, "message") and
// lastEventID is that of the last m record, else an m record. With last, data is left out
// of the batch: it goes beside it as its last field, and the record must be the batch's last.
func (b *Batch) Message(typ []byte, lastEventID string, data []byte, last bool) {
	kind := byte(KindData)
	if len(typ) != 0 || lastEventID != b.lastID {
		kind = KindMessage
		b.lastID = lastEventID
		b.buf = append(b.buf, typ...)
		b.buf = append(b.buf, '\r')
		b.field(lastEventID)
	}
	b.kinds = append(b.kinds, kind)
	if !last {
		b.buf = append(b.buf, data...)
		b.buf = append(b.buf, '\r')
	}
}

// Piece adds a p record, whose data goes beside the batch as its last field: the record must
// be the batch's last.
func (b *Batch) Piece() { b.kinds = append(b.kinds, KindPiece) }

// DropPieces adds an x record: the pieces since the last message belong to no message.
func (b *Batch) DropPieces() { b.kinds = append(b.kinds, KindDropPieces) }

// Error adds an e record: reason, the response's status and statusText (0 and "" without
// one), retry (the reconnection delay, or negative when the connection failed) and err's
// message (CR in it becomes a space).
func (b *Batch) Error(reason string, status int, statusText string, retry time.Duration, err error) {
	b.field(reason)
	b.field(strconv.Itoa(status))
	b.field(statusText)
	if retry >= 0 {
		b.buf = strconv.AppendInt(b.buf, retry.Milliseconds(), 10)
	}
	b.buf = append(b.buf, '\r')
	if err != nil {
		start := len(b.buf)
		b.buf = append(b.buf, err.Error()...)
		for i := start; i < len(b.buf); i++ {
			if b.buf[i] == '\r' {
				b.buf[i] = ' '
			}
		}
	}
	b.buf = append(b.buf, '\r')
	b.kinds = append(b.kinds, KindError)
}

func (b *Batch) field(s string) {
	b.buf = append(b.buf, s...)
	b.buf = append(b.buf, '\r')
}

// Bytes returns the encoded batch: the fields, then the kinds. It is valid until the next
// call of a method of b; Reset empties b.
func (b *Batch) Bytes() []byte {
	b.buf = append(b.buf, b.kinds...)
	return b.buf
}

// Reset empties the batch (the last event ID stays), keeping its memory unless it has grown
// beyond maxKeep, as it does for an unusually large batch.
func (b *Batch) Reset() {
	b.buf, b.kinds = b.buf[:0], b.kinds[:0]
	if cap(b.buf) > maxKeep {
		b.buf = nil
	}
}

// maxKeep is the largest batch buffer kept between batches.
const maxKeep = 1 << 20
