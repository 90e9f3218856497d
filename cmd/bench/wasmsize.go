//go:build unix

package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// packageSizes returns the bytes of function bodies of a Go wasm module by package: the code
// section's bodies, named by the module's name section (an unstripped build has one).
func packageSizes(wasm []byte) (map[string]int, error) {
	if len(wasm) < 8 || string(wasm[:4]) != "\x00asm" {
		return nil, errors.New("not a wasm module")
	}
	var imported int // function imports come first in the function index space
	var bodies []int
	names := map[int]string{}
	for b := wasm[8:]; len(b) > 0; {
		id := b[0]
		size, n := binary.Uvarint(b[1:])
		if n <= 0 || uint64(len(b)-1-n) < size {
			return nil, errors.New("a section runs past the end")
		}
		sec := b[1+n : 1+n+int(size)]
		b = b[1+n+int(size):]
		var err error
		switch id {
		case 2:
			imported, err = functionImports(sec)
		case 10:
			bodies, err = codeBodies(sec)
		case 0:
			err = functionNames(sec, names)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(names) == 0 {
		return nil, errors.New("no name section: build without -ldflags=-s")
	}
	sizes := map[string]int{}
	for i, size := range bodies {
		sizes[packageOf(names[imported+i])] += size
	}
	return sizes, nil
}

// reader reads a section's LEB128 numbers and names; err records the first overrun.
type reader struct {
	b   []byte
	err error
}

func (r *reader) uint() int {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errors.New("bad LEB128 number"), nil
		return 0
	}
	r.b = r.b[n:]
	return int(v)
}

func (r *reader) bytes(n int) []byte {
	if n > len(r.b) {
		r.err, r.b = errors.New("a name runs past its section"), nil
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}

func (r *reader) name() string { return string(r.bytes(r.uint())) }

// functionImports counts the functions among the import section's entries.
func functionImports(sec []byte) (int, error) {
	r := &reader{b: sec}
	n, count := r.uint(), 0
	for range n {
		r.name() // module
		r.name() // field
		kind := r.bytes(1)
		switch {
		case r.err != nil:
		case kind[0] == 0: // function: a type index
			r.uint()
			count++
		case kind[0] == 1: // table: element type, limits
			r.bytes(1)
			r.limits()
		case kind[0] == 2: // memory: limits
			r.limits()
		case kind[0] == 3: // global: type, mutability
			r.bytes(2)
		default:
			return 0, fmt.Errorf("import kind %d", kind[0])
		}
	}
	return count, r.err
}

func (r *reader) limits() {
	if flags := r.bytes(1); r.err == nil {
		r.uint()
		if flags[0]&1 != 0 {
			r.uint()
		}
	}
}

// codeBodies returns the size of each function body of the code section, its length prefix
// included.
func codeBodies(sec []byte) ([]int, error) {
	r := &reader{b: sec}
	n := r.uint()
	var sizes []int
	for range n {
		before := len(r.b)
		r.bytes(r.uint())
		sizes = append(sizes, before-len(r.b))
	}
	return sizes, r.err
}

// functionNames reads the function names of a "name" custom section into names.
func functionNames(sec []byte, names map[int]string) error {
	r := &reader{b: sec}
	if r.name() != "name" {
		return nil
	}
	for len(r.b) > 0 && r.err == nil {
		sub := r.bytes(1)
		body := &reader{b: r.bytes(r.uint())}
		if r.err != nil || sub[0] != 1 {
			continue
		}
		for n := body.uint(); n > 0 && body.err == nil; n-- {
			i := body.uint()
			names[i] = body.name()
		}
		if body.err != nil {
			return body.err
		}
	}
	return r.err
}

// packageOf returns the package of a function as Go names it in a wasm name section, where a
// path's slashes are underscores ("github.com_x_y.F", "internal_strconv.F", "fmt.(*pp).F").
func packageOf(name string) string {
	i := strings.IndexByte(name, '.')
	if i < 0 {
		return name
	}
	// A domain's dot ("github.com_..."): the package ends at the next one.
	for _, tld := range []string{"com_", "org_", "io_", "net_", "dev_", "in_"} {
		if strings.HasPrefix(name[i+1:], tld) {
			if j := strings.IndexByte(name[i+1:], '.'); j >= 0 {
				return name[:i+1+j]
			}
			return name
		}
	}
	return name[:i]
}

// packageTable builds the polyfill's Go side (./wasm) and the startup floor with their names,
// and returns their function bodies by package, side by side, largest difference first, as a
// markdown table (wasm-opt shrinks both, by much the same share).
func packageTable(ctx context.Context, most int) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "bench-packages")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	var sizes [2]map[string]int
	for i, pkg := range []string{"github.com/ssewasm/eventsource/wasm", "github.com/ssewasm/eventsource/cmd/bench/floor"} {
		out := filepath.Join(dir, fmt.Sprint(i, ".wasm"))
		if err := goWasm(ctx, true, pkg, out); err != nil {
			return "", err
		}
		data, err := os.ReadFile(out)
		if err != nil {
			return "", err
		}
		if sizes[i], err = packageSizes(data); err != nil {
			return "", fmt.Errorf("%s: %w", pkg, err)
		}
	}
	type row struct {
		pkg         string
		ours, floor int
	}
	var rows []row
	var total row
	for pkg := range mergeKeys(sizes[0], sizes[1]) {
		r := row{pkg, sizes[0][pkg], sizes[1][pkg]}
		rows = append(rows, r)
		total.ours, total.floor = total.ours+r.ours, total.floor+r.floor
	}
	slices.SortFunc(rows, func(a, b row) int { return (b.ours - b.floor) - (a.ours - a.floor) })
	var cells [][]string
	for i, r := range rows {
		if i == most {
			break
		}
		cells = append(cells, []string{r.pkg, fmt.Sprint(r.ours), fmt.Sprint(r.floor), fmt.Sprint(r.ours - r.floor)})
	}
	cells = append(cells, []string{"total", fmt.Sprint(total.ours), fmt.Sprint(total.floor), fmt.Sprint(total.ours - total.floor)})
	return formatTable([]string{"package", "polyfill", "floor", "difference"}, 1, cells), nil
}

// mergeKeys returns the set of the keys of a and b.
func mergeKeys(a, b map[string]int) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}
