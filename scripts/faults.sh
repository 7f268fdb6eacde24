#!/usr/bin/env bash
# The fault test with its figures: the server killed with SIGKILL three times under readers and
# editors (tests/faults.rs); FAULT_SECONDS (default 10) is about how long it runs between kills.
# Prints requests per route, saves acknowledged and found, errors by kind.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
FAULT_SECONDS="${FAULT_SECONDS:-10}" exec cargo test --features ssr --test faults -- --nocapture
