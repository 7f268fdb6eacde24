#!/usr/bin/env bash
# The end-to-end tests (end2end/tests/) in Chromium, against the release build (scripts/build.sh
# makes it) on a fresh demo database. Run by scripts/test.sh; arguments go to Playwright
# (`scripts/e2e.sh -g "search"`). The server's log is target/e2e/server.log.
# PORTAL_BUILD_DIR: where `portal`, `portal-demo` and hash.txt are (default target/release;
# scripts/test.sh uses its own build, target/ci).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
DIR="$PWD/target/e2e"
rm -rf "$DIR"; mkdir -p "$DIR"
export PORTAL_DATA_DIR="$DIR/data" RUST_LOG="${RUST_LOG:-warn}"
# The server never creates content: the demo tool fills the database first, as an operator or
# `scripts/run.sh` would.
BUILD="$PWD/${PORTAL_BUILD_DIR:-target/release}"
for f in portal portal-demo hash.txt; do
  [ -e "$BUILD/$f" ] || { echo "$BUILD/$f is missing: run scripts/build.sh first" >&2; exit 1; }
done
"$BUILD/portal-demo" seed >/dev/null

# The WordPress import tests (w-wordpress.spec.ts): the command line runs beside the server, and
# the newsroom's import takes its images from <data>/import/uploads, where an operator puts them.
export PORTAL_BIN="$BUILD/portal"
mkdir -p "$PORTAL_DATA_DIR/import"
cp -r tests/fixtures/wordpress/uploads "$PORTAL_DATA_DIR/import/uploads"
# The newsletter's mail goes to a real SMTP server on loopback, which keeps each message as a
# file in $SMTP_MAILDIR (newsletter.spec.ts reads them there).
export SMTP_MAILDIR="$DIR/mail"
/usr/bin/python3 scripts/smtp-sink.py "$SMTP_MAILDIR" >"$DIR/smtp.out" 2>"$DIR/smtp.log" &
smtp_pid=$!
for _ in $(seq 50); do grep -q listening "$DIR/smtp.out" 2>/dev/null && break; sleep 0.1; done
SMTP_PORT=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$DIR/smtp.out")
[ -n "$SMTP_PORT" ] || { cat "$DIR/smtp.log" >&2; echo "the SMTP sink did not start (python3-aiosmtpd?)" >&2; exit 1; }
export PORTAL_SMTP_URL="smtp://127.0.0.1:$SMTP_PORT" PORTAL_SMTP_FROM="The Daily Meridian <news@meridian.example>"
PORT=$(free_port)
export PORTAL_PUBLIC_URL="http://127.0.0.1:$PORT"
release_env
(cd "$BUILD" && LEPTOS_SITE_ADDR="127.0.0.1:$PORT" exec ./portal >"$DIR/server.log" 2>&1) &
pid=$!
trap 'kill "$pid" "$smtp_pid" 2>/dev/null || true; wait 2>/dev/null || true' EXIT
ready "$PORTAL_PUBLIC_URL/readyz" || { cat "$DIR/server.log" >&2; exit 1; }
cd end2end
BASE_URL="$PORTAL_PUBLIC_URL" npx playwright test "$@" || {
  echo "end-to-end tests failed; the server's log (last lines) follows, all of it in $DIR/server.log" >&2
  tail -40 "$DIR/server.log" >&2
  exit 1
}
