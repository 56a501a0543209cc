#!/usr/bin/env bash
# Builds the native core + GoogleTest suite (build/native) and the WebAssembly module (build/wasm),
# then copies the module into dist/. Incremental: a second run with no change takes seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

if [[ ! -f build/native/CMakeCache.txt ]]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build/native -j "$jobs" -- --no-print-directory >/dev/null

if [[ ! -f build/wasm/CMakeCache.txt ]]; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node >/dev/null
fi
cmake --build build/wasm -j "$jobs" -- --no-print-directory >/dev/null

mkdir -p dist
for f in build/wasm/ivschat-core.mjs build/wasm/ivschat-core.wasm src/bindings/ivschat-core.d.mts; do
  if ! cmp -s "$f" "dist/$(basename "$f")"; then cp "$f" "dist/$(basename "$f")"; fi
done
