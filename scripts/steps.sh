# Sourced by scripts/test.sh: runs named steps and prints a table of their seconds at the end,
# whether the run passed or failed (the failed step is marked), so anyone can see where the
# time goes.
#   step "name" command args...    runs the command as one step of the table
#   step_begin "name" / step_end   brackets steps written as several commands
STEP_NAMES=()
STEP_SECONDS=()
STEP_STATUS=()
STEP_CURRENT=""
STEP_STARTED=0
STEPS_T0=$SECONDS

step_begin() {
  STEP_CURRENT="$1"
  STEP_STARTED=$SECONDS
  printf '\n==> %s (at %ss)\n' "$1" "$((SECONDS - STEPS_T0))"
}

step_end() {
  STEP_NAMES+=("$STEP_CURRENT")
  STEP_SECONDS+=("$((SECONDS - STEP_STARTED))")
  STEP_STATUS+=("${1:-ok}")
  STEP_CURRENT=""
}

step() {
  local name="$1"
  shift
  step_begin "$name"
  "$@"
  step_end
}

steps_table() {
  local status=$?
  # A step that was running when the script stopped is the one that failed.
  if [ -n "$STEP_CURRENT" ]; then step_end FAILED; fi
  background_stop
  local i total=$((SECONDS - STEPS_T0))
  printf '\n%-72s %8s  %s\n' "step" "seconds" ""
  for i in "${!STEP_NAMES[@]}"; do
    printf '%-72s %8s  %s\n' "${STEP_NAMES[$i]}" "${STEP_SECONDS[$i]}" \
      "$([ "${STEP_STATUS[$i]}" = ok ] || echo "${STEP_STATUS[$i]}")"
  done
  printf '%-72s %8s  %s\n' "total" "$total" "$([ "$status" = 0 ] && echo passed || echo "FAILED (exit $status)")"
  return "$status"
}

# Work that runs beside the steps, at a lower priority (it takes the cores the steps leave idle):
#   background "name" LOG command args...   starts it (its output goes to LOG)
#   background_wait                          a step that waits for it; fails if it failed
# Its own seconds are a row of the table; the wait is a step of its own.
BG_NAME=""
BG_PID=""
BG_LOG=""
background() {
  BG_NAME="$1"
  BG_LOG="$2"
  shift 2
  mkdir -p "$(dirname "$BG_LOG")"
  rm -f "$BG_LOG.status"
  printf '\n==> in the background: %s (at %ss; its output: %s)\n' "$BG_NAME" "$((SECONDS - STEPS_T0))" "$BG_LOG"
  # Its own process group (job control on for this one start), so that stopping the run stops
  # all of it. Not its own session (setsid): the kernel's autogroup scheduling would then give
  # it an equal share of the cores whatever its nice value.
  set -m
  nice -n 10 bash -c 'started=$SECONDS; "$@"; status=$?; echo "$status $((SECONDS - started))" >"$0.status"; exit $status' \
    "$BG_LOG" "$@" >"$BG_LOG" 2>&1 &
  BG_PID=$!
  set +m
}

background_wait() {
  step_begin "wait for: $BG_NAME"
  local status=0
  wait "$BG_PID" || status=$?
  BG_PID=""
  step_end
  local seconds="?"
  if [ -f "$BG_LOG.status" ]; then read -r status seconds <"$BG_LOG.status"; fi
  STEP_NAMES+=("  (in the background) $BG_NAME")
  STEP_SECONDS+=("$seconds")
  if [ "$status" = 0 ]; then STEP_STATUS+=(ok); else STEP_STATUS+=(FAILED); fi
  if [ "$status" != 0 ]; then
    echo "$BG_NAME failed (exit $status); the end of its output ($BG_LOG):" >&2
    tail -60 "$BG_LOG" >&2
    return "$status"
  fi
}

# Stops the background work if the run ends before waiting for it.
background_stop() {
  if [ -n "$BG_PID" ]; then
    # The group, and the process itself in case it has not made its group yet.
    kill -- "-$BG_PID" 2>/dev/null || true
    kill "$BG_PID" 2>/dev/null || true
    wait "$BG_PID" 2>/dev/null || true
    STEP_NAMES+=("  (in the background, stopped) $BG_NAME")
    STEP_SECONDS+=("-")
    STEP_STATUS+=(STOPPED)
    BG_PID=""
  fi
}
