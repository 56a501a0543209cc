#!/usr/bin/env bash
# Installs what is missing (Debian packages, npm dependencies) and builds, idempotently.
# Fast when everything is already there: it only checks and runs an incremental build.
#   scripts/setup.sh            everything `npm test` needs (includes chromium, clang/libFuzzer)
#   scripts/setup.sh --runtime  only what `npm start` needs (no chromium, no sanitizer or fuzz
#                               builds)
#   scripts/setup.sh --examples what `npm run examples` needs: --runtime plus chromium
#   scripts/setup.sh --fuzz     only what `npm run fuzz` needs (clang, libFuzzer); installs
#                               packages only: scripts/fuzz.sh builds its own directory
set -euo pipefail
cd "$(dirname "$0")/.."

mode=test
case "${1:-}" in
  --runtime) mode=runtime ;;
  --fuzz) mode=fuzz ;;
  --examples) mode=examples ;;
  "") ;;
  *) echo "setup: unknown argument $1" >&2; exit 2 ;;
esac

# clang + libclang-rt-14-dev: libFuzzer and clang's sanitizer runtimes (fuzz/, scripts/fuzz.sh);
# llvm-14: llvm-symbolizer, for readable stack traces in sanitizer reports.
fuzz_packages=(clang libclang-rt-14-dev llvm-14)
case "$mode" in
  test) packages=(cmake g++ make emscripten nlohmann-json3-dev libgtest-dev chromium "${fuzz_packages[@]}") ;;
  runtime) packages=(cmake g++ make emscripten nlohmann-json3-dev libgtest-dev) ;;
  examples) packages=(cmake g++ make emscripten nlohmann-json3-dev libgtest-dev chromium) ;;
  fuzz) packages=(cmake make nlohmann-json3-dev "${fuzz_packages[@]}") ;;
esac

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

[[ $mode == fuzz ]] && exit 0

# npm dependencies: install when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [[ $mode == runtime || $mode == examples ]]; then
  bash scripts/build.sh --runtime
else
  bash scripts/build.sh
fi
