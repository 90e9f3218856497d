//go:build unix

package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// impls are the implementations compared, in the order each repetition runs them.
var impls = []string{"native", "polyfill"}

// results holds every sample, by workload and metric in the order first seen, and every
// failure.
type results struct {
	Rows   []*row   `json:"rows"`
	Errors []string `json:"errors"`
}

// A row is one metric of one workload: its samples and their median per implementation, and
// the ratio polyfill/native of the medians.
type row struct {
	Workload string               `json:"workload"`
	Metric   string               `json:"metric"`
	Samples  map[string][]float64 `json:"samples,omitempty"`
	Median   map[string]float64   `json:"median"`
	Ratio    *float64             `json:"ratio,omitempty"`
}

// find returns the row of workload and metric, or nil.
func (r *results) find(workload, metric string) *row {
	for _, x := range r.Rows {
		if x.Workload == workload && x.Metric == metric {
			return x
		}
	}
	return nil
}

// add records one run's measures.
func (r *results) add(workload, impl string, ms []measure) {
	for _, m := range ms {
		x := r.find(workload, m.metric)
		if x == nil {
			x = &row{Workload: workload, Metric: m.metric, Samples: map[string][]float64{}, Median: map[string]float64{}}
			r.Rows = append(r.Rows, x)
		}
		x.Samples[impl] = append(x.Samples[impl], m.value)
	}
}

// finish computes the medians, the ratios of the big events' times (largest over smallest size,
// per shape and implementation: the ratio of the sizes means linear cost), and the ratios
// polyfill/native.
func (r *results) finish(bigMiB []int) {
	for _, x := range r.Rows {
		for impl, v := range x.Samples {
			x.Median[impl] = median(v)
		}
	}
	if len(bigMiB) >= 2 {
		lo, hi := bigMiB[0], bigMiB[len(bigMiB)-1]
		for _, shape := range []string{"lines", "line"} {
			a := r.find(fmt.Sprintf("big-%dm-%s", lo, shape), "open→message ms")
			b := r.find(fmt.Sprintf("big-%dm-%s", hi, shape), "open→message ms")
			if a == nil || b == nil {
				continue
			}
			x := &row{Workload: "big-" + shape, Metric: fmt.Sprintf("%dm/%dm time", hi, lo), Median: map[string]float64{}}
			for _, impl := range impls {
				if va, ok := a.Median[impl]; ok && va > 0 {
					if vb, ok := b.Median[impl]; ok {
						x.Median[impl] = vb / va
					}
				}
			}
			// After the last big row.
			i := slices.IndexFunc(r.Rows, func(x *row) bool { return strings.HasPrefix(x.Workload, "big-") })
			for i < len(r.Rows) && strings.HasPrefix(r.Rows[i].Workload, "big-") {
				i++
			}
			r.Rows = slices.Insert(r.Rows, i, x)
		}
	}
	for _, x := range r.Rows {
		n, ok1 := x.Median["native"]
		p, ok2 := x.Median["polyfill"]
		if ok1 && ok2 && n > 0 && p >= 0 {
			ratio := p / n
			x.Ratio = &ratio
		}
	}
}

// percentile returns the p-th percentile (0 to 100) of v, interpolated linearly between the
// closest ranks, or NaN if v is empty.
func percentile(v []float64, p float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Sorted(slices.Values(v))
	x := p / 100 * float64(len(s)-1)
	i := int(x)
	if i >= len(s)-1 {
		return s[len(s)-1]
	}
	return s[i] + (x-float64(i))*(s[i+1]-s[i])
}

// median returns the median of v, or NaN if v is empty.
func median(v []float64) float64 { return percentile(v, 50) }

