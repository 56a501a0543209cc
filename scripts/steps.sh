# Sourced by scripts/setup.sh and scripts/build.sh: runs the long steps of a setup with their
# name and elapsed time, so a first run (minutes of apt, npm and compiling) never sits silent.
#   step NAME COMMAND...        says NAME as it starts, then how long it took; while it runs, the
#                               elapsed time (and a build's percentage) every second on a
#                               terminal, every 30 s in a log
#   quick_step NAME COMMAND...  for what is usually quick (an incremental build): says nothing
#                               unless it took 2 s or more
#   step_start VAR NAME COMMAND... / step_finish VAR   a step in the background, alongside others
# The command's own output goes to a log file, shown (its last 60 lines) if it fails; when it
# succeeds, only its warnings are shown (a compiler's, emcc's).
# STEP_PREFIX names the script in each line ("setup", "build").

STEP_PREFIX=${STEP_PREFIX:-setup}

# Microseconds since the epoch (EPOCHREALTIME may use the locale's decimal comma).
step_now() { local t=${EPOCHREALTIME//[!0-9]/}; echo "$t"; }

# "4.2 s", "2 min 05 s" for a span in microseconds.
step_elapsed() {
  local tenths=$(( $1 / 100000 ))
  if (( tenths < 600 )); then
    printf '%d.%d s' $((tenths / 10)) $((tenths % 10))
  else
    printf '%d min %02d s' $((tenths / 600)) $(((tenths % 600) / 10))
  fi
}

# The last "[ 42%]" a make run under CMake printed, as " · 42 %" (nothing before the first).
step_progress() {
  local percent
  percent=$(grep -o '^\[ *[0-9]*%\]' "$1" 2>/dev/null | tail -n 1 | tr -dc '0-9') || true
  [[ -n $percent ]] && printf ' · %s %%' "$percent"
  return 0
}

step_warnings() {
  grep -i 'warning:' "$1" | head -n 40 >&2 || true
  rm -f "$1"
}

step_failed() {
  local name=$1 log=$2 status=$3
  echo "$STEP_PREFIX: $name failed (exit $status). The last lines of its output:" >&2
  tail -n 60 "$log" >&2
  echo "$STEP_PREFIX: full output in $log" >&2
  exit "$status"
}

step() {
  local name=$1
  shift
  local log start pid status=0 ticks=0 line next_report=30000000
  log=$(mktemp "${TMPDIR:-/tmp}/ivschat-step.XXXXXX")
  start=$(step_now)
  local tty=0
  [[ -t 1 ]] && tty=1
  if ((tty)); then printf '%s: %s …' "$STEP_PREFIX" "$name"; else echo "$STEP_PREFIX: $name …"; fi
  "$@" </dev/null >"$log" 2>&1 &
  pid=$!
  # Polled every 0.2 s (a quick step is not held up), told about every second on a terminal,
  # every 30 s otherwise.
  while kill -0 "$pid" 2>/dev/null; do
    sleep 0.2
    ticks=$((ticks + 1))
    if ((tty && ticks % 5 == 0)); then
      line="$STEP_PREFIX: $name … $(step_elapsed $(($(step_now) - start)))$(step_progress "$log")"
      printf '\r\033[K%s' "$line"
    elif ((!tty && $(step_now) - start >= next_report)); then
      echo "$STEP_PREFIX: $name … $(step_elapsed $(($(step_now) - start))) so far$(step_progress "$log")"
      next_report=$((next_report + 30000000))
    fi
  done
  wait "$pid" || status=$?
  ((tty)) && printf '\r\033[K'
  if ((status != 0)); then
    ((tty)) && echo "$STEP_PREFIX: $name …"
    step_failed "$name" "$log" "$status"
  fi
  echo "$STEP_PREFIX: $name — done in $(step_elapsed $(($(step_now) - start)))"
  step_warnings "$log"
}

# step_start VAR NAME COMMAND...: a step run in the background, alongside the next ones (its
# start is said now, its time once step_finish VAR has waited for it, which fails as step does).
step_start() {
  local var=$1 name=$2 log
  shift 2
  log=$(mktemp "${TMPDIR:-/tmp}/ivschat-step.XXXXXX")
  echo "$STEP_PREFIX: $name … (alongside what follows)"
  # In a subshell that notes when the command ended (its time, not the time until it is waited
  # for) and passes a TERM on to it.
  (
    "$@" </dev/null >"$log" 2>&1 &
    child=$!
    trap 'kill "$child" 2>/dev/null' TERM
    status=0
    wait "$child" || status=$?
    step_now >"$log.end"
    exit "$status"
  ) &
  printf -v "$var" '%s|%s|%s|%s' "$!" "$(step_now)" "$log" "$name"
}

step_finish() {
  local pid start log name status=0 end
  IFS='|' read -r pid start log name <<<"${!1}"
  wait "$pid" || status=$?
  ((status != 0)) && step_failed "$name" "$log" "$status"
  end=$(cat "$log.end" 2>/dev/null || step_now)
  rm -f "$log.end"
  echo "$STEP_PREFIX: $name — done in $(step_elapsed $((end - start)))"
  step_warnings "$log"
}

quick_step() {
  local name=$1
  shift
  local log start status=0 took
  log=$(mktemp "${TMPDIR:-/tmp}/ivschat-step.XXXXXX")
  start=$(step_now)
  "$@" </dev/null >"$log" 2>&1 || status=$?
  ((status != 0)) && step_failed "$name" "$log" "$status"
  took=$(($(step_now) - start))
  ((took >= 2000000)) && echo "$STEP_PREFIX: $name — done in $(step_elapsed "$took")"
  step_warnings "$log"
  return 0
}
