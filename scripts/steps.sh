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
  local i total=$((SECONDS - STEPS_T0))
  printf '\n%-72s %8s  %s\n' "step" "seconds" ""
  for i in "${!STEP_NAMES[@]}"; do
    printf '%-72s %8s  %s\n' "${STEP_NAMES[$i]}" "${STEP_SECONDS[$i]}" \
      "$([ "${STEP_STATUS[$i]}" = ok ] || echo "${STEP_STATUS[$i]}")"
  done
  printf '%-72s %8s  %s\n' "total" "$total" "$([ "$status" = 0 ] && echo passed || echo "FAILED (exit $status)")"
  return "$status"
}
