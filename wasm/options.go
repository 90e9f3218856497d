//go:build js && wasm

package main

import (
	"time"

	"github.com/hack-pad/safejs"
	"github.com/ssewasm/eventsource/internal/cancel"
	"github.com/ssewasm/eventsource/internal/core"
	"github.com/ssewasm/eventsource/internal/jsfunc"
)

// config reads the options the shim has already checked and normalized (js/shim/options.js,
// readOptions) into a core.Config. opts holds plain values: method, body (a Uint8Array),
// lastEventId, idleTimeout and retry.* in milliseconds, lastEventIdParam; headers, when
// present, is a function that returns a promise of [name, value] pairs, called before every
// request.
func config(url string, withCredentials bool, opts safejs.Value) (core.Config, error) {
	cfg := core.Config{URL: url, WithCredentials: withCredentials}
	if opts.IsUndefined() || opts.IsNull() {
		return cfg, nil
	}
	return readOptions(cfg, opts)
}

// readOptions is config's reading of opts, in a function of its own: a source without options
// never calls it, and so never has the browser compile it (V8 compiles wasm lazily).
func readOptions(cfg core.Config, opts safejs.Value) (core.Config, error) {
	var err error // the first error reading opts (errors.Join would cost the wasm its code)
	keep := func(e error) {
		if err == nil {
			err = e
		}
	}
	str := func(name string) string {
		v, e := jsfunc.GetString(opts, name)
		keep(e)
		return v
	}
	num := func(v safejs.Value, name string) float64 {
		x, e := v.Get(name)
		if e != nil || x.IsUndefined() || x.IsNull() {
			keep(e)
			return 0
		}
		f, e := x.Float()
		keep(e)
		return f
	}
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }

	cfg.Method = str("method")
	cfg.LastEventID = str("lastEventId")
	cfg.LastEventIDParam = str("lastEventIdParam")
	cfg.IdleTimeout = ms(num(opts, "idleTimeout"))
	if body, e := opts.Get("body"); e == nil && !body.IsUndefined() && !body.IsNull() {
		n, e := body.Length()
		if e == nil {
			cfg.Body = make([]byte, n)
			_, e = safejs.CopyBytesToGo(cfg.Body, body)
		}
		keep(e)
	}
	if retry, e := opts.Get("retry"); e == nil && !retry.IsUndefined() && !retry.IsNull() {
		cfg.ReconnectionTime = ms(num(retry, "initialDelay"))
		cfg.Retry = core.RetryPolicy{
			Factor:      num(retry, "factor"),
			MaxDelay:    ms(num(retry, "maxDelay")),
			Jitter:      num(retry, "jitter"),
			MaxAttempts: int(num(retry, "maxAttempts")),
		}
		http, e := retry.Get("retryServerErrors")
		keep(e)
		cfg.Retry.RetryHTTP, _ = http.Truthy()
	}
	if headers, e := opts.Get("headers"); e == nil && headers.Type() == safejs.TypeFunction {
		cfg.Header = func(ctx cancel.Notifier) (map[string][]string, error) { return callHeaders(ctx, headers) }
	}
	if err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

// callHeaders calls the shim's headers function and waits for the [name, value] pairs.
func callHeaders(ctx cancel.Notifier, fn safejs.Value) (map[string][]string, error) {
	promise, err := fn.Invoke()
	if err != nil {
		return nil, err
	}
	pairs, err := jsfunc.Await(ctx, "headers", promise)
	if err != nil {
		return nil, err
	}
	n, err := pairs.Length()
	if err != nil {
		return nil, err
	}
	h := make(map[string][]string, n)
	for i := range n {
		pair, err := pairs.Index(i)
		if err != nil {
			return nil, err
		}
		name, err := indexString(pair, 0)
		if err != nil {
			return nil, err
		}
		value, err := indexString(pair, 1)
		if err != nil {
			return nil, err
		}
		h[name] = append(h[name], value)
	}
	return h, nil
}

func indexString(v safejs.Value, i int) (string, error) {
	x, err := v.Index(i)
	if err != nil {
		return "", err
	}
	return x.String()
}
