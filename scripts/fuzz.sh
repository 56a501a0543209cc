#!/usr/bin/env bash
# Builds the libFuzzer targets (build/fuzz: clang, ASan + UBSan, no recovery) and runs each one
# on its committed seed corpus for a fixed time.
#
#   scripts/fuzz.sh [--seconds N] [--jobs J] [--target NAME]... [--merge]
#   npm run fuzz -- --seconds 300        (or FUZZ_SECONDS=300 npm run fuzz)
#
#   --seconds N    time per target (default: $FUZZ_SECONDS, else 60)
#   --jobs J       targets run at once (default: the number of cores)
#   --target NAME  run only this target (repeatable); the targets are the fuzz/*.cpp names
#   --merge        afterwards, add the new inputs that bring new coverage to fuzz/corpus/
#                  (minimized; review and commit them by hand). Never used by CI.
#
# Reads fuzz/corpus/<target>/ (never writes there without --merge). Writes new inputs to
# build/fuzz/corpus/<target>/ (kept between runs), logs to test-output/fuzz/<target>.log, the
# summary to test-output/fuzz/summary.txt, and any crash, leak, timeout or out-of-memory input
# to test-output/fuzz/<target>/ (crash-*, leak-*, timeout-*, oom-*). Exits 1 when any target
# finds one: a sanitizer report, a broken invariant (FUZZ_CHECK) or a hang all count.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
jobs=$(nproc 2>/dev/null || echo 2)
merge=0
targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --seconds=*) seconds="${1#*=}"; shift ;;
    --jobs) jobs="$2"; shift 2 ;;
    --jobs=*) jobs="${1#*=}"; shift ;;
    --target) targets+=("$2"); shift 2 ;;
    --target=*) targets+=("${1#*=}"); shift ;;
    --merge) merge=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "fuzz: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 1 ]] || { echo "fuzz: --seconds must be a whole number >= 1" >&2; exit 2; }
[[ "$jobs" =~ ^[0-9]+$ && "$jobs" -ge 1 ]] || { echo "fuzz: --jobs must be a whole number >= 1" >&2; exit 2; }

if ((${#targets[@]} == 0)); then
  for f in fuzz/*.cpp; do targets+=("$(basename "$f" .cpp)"); done
fi
for t in "${targets[@]}"; do
  [[ -f "fuzz/$t.cpp" ]] || { echo "fuzz: no target $t (fuzz/$t.cpp)" >&2; exit 2; }
done

# --- build (incremental) ---
if ! command -v clang++ >/dev/null; then
  echo "fuzz: clang++ is missing; run scripts/setup.sh (installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi
if [[ ! -f build/fuzz/CMakeCache.txt ]]; then
  CC=clang CXX=clang++ cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DIVSCHAT_BUILD_FUZZERS=ON -DIVSCHAT_BUILD_TESTS=OFF >/dev/null
fi
cmake --build build/fuzz -j "$(nproc 2>/dev/null || echo 2)" -- --no-print-directory >/dev/null

# --- run ---
out=test-output/fuzz
mkdir -p "$out"
if [[ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]]; then
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

run_target() {
  local t="$1"
  rm -rf "${out:?}/$t" "$out/$t.rc"
  mkdir -p "build/fuzz/corpus/$t" "$out/$t"
  local rc=0 dict=()
  [[ -s "fuzz/dict/$t.dict" ]] && dict=(-dict="fuzz/dict/$t.dict")
  "build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -max_len=4096 "${dict[@]}" \
    -artifact_prefix="$out/$t/" -print_final_stats=1 \
    "build/fuzz/corpus/$t" "fuzz/corpus/$t" >"$out/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$out/$t.rc"
}

echo "fuzz: ${#targets[@]} targets, ${seconds} s each, ${jobs} at a time (logs in $out/)"
running=0
for t in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n || true
    running=$((running - 1))
  fi
  run_target "$t" &
  running=$((running + 1))
done
wait

# --- report ---
failed=0
for t in "${targets[@]}"; do
  [[ "$(cat "$out/$t.rc" 2>/dev/null || echo 1)" == 0 ]] || failed=1
done
{
  printf '%-28s %10s %8s %6s %12s %6s  %s\n' target runs exec/s seeds corpus cov result
  for t in "${targets[@]}"; do
    log="$out/$t.log"
    rc=$(cat "$out/$t.rc" 2>/dev/null || echo 1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    seeds=$(find "fuzz/corpus/$t" -type f | wc -l)
    last=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    corpus=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    [[ -n "$runs" ]] || runs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
    result=ok
    [[ "$rc" == 0 ]] || result="FAILED (exit $rc)"
    printf '%-28s %10s %8s %6s %12s %6s  %s\n' "$t" "${runs:-?}" "${rate:-?}" "$seeds" "${corpus:-?}" "${cov:-?}" "$result"
  done
} | tee "$out/summary.txt"

if ((failed)); then
  for t in "${targets[@]}"; do
    [[ "$(cat "$out/$t.rc" 2>/dev/null || echo 1)" == 0 ]] && continue
    echo
    echo "== fuzz_$t failed; the end of $out/$t.log:"
    grep -v -E '^#[0-9]+' "$out/$t.log" | tail -n 40
    for artifact in "$out/$t"/*; do
      [[ -e "$artifact" ]] || continue
      echo "input saved: $artifact  (replay: build/fuzz/fuzz_$t $artifact)"
    done
  done
  echo
  echo "fuzz: FAILED. Fix the defect, then keep the input as a regression seed,"
  echo "fuzz/corpus/<target>/regression-<what it shows> (every run replays the seeds), and add a"
  echo "GoogleTest case for the broken rule beside its other tests in tests/cpp/."
  exit 1
fi

if ((merge)); then
  for t in "${targets[@]}"; do
    before=$(find "fuzz/corpus/$t" -type f | wc -l)
    "build/fuzz/fuzz_$t" -merge=1 -max_len=4096 "fuzz/corpus/$t" "build/fuzz/corpus/$t" \
      >"$out/$t.merge.log" 2>&1
    echo "fuzz: merged $t: $before -> $(find "fuzz/corpus/$t" -type f | wc -l) files in fuzz/corpus/$t"
  done
fi
echo "fuzz: no crash, leak, timeout or broken invariant"
