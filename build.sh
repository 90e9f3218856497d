#!/usr/bin/env bash
# build.sh: builds what a site serves into web/:
#   eventsource.js    the shim, copied from js/
#   eventsource.wasm  the Go side (wasm/), GOOS=js GOARCH=wasm, stripped
#   wasm_exec.js      the Go toolchain's own glue, copied from the Go in use
# plus .gz and .br copies of each, for servers that send them with Content-Encoding.
set -euo pipefail
cd "$(dirname "$0")"
out=web
mkdir -p "$out"

GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o "$out/eventsource.wasm" ./wasm
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$out/wasm_exec.js"
cp js/eventsource.js "$out/eventsource.js"

# Optimize with binaryen's wasm-opt when it is installed (make test installs it).
if command -v wasm-opt >/dev/null 2>&1; then
  wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
    --enable-mutable-globals "$out/eventsource.wasm" -o "$out/eventsource.wasm.opt" &&
    mv "$out/eventsource.wasm.opt" "$out/eventsource.wasm"
fi

for f in eventsource.wasm eventsource.js wasm_exec.js; do
  gzip -9 -n -c "$out/$f" >"$out/$f.gz"
  if command -v brotli >/dev/null 2>&1; then
    brotli -q 11 -f -o "$out/$f.br" "$out/$f"
  fi
done
