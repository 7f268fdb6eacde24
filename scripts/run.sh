#!/usr/bin/env bash
# Installs what is missing, then serves the portal with live reload on http://127.0.0.1:3000
# (an embedded SQLite database in ./data, filled with demo content by `portal-demo seed`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
source scripts/env.sh
# The server compiles ahead of the WASM after each edit (scripts/rustc-wasm-nice).
if [ -z "${RUSTC_WRAPPER:-}" ]; then export RUSTC_WRAPPER="$PWD/scripts/rustc-wasm-nice"; fi
# One build for everything: the site, the server and the demo tool in one `cargo leptos build`,
# in the environment `cargo leptos watch` compiles with (it sets LEPTOS_WATCH, which Leptos reads
# at compile time), so that watch below finds all of it built and starts at once.
export LEPTOS_WATCH=true
# --split: the newsroom's code is a separate WASM chunk (lazy routes); builds need the flag.
cargo leptos build --split --bin-cargo-args=--bin=portal-demo
# The server never creates content: the demo tool fills ./data on the first run (and leaves a
# database that has articles alone).
target/debug/portal-demo seed
# The newsletter's mail, when Debian's python3-aiosmtpd is there (scripts/setup.sh --services):
# a mail server on loopback that keeps every message in data/mail/ to read, nothing sent out.
if [ -z "${PORTAL_SMTP_URL:-}" ] && /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null; then
  mkdir -p data
  coproc SINK { exec /usr/bin/python3 scripts/smtp-sink.py data/mail; }
  trap 'kill "$SINK_PID" 2>/dev/null || true' EXIT
  read -r line <&"${SINK[0]}"
  export PORTAL_SMTP_URL="smtp://127.0.0.1:${line##*:}" PORTAL_SMTP_FROM="The Daily Meridian <news@meridian.example>"
  echo "newsletter mail goes to data/mail/ ($PORTAL_SMTP_URL)"
fi
cargo leptos watch --split "$@"
