#!/usr/bin/env bash
# install-deps.sh: installs what the tests need and the machine lacks, and nothing else:
# Debian's chromium and firefox-esr (the browser tests), binaryen (wasm-opt) and brotli (the
# shipped sizes), and the npm packages of package-lock.json (typescript). Run by `make test`;
# safe to run again.
set -euo pipefail

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
command -v wasm-opt >/dev/null 2>&1 || missing+=(binaryen)
command -v brotli >/dev/null 2>&1 || missing+=(brotli)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The npm packages of the tests (typescript, for TestTypes), as package-lock.json pins them.
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/tsc ]; then
  echo "install-deps: npm ci" >&2
  npm ci --no-audit --no-fund >/dev/null
fi
