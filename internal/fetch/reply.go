package fetch

import "encoding/binary"

// replyResult is the result of eventsource_chunk for a reply: its length times two, plus one if
// it is at most shortReply bytes, all ASCII; 0 for none.
func replyResult(p []byte) int32 {
	if len(p) == 0 {
		return 0
	}
	r := int32(len(p)) << 1
	if len(p) <= shortReply && ascii(p) {
		r |= 1
	}
	return r
}

// shortReply is the length up to which a reply may be decoded as ASCII, with one call of
// String.fromCharCode.
const shortReply = 1024

// ascii reports whether p is all ASCII, eight bytes at a time.
func ascii(p []byte) bool {
	i := 0
	for ; i+8 <= len(p); i += 8 {
		if binary.LittleEndian.Uint64(p[i:])&0x8080808080808080 != 0 {
			return false
		}
	}
	for ; i < len(p); i++ {
		if p[i] >= 0x80 {
			return false
		}
	}
	return true
}
