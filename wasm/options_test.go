//go:build js && wasm

package main

import (
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// option is an entry of internal/protocol/options.json, the option schema.
type option struct {
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Min     float64  `json:"min"`
	Config  string   `json:"config"`
	Members []option `json:"members"`
}

func readSchema(t *testing.T) []option {
	t.Helper()
	data, err := os.ReadFile("../internal/protocol/options.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct{ Options []option }
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	if len(schema.Options) == 0 {
		t.Fatal("no options in the schema")
	}
	return schema.Options
}

// field returns the core.Config field at a dotted path ("Retry.MaxDelay").
func field(cfg *core.Config, path string) reflect.Value {
	v := reflect.ValueOf(cfg).Elem()
	for _, name := range strings.Split(path, ".") {
		v = v.FieldByName(name)
	}
	return v
}

// TestConfigFollowsTheSchema gives config every option of the schema, as the shim passes it
// once checked (js/shim/options.js), and checks the core.Config field the schema names.
func TestConfigFollowsTheSchema(t *testing.T) {
	for _, o := range readSchema(t) {
		if o.Config == "" && len(o.Members) == 0 {
			t.Logf("%s: the shim's alone (it sets no Config field)", o.Name)
			continue
		}
		t.Run(o.Name, func(t *testing.T) {
			opts, err := safejs.ValueOf(map[string]any{})
			if err != nil {
				t.Fatal(err)
			}
			checks := []func(cfg *core.Config){}
			members := []option{o}
			target := opts
			if len(o.Members) != 0 {
				members = o.Members
				if target, err = safejs.ValueOf(map[string]any{}); err != nil {
					t.Fatal(err)
				}
				if err := opts.Set(o.Name, target); err != nil {
					t.Fatal(err)
				}
			}
			for _, m := range members {
				value, check := sample(t, m)
				if err := target.Set(m.Name, value); err != nil {
					t.Fatal(err)
				}
				checks = append(checks, check)
			}
			cfg, err := config("http://127.0.0.1:1/", false, opts)
			if err != nil {
				t.Fatalf("config: %v", err)
			}
			for _, check := range checks {
				check(&cfg)
			}
		})
	}
}

// sample returns a value of option o as the shim passes it, and a check of the Config field
// it must set.
func sample(t *testing.T, o option) (any, func(cfg *core.Config)) {
	t.Helper()
	want := func(w any) func(cfg *core.Config) {
		return func(cfg *core.Config) {
			t.Helper()
			if got := field(cfg, o.Config); !got.IsValid() || !reflect.DeepEqual(got.Interface(), w) {
				t.Errorf("%s: Config.%s is %v, want %v", o.Name, o.Config, got, w)
			}
		}
	}
	switch o.Kind {
	case "number":
		n := o.Min + 1
		f := field(&core.Config{}, o.Config)
		switch f.Interface().(type) {
		case time.Duration:
			return n, want(time.Duration(n) * time.Millisecond)
		case int:
			return n, want(int(n))
		default:
			return n, want(n)
		}
	case "boolean":
		return true, want(true)
	case "string", "method":
		return "POST", want("POST")
	case "body":
		u8, _ := safejs.Global().Get("Uint8Array")
		body, err := u8.New(2)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = safejs.CopyBytesToJS(body, []byte{1, 2})
		return body, want([]byte{1, 2})
	case "headers":
		// The shim's normalized headers: a function that returns a promise of [name, value] pairs.
		fn, err := jsfunc.FuncOf(func(safejs.Value, []safejs.Value) any {
			promise, _ := safejs.Global().Get("Promise")
			pairs, _ := safejs.ValueOf([]any{[]any{"X-A", "1"}, []any{"X-A", "2"}})
			p, _ := promise.Call("resolve", pairs)
			return p
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(fn.Release)
		return fn.Value(), func(cfg *core.Config) {
			t.Helper()
			if cfg.Header == nil {
				t.Fatalf("%s: Config.Header is nil", o.Name)
			}
			timeout, stop := context.WithTimeout(context.Background(), 5*time.Second)
			defer stop()
			h, err := cfg.Header(cancel.New(timeout))
			if err != nil || !reflect.DeepEqual(h, map[string][]string{"X-A": {"1", "2"}}) {
				t.Errorf("%s: Config.Header() = %v, %v; want X-A: 1, 2", o.Name, h, err)
			}
		}
	}
	t.Fatalf("%s: no sample for kind %q", o.Name, o.Kind)
	return nil, nil
}
