#!/usr/bin/env bash
# The benchmark (not part of the tests): release build, a 100,000-article database, wrk against
# the server and nginx, Lighthouse. Prints a table with budgets; JSON in target/bench/results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --browser
source scripts/env.sh

missing=()
for tool in wrk nginx; do command -v "$tool" >/dev/null || missing+=("$tool"); done
# GNU time: the WordPress import's peak memory.
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" != 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if [ ! -x bench/node_modules/.bin/lighthouse ]; then
  (cd bench && npm ci --no-audit --no-fund)
fi

# The release build, and the benchmark's data generator (portal-demo) beside it.
scripts/build.sh
exec python3 scripts/bench.py
