#!/usr/bin/env bash
# Builds the two WebAssembly modules (build/wasm, copied into dist/) and the script-tag bundle,
# then the native core + GoogleTest suite (build/native), the same suite with AddressSanitizer
# + UndefinedBehaviorSanitizer on the shipped (tuned) lexer (build/native-asan) and the libFuzzer
# targets (build/fuzz, clang). Incremental: a
# second run with no change takes seconds. Each long step says its name and how long it took
# (scripts/steps.sh).
#   scripts/build.sh            everything (`npm test`)
#   scripts/build.sh --runtime  only build/wasm, dist/ and the script-tag bundle (what `npm start`
#                               needs: no native build, no GoogleTest suite)
#   scripts/build.sh --wasm     only build/wasm and dist/'s modules (no esbuild: no node_modules)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
runtime_only=0
[[ "${1:-}" == "--runtime" ]] && runtime_only=1
# --wasm: only build/wasm and the modules in dist/, which need no node_modules (setup.sh runs it
# alongside npm ci on a first run).
wasm_only=0
[[ "${1:-}" == "--wasm" ]] && wasm_only=1
STEP_PREFIX=build
source scripts/steps.sh

# cmake_build DIR WHAT: a build announced as it starts when DIR has never been built (minutes),
# otherwise quiet unless it takes a while (an incremental build).
cmake_build() {
  if [[ -f "$1/.ivschat-built" ]]; then
    quick_step "$2 ($1)" cmake --build "$1" -j "$jobs" -- --no-print-directory
  else
    step "$2 ($1)" cmake --build "$1" -j "$jobs" -- --no-print-directory
    touch "$1/.ivschat-built"
  fi
}

if [[ ! -f build/wasm/CMakeCache.txt ]]; then
  step "configure the WebAssembly build (emcmake cmake, build/wasm)" \
    emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node
fi
cmake_build build/wasm "compile the C++ core to WebAssembly"

# The modules boundary/calls.js declares (and the types of their glue) into dist/, where the
# package's entries import them from; copied only when changed, so that an unchanged build
# leaves dist/ untouched.
mkdir -p dist
copy_if_changed() {
  if ! cmp -s "$1" "$2"; then cp "$1" "$2"; fi
}
while read -r _module file _factory; do
  copy_if_changed "build/wasm/$file.mjs" "dist/$file.mjs"
  copy_if_changed "build/wasm/$file.wasm" "dist/$file.wasm"
  copy_if_changed src/bindings/emscripten-factory.d.mts "dist/$file.d.mts"
  # The module's reader, generated from boundary/calls.js with its binding.
  copy_if_changed "build/wasm/generated/$file-calls.js" "dist/$file-calls.js"
done < <(node boundary/generate.js --list-modules)
rm -f dist/ivschat-core.mjs dist/ivschat-core.wasm dist/ivschat-core.d.mts

((wasm_only)) && exit 0

# The script-tag build: one classic script exposing the global IvsChatWasm, with
# ivschat-client.wasm beside it in dist/ (what unpkg and jsdelivr serve).
mkdir -p build/iife
quick_step "bundle the script-tag build (esbuild, dist/ivschat-wasm.iife.js)" \
  node_modules/.bin/esbuild js/entry/script-tag.js --bundle --format=iife --global-name=IvsChatWasm \
  --platform=browser --target=es2020 --minify --legal-comments=none --log-level=warning \
  --outfile=build/iife/ivschat-wasm.iife.js
copy_if_changed build/iife/ivschat-wasm.iife.js dist/ivschat-wasm.iife.js

((runtime_only)) && exit 0

# The native core + GoogleTest suite (ctest in scripts/test.sh).
if [[ ! -f build/native/CMakeCache.txt ]]; then
  step "configure the native build (cmake, build/native)" \
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake_build build/native "compile the native core and GoogleTest suite"

# The GoogleTest suite under ASan + UBSan, with assertions (libstdc++ bounds checks, nlohmann's
# JSON_ASSERT): -O1 keeps the first build short and the reports exact; every report fails the
# test (-fno-sanitize-recover=all, tests/cpp/sanitizer_options.cpp).
if [[ ! -f build/native-asan/CMakeCache.txt ]]; then
  step "configure the sanitizer build (cmake, build/native-asan)" \
    cmake -S . -B build/native-asan -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g -D_GLIBCXX_ASSERTIONS" \
    -DIVSCHAT_SANITIZE=address,undefined
fi
cmake_build build/native-asan "compile the GoogleTest suite under ASan + UBSan"

# The fuzz targets (clang + libFuzzer + ASan + UBSan); scripts/fuzz.sh runs them.
if [[ ! -f build/fuzz/CMakeCache.txt ]]; then
  step "configure the fuzz targets (cmake with clang, build/fuzz)" \
    env CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIVSCHAT_BUILD_FUZZERS=ON -DIVSCHAT_BUILD_TESTS=OFF
fi
cmake_build build/fuzz "compile the fuzz targets"
