package wasmabi

import (
	"strings"
	"testing"
)

func TestReplyResult(t *testing.T) {
	for _, tc := range []struct {
		name  string
		reply string
		want  int32
	}{
		{"none", "", 0},
		{"short ASCII", "a\rd", 3<<1 | 1},
		{"short, not ASCII", "é\rd", 4 << 1},
		{"not ASCII in the last of eight bytes", "1234567\x80", 8 << 1},
		{"not ASCII after a run of eight", "12345678é", 10 << 1},
		{"ASCII, as long as short goes", strings.Repeat("x", shortText), shortText<<1 | 1},
		{"ASCII, too long", strings.Repeat("x", shortText+1), (shortText + 1) << 1},
	} {
		if got := replyResult([]byte(tc.reply)); got != tc.want {
			t.Errorf("%s: replyResult(%q) = %d, want %d", tc.name, tc.reply, got, tc.want)
		}
	}
}
