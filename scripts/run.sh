#!/usr/bin/env bash
# Installs what is missing, then serves the portal with live reload on http://127.0.0.1:3000
# (an embedded SQLite database in ./data, filled with demo content on first start).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
# --split: the newsroom's code is a separate WASM chunk (lazy routes); builds need the flag.
exec cargo leptos watch --split "$@"
