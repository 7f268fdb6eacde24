#!/usr/bin/env bash
# Installs what is missing, then serves the portal with live reload on http://127.0.0.1:3000
# (an embedded SQLite database in ./data, filled with demo content by `portal-demo seed`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
# The server never creates content: the demo tool fills ./data on the first run (and leaves
# a database that has articles alone).
cargo run --features demo --bin portal-demo -- seed
# --split: the newsroom's code is a separate WASM chunk (lazy routes); builds need the flag.
exec cargo leptos watch --split "$@"
