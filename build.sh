#!/usr/bin/env bash
# build.sh: builds what a site serves into web/:
#   eventsource.js    the shim: the files of js/shim/, in the order of shim_files, joined inside
#                     one function (they share its scope), without their comment lines
#   eventsource.wasm  the Go side (wasm/), built by scripts/go-wasm.sh: GOOS=js GOARCH=wasm,
#                     stripped, optimized by wasm-opt
#   wasm_exec.js      the Go toolchain's own glue, copied from the Go in use
# The shim asks for the other two as file?v=hash (the start of their SHA-256, written into it
# here), so that a server may serve those URLs immutable.
# plus .gz and .br copies of each, for servers that send them with Content-Encoding.
# Files are built aside and renamed into place, so that a server reading web/ meanwhile never
# sees half a file.
set -euo pipefail
cd "$(dirname "$0")"
out=web
mkdir -p "$out"
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

scripts/go-wasm.sh ./wasm "$tmp/eventsource.wasm"
cp "$(go env GOROOT)/lib/wasm/wasm_exec.js" "$tmp/wasm_exec.js"
shim_files=(prelude clock load engine events options protocol request eventsource remote leader install lifecycle body run host)
# The comments stay in the sources: the joined file drops the lines that are only a comment,
# blank lines, the indentation, and a comment at the end of a line whose code has no quote,
# backtick or slash (so that its " // " can be in no string, template, regular expression or
# block comment; no line of the shim is inside a multi-line string, and it has no block
# comments).
{
  printf '// eventsource.js: the EventSource polyfill, joined by build.sh from js/shim/ (see\n'
  printf '// prelude.js there), where its comments are.\n"use strict";\n(() => {\n'
  for f in "${shim_files[@]}"; do
    sed -E -e '/^[[:space:]]*\/\//d' -e '/^[[:space:]]*$/d' -e "/^[^'\"\`\/]* \/\/ /s/ \/\/ .*$//" -e 's/^[[:space:]]+//' "js/shim/$f.js"
  done
  printf '})();\n'
} >"$tmp/eventsource.js"
if grep -n '/\*' js/shim/*.js >&2; then
  echo "build.sh: the shim must have no block comments (see the comment stripping above)" >&2
  exit 1
fi
if [ "$(ls js/shim/*.js | wc -l)" -ne "${#shim_files[@]}" ]; then
  echo "build.sh: js/shim/ holds files that shim_files does not list" >&2
  exit 1
fi

# The shim asks for the wasm and wasm_exec.js by URLs with the start of their SHA-256 (load.js).
version() { sha256sum "$1" | cut -c1-16; }
placeholder='const versions = {wasm: "", exec: ""};'
if [ "$(grep -cxF "$placeholder" "$tmp/eventsource.js")" -ne 1 ]; then
  echo "build.sh: js/shim/load.js must hold the line: $placeholder" >&2
  exit 1
fi
sed -i "s/^const versions = {wasm: \"\", exec: \"\"};\$/const versions = {wasm: \"$(version "$tmp/eventsource.wasm")\", exec: \"$(version "$tmp/wasm_exec.js")\"};/" "$tmp/eventsource.js"

for f in eventsource.wasm eventsource.js wasm_exec.js; do
  gzip -9 -n -c "$tmp/$f" >"$tmp/$f.gz"
  if command -v brotli >/dev/null 2>&1; then
    brotli -q 11 -f -o "$tmp/$f.br" "$tmp/$f"
  fi
done
for f in "$tmp"/*; do
  mv -f "$f" "$out/"
done
