#!/bin/sh
# Vendor axe-core for the browser accessibility tests (tests/browser). Run at build time by
# `make static`; nothing is fetched when the tests run. Idempotent: does nothing once present.
set -eu
cd "$(dirname "$0")/.."
TARGET=build/vendor/node_modules/axe-core/axe.min.js
if [ -f "$TARGET" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "vendor-axe: npm was not found; install Node.js and npm, then run scripts/vendor-axe.sh" >&2
  exit 1
fi
mkdir -p build/vendor
npm install --no-save --no-audit --no-fund --silent --prefix build/vendor axe-core@4
test -f "$TARGET" || { echo "vendor-axe: npm finished but $TARGET is missing" >&2; exit 1; }
echo "vendor-axe: $TARGET"
