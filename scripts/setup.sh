#!/usr/bin/env bash
# Installs what is missing (Debian packages, npm dependencies) and builds, idempotently.
# Fast when everything is already there: it only checks and runs an incremental build. Each long
# step (apt, npm ci, each cmake configure and build, esbuild) says its name and elapsed time.
#   scripts/setup.sh            everything `npm test` needs (includes chromium, clang/libFuzzer)
#   scripts/setup.sh --runtime  only what `npm start` needs: the WebAssembly modules (no native
#                               GoogleTest suite, no chromium, no sanitizer or fuzz builds)
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
# The WebAssembly build needs no host compiler (emcc is clang) and no GoogleTest.
case "$mode" in
  test) packages=(cmake g++ make emscripten nlohmann-json3-dev libgtest-dev chromium "${fuzz_packages[@]}") ;;
  runtime) packages=(cmake make emscripten nlohmann-json3-dev) ;;
  examples) packages=(cmake make emscripten nlohmann-json3-dev chromium) ;;
  fuzz) packages=(cmake make nlohmann-json3-dev "${fuzz_packages[@]}") ;;
esac
STEP_PREFIX=setup
source scripts/steps.sh
started=$(step_now)

# One dpkg-query for all of them. A package it has never seen is not listed, and then it exits 1
# (on a fresh machine it always does): its status is not an error here.
installed=" $( (dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true) | awk '/install ok installed$/ { printf "%s ", $1 }')"
missing=()
for pkg in "${packages[@]}"; do
  [[ $installed == *" $pkg "* ]] || missing+=("$pkg")
done

npm_stale=0
[[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]] && npm_stale=1
[[ $mode == fuzz ]] && npm_stale=0
# Never built (build.sh marks a finished first build; a tree built before the marks has the outputs).
unbuilt=0
[[ $mode != fuzz && ! -f build/wasm/.ivschat-built && ! -f build/wasm/ivschat-client.wasm ]] && unbuilt=1
[[ $mode == test && ! -f build/native-asan/.ivschat-built && ! -f build/native-asan/ivschat_tests ]] && unbuilt=1

# Said up front, so that minutes of work are expected rather than taken for a hang.
first=()
((${#missing[@]})) && first+=("installing Debian packages")
((npm_stale)) && first+=("installing npm dependencies")
if ((unbuilt)); then
  if [[ $mode == test ]]; then first+=("compiling the C++ core (WebAssembly, native, sanitizer and fuzz builds)")
  else first+=("compiling the C++ core to WebAssembly"); fi
fi
if ((${#first[@]})); then
  what=${first[0]}
  for ((i = 1; i < ${#first[@]}; i++)); do
    if ((i == ${#first[@]} - 1)); then what+=" and ${first[i]}"; else what+=", ${first[i]}"; fi
  done
  echo "First run: $what; this takes a few minutes."
fi

# npm dependencies: installed when node_modules is missing or older than the lock file, in the
# background (network) while the packages install and the C++ core compiles (CPU).
npm_pid=
if ((npm_stale)); then
  step_start npm_step "install npm dependencies (npm ci)" npm ci --no-audit --no-fund --loglevel=error
  npm_pid=${npm_step%%|*}
  trap '[[ -n $npm_pid ]] && kill "$npm_pid" 2>/dev/null; true' EXIT
fi

if ((${#missing[@]})); then
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  step "update the Debian package lists (apt-get update)" "${sudo[@]}" apt-get update -qq
  step "install Debian packages: ${missing[*]} (apt-get install)" \
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

[[ $mode == fuzz ]] && exit 0

if ((npm_stale)); then
  bash scripts/build.sh --wasm
  step_finish npm_step
  npm_pid=
fi

if [[ $mode == runtime || $mode == examples ]]; then
  bash scripts/build.sh --runtime
else
  bash scripts/build.sh
fi
if ((${#first[@]})); then
  echo "setup: ready in $(step_elapsed $(($(step_now) - started)))"
fi
