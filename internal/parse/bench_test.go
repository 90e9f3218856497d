package parse

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// feedChunks feeds in to p in chunks of size bytes.
func feedChunks(p *Parser, in []byte, size int) {
	for len(in) > 0 {
		n := min(size, len(in))
		p.Feed(in[:n])
		in = in[n:]
	}
}

// countingHandler counts events and data bytes, so that a benchmark can check its work.
type countingHandler struct{ events, bytes int }

func (h *countingHandler) Event(e *Event) { h.events++; h.bytes += len(e.Data) }
func (h *countingHandler) Retry(int64)    {}

// BenchmarkSmallEvents parses 64-byte events ("data: <64 bytes>\n\n") in 64 KiB chunks and
// reports the time per event.
func BenchmarkSmallEvents(b *testing.B) {
	const n = 10000
	in := []byte(strings.Repeat("data: "+strings.Repeat("x", 64)+"\n\n", n))
	for _, size := range []int{64 << 10, 7} {
		b.Run(fmt.Sprintf("chunk=%d", size), func(b *testing.B) {
			var h countingHandler
			p := New(&h, "")
			b.ReportAllocs()
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				feedChunks(p, in, size)
			}
			if h.events != n*b.N || h.bytes != 64*n*b.N {
				b.Fatalf("got %d events of %d bytes, want %d of %d", h.events, h.bytes, n*b.N, 64*n*b.N)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(h.events), "ns/event")
			b.ReportMetric(float64(testing.AllocsPerRun(1, func() { feedChunks(p, in, size) }))/n, "allocs/event")
		})
	}
}

// BenchmarkBigEvent parses one event of 8 or 32 MiB of data, as one line or as 1 KiB lines, in
// 64 KiB and in 7-byte chunks. The 32 MiB time should be about 4 times the 8 MiB time.
func BenchmarkBigEvent(b *testing.B) {
	for _, mib := range []int{8, 32} {
		for _, shape := range []string{"one-line", "1KiB-lines"} {
			in, dataLen := bigEvent(mib<<20, shape == "1KiB-lines")
			for _, size := range []int{64 << 10, 7} {
				b.Run(fmt.Sprintf("%dMiB/%s/chunk=%d", mib, shape, size), func(b *testing.B) {
					var h countingHandler
					b.SetBytes(int64(len(in)))
					b.ReportAllocs()
					for b.Loop() {
						// A new parser each time: its buffers grow as they would for the one
						// big event of a real connection.
						feedChunks(New(&h, ""), in, size)
					}
					if h.events != b.N || h.bytes != dataLen*b.N {
						b.Fatalf("got %d events of %d bytes, want %d of %d", h.events, h.bytes, b.N, dataLen*b.N)
					}
				})
			}
		}
	}
}

// bigEvent returns one event carrying n bytes of payload, in one data line or in 1 KiB lines,
// and the length of its data (lines are joined by LF).
func bigEvent(n int, lines bool) ([]byte, int) {
	var buf bytes.Buffer
	payload := bytes.Repeat([]byte("0123456789abcdef"), n/16)
	if !lines {
		buf.WriteString("data: ")
		buf.Write(payload)
		buf.WriteString("\n\n")
		return buf.Bytes(), len(payload)
	}
	count := 0
	for p := payload; len(p) > 0; p = p[min(1024, len(p)):] {
		buf.WriteString("data: ")
		buf.Write(p[:min(1024, len(p))])
		buf.WriteByte('\n')
		count++
	}
	buf.WriteByte('\n')
	return buf.Bytes(), len(payload) + count - 1
}
