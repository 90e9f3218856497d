package wasmabi

import "encoding/binary"

// textResult is how Go tells the shim of text that it leaves in the module's memory for the
// shim to decode (a reply, see exports_js.go, or an argument of a call, see [Text]): its length
// times two, plus one if it is at most shortText bytes, all ASCII, which the shim decodes with
// one call of String.fromCharCode; 0 for none.
func textResult(p []byte) int {
	if len(p) == 0 {
		return 0
	}
	r := len(p) << 1
	if len(p) <= shortText && ascii(p) {
		r |= 1
	}
	return r
}

// replyResult is the result of eventsource_chunk for a reply: textResult's, which fits, as
// [Reply] takes no reply of maxReply bytes or more.
func replyResult(p []byte) int32 { return int32(textResult(p)) }

// maxReply is the length from which a reply is refused: its textResult would not fit in an
// int32.
const maxReply = 1 << 30

// shortText is the length up to which text may be decoded as ASCII, with one call of
// String.fromCharCode.
const shortText = 1024

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