// table returns the results as a markdown table.
func (r *results) table() string {
	var rows [][]string
	for _, x := range r.Rows {
		line := []string{x.Workload, x.Metric}
		for _, impl := range impls {
			v, ok := x.Median[impl]
			line = append(line, formatValue(v, ok))
		}
		if x.Ratio != nil {
			line = append(line, fmt.Sprintf("%.2f", *x.Ratio))
		} else {
			line = append(line, "-")
		}
		rows = append(rows, line)
	}
	return formatTable([]string{"workload", "metric", "native", "polyfill", "ratio"}, 2, rows)
}

// formatValue formats a median for the table: "-" if there is none.
func formatValue(v float64, ok bool) string {
	switch a := math.Abs(v); {
	case !ok || math.IsNaN(v):
		return "-"
	case a >= 1e5:
		return fmt.Sprintf("%.0fk", v/1e3)
	case a >= 1e4:
		return fmt.Sprintf("%.1fk", v/1e3)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case v == math.Trunc(v):
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.2f", v)
}

// formatTable formats a markdown table with its columns padded to the same width, the first
// left columns left-aligned and the others right-aligned.
func formatTable(header []string, left int, rows [][]string) string {
	width := make([]int, len(header))
	for _, r := range append([][]string{header}, rows...) {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	line := func(cells []string) {
		for i, c := range cells {
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i < left {
				fmt.Fprintf(&b, "| %s%s ", c, pad)
			} else {
				fmt.Fprintf(&b, "| %s%s ", pad, c)
			}
		}
		b.WriteString("|\n")
	}
	line(header)
	sep := make([]string, len(header))
	for i, w := range width {
		if i < left {
			sep[i] = strings.Repeat("-", w)
		} else {
			sep[i] = strings.Repeat("-", w-1) + ":"
		}
	}
	line(sep)
	for _, r := range rows {
		line(r)
	}
	return b.String()
}

// A fileSize is the size of one file the polyfill ships, raw and compressed.
type fileSize struct {
	Name   string `json:"name"`
	Raw    int64  `json:"raw"`
	Gzip   int64  `json:"gzip"`
	Brotli int64  `json:"brotli"` // -1: no .br file
}

// distSizes returns the sizes of the polyfill's files in dist.
func distSizes(dist string) ([]fileSize, error) {
	var sizes []fileSize
	for _, name := range []string{"eventsource.wasm", "eventsource.js", "wasm_exec.js"} {
		s, err := sizeOf(filepath.Join(dist, name))
		if err != nil {
			return nil, err
		}
		sizes = append(sizes, *s)
	}
	return sizes, nil
}

// sizeOf returns the size of the file at path, raw and compressed. The compressed sizes are
// those of the .gz and .br files next to it; without a .gz file, gzip -9 is computed.
func sizeOf(path string) (*fileSize, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("sizes: %w", err)
	}
	s := &fileSize{Name: filepath.Base(path), Raw: int64(len(data)), Gzip: -1, Brotli: -1}
	if fi, err := os.Stat(path + ".gz"); err == nil {
		s.Gzip = fi.Size()
	} else {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(data)
		zw.Close()
		s.Gzip = int64(buf.Len())
	}
	if fi, err := os.Stat(path + ".br"); err == nil {
		s.Brotli = fi.Size()
	}
	return s, nil
}

// sizesTable returns the sizes as a markdown table, in bytes, with their total.
func sizesTable(sizes []fileSize) string {
	var rows [][]string
	add := func(s fileSize) {
		br := "-"
		if s.Brotli >= 0 {
			br = fmt.Sprint(s.Brotli)
		}
		rows = append(rows, []string{s.Name, fmt.Sprint(s.Raw), fmt.Sprint(s.Gzip), br})
	}
	total := fileSize{Name: "total"}
	for _, s := range sizes {
		add(s)
		total.Raw, total.Gzip = total.Raw+s.Raw, total.Gzip+s.Gzip
		if s.Brotli < 0 || total.Brotli < 0 {
			total.Brotli = -1
		} else {
			total.Brotli += s.Brotli
		}
	}
	add(total)
	return formatTable([]string{"file", "raw", "gzip", "brotli"}, 1, rows)
}
