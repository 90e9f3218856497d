#!/usr/bin/env bash
# go-wasm.sh builds a Go package for GOOS=js GOARCH=wasm as the polyfill's wasm is shipped:
#
#   scripts/go-wasm.sh PACKAGE OUT          stripped, then through wasm-opt -Oz when installed
#   scripts/go-wasm.sh -names PACKAGE OUT   with its name section, before wasm-opt (for sizes
#                                           by function, as cmd/bench -packages reads them)
#
# build.sh builds the polyfill's wasm with it, and cmd/bench the startup floor, so that the two
# are built alike.
set -euo pipefail
names=0
if [ "${1:-}" = "-names" ]; then
  names=1
  shift
fi
if [ "$#" -ne 2 ]; then
  echo "usage: $0 [-names] PACKAGE OUT" >&2
  exit 2
fi
pkg=$1 out=$2

# No inlining in the runtime and in the standard packages that no event goes through. Go's
# wasm spells a call out at length, but the same few instructions each time, which brotli
# compresses well; an inlined body it cannot. Measured with Go 1.26 and wasm-opt -Oz, in brotli:
# the polyfill's wasm 659.7 KB -> 623.6, the safejs floor 577.1 -> 545.4 (the raw files grow by
# 5-6%). The packages an event's bytes go through (ours, safejs, syscall/js, bytes, strings,
# unicode/utf8) keep it: with no inlining in every standard package, internal/parse's
# benchmark took 1.35x the time under Node.js; with none in the runtime alone, the same time.
# With these, CPU per event moved by less than the noise (Node.js 20, 100k events of 64 B,
# 8 runs: a median of 211 ms against 233; in 7-byte reads 381 against 359). In headless
# Chromium (../shared/bench, 4 runs of 5-9 reps each, main-thread CPU of runs that include Go's
# start) the medians of the runs moved from 71.8 to 79.5 ms for 10k events of 1 KiB and from
# 71.4 to 76.4 for one event of 8 MB, within the runs' spread (62-82 and 71-87); startup, 170
# and 170 ms. That may be a few ms of Go's start, against 36 KB less to download. The brotli size
# moves by up to 3 KB with the layout of the data, which even the length of the build's
# settings that Go writes into the file shifts (this order of the list: 623.6 KB; syscall
# first: 626.3).
noinline=(runtime fmt reflect time os strconv sync internal/fmtsort internal/reflectlite internal/sync syscall)
gcflags=()
for p in "${noinline[@]}"; do
  gcflags+=("-gcflags=$p=-l")
done

if [ "$names" -eq 1 ]; then
  GOOS=js GOARCH=wasm go build -trimpath "${gcflags[@]}" -o "$out" "$pkg"
  exit 0
fi
GOOS=js GOARCH=wasm go build -trimpath "${gcflags[@]}" -ldflags='-s -w' -o "$out" "$pkg"
# Optimize with binaryen's wasm-opt when it is installed (make test installs it).
if command -v wasm-opt >/dev/null 2>&1; then
  wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals "$out" -o "$out.opt"
  mv "$out.opt" "$out"
fi
