# make run   builds and serves the demo on http://127.0.0.1:8080 (PORT=... to change)
# make test  installs what the tests need where it is missing, builds, and runs every test
# make bench builds and compares the polyfill with Chromium's EventSource (cmd/bench)
# make soak  builds and runs the endurance comparison (cmd/bench -soak; SOAKFLAGS=-soak-n 10000)
.PHONY: run test build deps test-native test-wasm test-browser fuzz bench bench-go soak clean

PORT ?= 8080
FUZZTIME ?= 2m
GOROOT := $(shell go env GOROOT)
NODE_EXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec

run: build
	go run ./cmd/demo -addr 127.0.0.1:$(PORT)

test: deps build test-native test-wasm

deps:
	./scripts/install-deps.sh

build:
	./build.sh

# Everything native: the parser, the processing model, the Go client, the test server, the
# demo in Chromium, and the browser suite (polyfill_test.go) in Chromium and Firefox ESR.
test-native:
	go vet ./...
	go test -race -count=1 -timeout 20m ./...

# The pure-Go core compiled to wasm, run under Node.js: the parser and processing model behave
# the same there as natively; the fetch() transport's body readers, against Node's streams; and
# the polyfill's Go side reading the options (against internal/protocol/options.json).
test-wasm:
	GOOS=js GOARCH=wasm go vet ./...
	GOOS=js GOARCH=wasm go test -count=1 -timeout 5m -exec="$(NODE_EXEC)" ./internal/parse ./internal/cancel ./internal/core ./internal/jsfunc ./internal/fetch ./wasm

test-browser: build
	go test -count=1 -timeout 20m -run TestBrowser -v .

# Each fuzz target for FUZZTIME (go test runs one target at a time).
fuzz:
	go test -run XXX -fuzz '^FuzzParse$$' -fuzztime $(FUZZTIME) ./internal/parse
	go test -run XXX -fuzz '^FuzzUTF8$$' -fuzztime $(FUZZTIME) ./internal/parse
	go test -run XXX -fuzz '^FuzzParseHTTPDate$$' -fuzztime $(FUZZTIME) ./internal/core

# The polyfill against Chromium's own EventSource, in headless Chromium (cmd/bench): a table of
# medians on stdout, every sample in bench.json. BENCHFLAGS=-quick for a short run.
bench: build
	go run ./cmd/bench -dist web -json bench.json $(BENCHFLAGS)

# Endurance, polyfill against Chromium's own EventSource (cmd/bench -soak): per implementation,
# connect/close cycles and server-side connection drops, with events, duplicates, gaps,
# connections and memory before and after each phase; figures in bench-results/soak.json. It
# reports and does not fail on what it sees; not part of make test. SOAKFLAGS="-soak-n 10000"
# for a longer run.
soak: build
	mkdir -p bench-results
	go run ./cmd/bench -dist web -soak -json bench-results/soak.json $(SOAKFLAGS)

# The parser's Go micro-benchmarks.
bench-go:
	go test -run XXX -bench . -benchmem ./internal/parse

clean:
	rm -f web/*.wasm web/*.gz web/*.br web/wasm_exec.js web/eventsource.js
