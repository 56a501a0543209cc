#!/usr/bin/env bash
# Every test: GoogleTest under ctest (plain and under ASan + UBSan), a short fuzzing run of every
# fuzz target, the type check, then all node tests (unit, local server, packaging, headless
# Chromium). Run through `npm test`, which sets up and builds first.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p test-output

echo "== C++ (GoogleTest via ctest)"
ctest --test-dir build/native --output-on-failure --timeout 300 -j 2 | tail -n 4

echo "== C++ under AddressSanitizer + UndefinedBehaviorSanitizer (GoogleTest via ctest)"
if ! ctest --test-dir build/native-asan --output-on-failure --timeout 300 -j 2 \
    >test-output/ctest-asan.log 2>&1; then
  cat test-output/ctest-asan.log
  echo "sanitizer build: tests failed (full log: test-output/ctest-asan.log)" >&2
  exit 1
fi
tail -n 3 test-output/ctest-asan.log

# Each target for a fixed budget on top of its committed seeds (2 at a time: about a minute).
echo "== fuzzing (libFuzzer + ASan + UBSan, ${FUZZ_CI_SECONDS:-15} s per target)"
bash scripts/fuzz.sh --seconds "${FUZZ_CI_SECONDS:-15}" --jobs 2

echo "== types (tsc)"
npx tsc -p tsconfig.json

# Everything runs without code generation from strings (no eval or new Function anywhere, as on
# Workers), except the files that drive Chromium: Playwright itself calls new Function in Node.
echo "== JavaScript (node --test)"
mapfile -t browser_tests < <(grep -rlE --include='*.test.js' "from '(playwright-core|\./chromium\.js|\.\./browser/chromium\.js)'" tests | sort)
mapfile -t other_tests < <(find tests -name '*.test.js' | sort | grep -vxF -f <(printf '%s\n' "${browser_tests[@]}"))
node --disallow-code-generation-from-strings --test --test-concurrency=2 "${other_tests[@]}"
echo "== JavaScript in headless Chromium (node --test)"
node --test --test-concurrency=2 "${browser_tests[@]}"
