#!/usr/bin/env bash
# Builds the native core + GoogleTest suite (build/native), the same suite with AddressSanitizer
# + UndefinedBehaviorSanitizer on the shipped (tuned) lexer (build/native-asan), the two
# WebAssembly modules (build/wasm, copied into dist/) and
# the libFuzzer targets (build/fuzz, clang). Incremental: a second run with no
# change takes seconds.
#   scripts/build.sh            everything
#   scripts/build.sh --runtime  only build/native and build/wasm (what `npm start` needs)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
runtime_only=0
[[ "${1:-}" == "--runtime" ]] && runtime_only=1

if [[ ! -f build/native/CMakeCache.txt ]]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build/native -j "$jobs" -- --no-print-directory >/dev/null

if [[ ! -f build/wasm/CMakeCache.txt ]]; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
fi
cmake --build build/wasm -j "$jobs" -- --no-print-directory >/dev/null

# The two modules (and the types of their glue) into dist/, where the package's entries import
# them from; copied only when changed, so that an unchanged build leaves dist/ untouched.
mkdir -p dist
copy_if_changed() {
  if ! cmp -s "$1" "$2"; then cp "$1" "$2"; fi
}
for module in client backend; do
  copy_if_changed "build/wasm/ivschat-$module.mjs" "dist/ivschat-$module.mjs"
  copy_if_changed "build/wasm/ivschat-$module.wasm" "dist/ivschat-$module.wasm"
  copy_if_changed src/bindings/emscripten-factory.d.mts "dist/ivschat-$module.d.mts"
  # The module's reader, generated from boundary/calls.js with its binding.
  copy_if_changed "build/wasm/generated/ivschat-$module-calls.js" "dist/ivschat-$module-calls.js"
done
rm -f dist/ivschat-core.mjs dist/ivschat-core.wasm dist/ivschat-core.d.mts

# The script-tag build: one classic script exposing the global IvsChatWasm, with
# ivschat-client.wasm beside it in dist/ (what unpkg and jsdelivr serve).
mkdir -p build/iife
node_modules/.bin/esbuild js/entry/script-tag.js --bundle --format=iife --global-name=IvsChatWasm \
  --platform=browser --target=es2020 --minify --legal-comments=none --log-level=warning \
  --outfile=build/iife/ivschat-wasm.iife.js
copy_if_changed build/iife/ivschat-wasm.iife.js dist/ivschat-wasm.iife.js

((runtime_only)) && exit 0

# The GoogleTest suite under ASan + UBSan, with assertions (libstdc++ bounds checks, nlohmann's
# JSON_ASSERT): -O1 keeps the first build short and the reports exact; every report fails the
# test (-fno-sanitize-recover=all, tests/cpp/sanitizer_options.cpp).
if [[ ! -f build/native-asan/CMakeCache.txt ]]; then
  cmake -S . -B build/native-asan -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g -D_GLIBCXX_ASSERTIONS" \
    -DIVSCHAT_SANITIZE=address,undefined >/dev/null
fi
cmake --build build/native-asan -j "$jobs" -- --no-print-directory >/dev/null

# The fuzz targets (clang + libFuzzer + ASan + UBSan); scripts/fuzz.sh runs them.
if [[ ! -f build/fuzz/CMakeCache.txt ]]; then
  CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIVSCHAT_BUILD_FUZZERS=ON -DIVSCHAT_BUILD_TESTS=OFF >/dev/null
fi
cmake --build build/fuzz -j "$jobs" -- --no-print-directory >/dev/null
