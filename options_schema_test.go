//go:build !js

package eventsource_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// schemaOption is an entry of internal/protocol/options.json, the option schema, which the
// shim's checks (internal/protocol's TestShim) and the engine's reading of the options (wasm's
// TestConfigFollowsTheSchema) are tested against too.
type schemaOption struct {
	Name    string         `json:"name"`
	Go      []string       `json:"go"`
	Members []schemaOption `json:"members"`
}

func readOptionSchema(t *testing.T) []schemaOption {
	t.Helper()
	data, err := os.ReadFile("internal/protocol/options.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct{ Options []schemaOption }
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	if len(schema.Options) == 0 {
		t.Fatal("no options in the schema")
	}
	return schema.Options
}

func names(opts []schemaOption) []string {
	var out []string
	for _, o := range opts {
		out = append(out, o.Name)
	}
	slices.Sort(out)
	return out
}

func retryMembers(t *testing.T, opts []schemaOption) []string {
	t.Helper()
	for _, o := range opts {
		if o.Name == "retry" {
			return names(o.Members)
		}
	}
	t.Fatal("no retry option in the schema")
	return nil
}

// section returns the text of s from the line that starts with start to the next line that
// starts with end.
func section(t *testing.T, s, start, end string) string {
	t.Helper()
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("%q not found", start)
	}
	s = s[i+len(start):]
	if j := strings.Index(s, end); j >= 0 {
		s = s[:j]
	}
	return s
}

// TestOptionsReadmeFollowsTheSchema checks the README's table of options: a row for every
// option of the schema and no other, and every member of retry named in its row.
func TestOptionsReadmeFollowsTheSchema(t *testing.T) {
	schema := readOptionSchema(t)
	data, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	table := section(t, string(data), "### Options", "\n### ")
	code := regexp.MustCompile("`([A-Za-z]+)`")
	var got []string
	retryRow := ""
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 3 || strings.Contains(cells[1], "---") || strings.TrimSpace(cells[1]) == "option" {
			continue
		}
		for _, m := range code.FindAllStringSubmatch(cells[1], -1) {
			got = append(got, m[1])
			if m[1] == "retry" {
				retryRow = line
			}
		}
	}
	slices.Sort(got)
	if want := names(schema); !slices.Equal(got, want) {
		t.Errorf("README's options: %v, want the schema's %v", got, want)
	}
	for _, m := range retryMembers(t, schema) {
		if !strings.Contains(retryRow, m) {
			t.Errorf("README's retry row does not name %s", m)
		}
	}
}

// tsMembers returns the member names of a TypeScript interface in the .d.ts.
func tsMembers(t *testing.T, dts, iface string) []string {
	t.Helper()
	body := section(t, dts, "export interface "+iface+" {", "\n}")
	member := regexp.MustCompile(`(?m)^\s+([A-Za-z]+)\??:`)
	var out []string
	for _, m := range member.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	slices.Sort(out)
	return out
}

// TestOptionsTypesFollowTheSchema checks the .d.ts: EventSourceInit declares withCredentials
// and every option of the schema, and EventSourceRetryPolicy every member of retry.
func TestOptionsTypesFollowTheSchema(t *testing.T) {
	schema := readOptionSchema(t)
	data, err := os.ReadFile("js/eventsource.d.ts")
	if err != nil {
		t.Fatal(err)
	}
	want := append(names(schema), "withCredentials")
	slices.Sort(want)
	if got := tsMembers(t, string(data), "EventSourceInit"); !slices.Equal(got, want) {
		t.Errorf("EventSourceInit: %v, want %v", got, want)
	}
	if got, want := tsMembers(t, string(data), "EventSourceRetryPolicy"), retryMembers(t, schema); !slices.Equal(got, want) {
		t.Errorf("EventSourceRetryPolicy: %v, want %v", got, want)
	}
}

// goOnlyOptions are the Go API's options that the schema has not: the standard's
// withCredentials, and the Go API's own transport.
var goOnlyOptions = []string{"WithCredentials", "WithTransport", "WithHTTPClient"}

// TestOptionsGoAPIFollowsTheSchema checks that the Go API has the options the schema names
// for each option (signal has none: a context does it), and no With function beyond them and
// goOnlyOptions.
func TestOptionsGoAPIFollowsTheSchema(t *testing.T) {
	fset := token.NewFileSet()
	var with []string
	for _, file := range []string{"options.go", "transport_http.go"} {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "With") {
				with = append(with, fn.Name.Name)
			}
		}
	}
	named := slices.Clone(goOnlyOptions)
	for _, o := range readOptionSchema(t) {
		for _, g := range o.Go {
			if !slices.Contains(with, g) {
				t.Errorf("option %s: the Go API has no %s", o.Name, g)
			}
			named = append(named, g)
		}
	}
	for _, w := range with {
		if !slices.Contains(named, w) {
			t.Errorf("%s is in the Go API but not in the schema (nor a Go-only option)", w)
		}
	}
}
