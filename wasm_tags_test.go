//go:build !js

package eventsource_test

import (
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestJSFilesAreTagged checks the layering: every Go file that imports syscall/js or safejs
// carries a js && wasm build constraint, so that the pure-Go core never depends on JavaScript
// and builds and tests natively.
func TestJSFilesAreTagged(t *testing.T) {
	t.Parallel()
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") && path != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly|parser.ParseComments)
		if err != nil {
			return err
		}
		usesJS := false
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			usesJS = usesJS || p == "syscall/js" || p == "github.com/hack-pad/safejs"
		}
		if !usesJS {
			return nil
		}
		checked++
		for _, c := range f.Comments {
			for _, line := range c.List {
				if expr, err := constraint.Parse(line.Text); err == nil && jsWasm(expr) {
					return nil
				}
			}
		}
		t.Errorf("%s imports JavaScript bindings without a //go:build js && wasm line", path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked == 0 {
		t.Fatal("found no file that imports safejs: the walk is broken")
	}
}

// jsWasm reports whether expr holds only when both js and wasm do.
func jsWasm(expr constraint.Expr) bool {
	for _, tags := range []map[string]bool{{"js": false, "wasm": true}, {"js": true, "wasm": false}} {
		if expr.Eval(func(tag string) bool { return tags[tag] }) {
			return false
		}
	}
	return expr.Eval(func(tag string) bool { return tag == "js" || tag == "wasm" })
}
