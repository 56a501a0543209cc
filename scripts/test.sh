#!/usr/bin/env bash
# Every test: GoogleTest under ctest, the type check, then all node tests (unit, local server,
# packaging, headless Chromium). Run through `npm test`, which sets up and builds first.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== C++ (GoogleTest via ctest)"
ctest --test-dir build/native --output-on-failure --timeout 300 -j 2 | tail -n 4

echo "== types (tsc)"
npx tsc -p tsconfig.json

echo "== JavaScript (node --test)"
mkdir -p test-output
node --test --test-concurrency=2 tests/
