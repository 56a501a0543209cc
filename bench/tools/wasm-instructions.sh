#!/usr/bin/env bash
# Instructions per call of one binding of a built wasm module, counted by callgrind: steady on a
# loaded machine, unlike timings. The wasm is compiled by TurboFan up front (--no-liftoff) and
# the count is the difference between 5,000 and 25,000 calls, so start-up cancels out.
#   bash bench/tools/wasm-instructions.sh [dir=dist] [op=frame]   (ops: frame send validate sign)
set -euo pipefail
dir=$(realpath "${1:-dist}")
op=${2:-frame}
calls=$(dirname "$0")/wasm-calls.mjs
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null node --no-liftoff --single-threaded "$calls" "$dir" "$op" "$1" 2>&1 |
    grep "refs:" | awk '{print $NF}' | tr -d ,
}
low=$(count 5000)
high=$(count 25000)
echo "$op: $(((high - low) / 20000)) instructions per call ($dir)"
