#!/usr/bin/env bash
# Every test: formatting, lints (server and browser builds), Rust unit/database/router tests,
# and the end-to-end tests in Chromium against the release build. Installs what is missing first.
# Prints a table of its steps with their seconds at the end, passed or failed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/steps.sh
services=""
finish() {
  local status=$?
  if [ -n "$services" ]; then scripts/postgres.sh stop; scripts/s3.sh stop; fi
  (exit "$status")
  steps_table
}
trap finish EXIT

step "install what is missing (scripts/setup.sh --browser)" scripts/setup.sh --browser
source scripts/env.sh
# A one-off build gains nothing from incremental caches, and they cost gigabytes of disk.
export CARGO_INCREMENTAL=0

step "cargo fmt --check" cargo fmt --all -- --check

step "clippy (ssr, with the tests and the demo tool)" \
  cargo clippy --features ssr --all-targets -- -D warnings
step "clippy (ssr, the production server alone)" cargo clippy --features ssr -- -D warnings
step "clippy (the reader's WASM, wasm32)" \
  cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings
step "clippy (the newsroom's WASM, wasm32)" \
  cargo clippy --lib --features newsroom-bundle --target wasm32-unknown-unknown -- -D warnings

services=yes
step_begin "a throwaway PostgreSQL server (the database tests run on it as well as on SQLite)"
PORTAL_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
export PORTAL_TEST_POSTGRES_URL
step_end
step_begin "a throwaway S3 server (s3s-fs: the media store of several servers)"
PORTAL_TEST_S3_ENDPOINT=$(scripts/s3.sh start)
export PORTAL_TEST_S3_ENDPOINT
step_end

step "Rust tests (unit, database on SQLite and PostgreSQL, router)" cargo test --features ssr

step "the router, newsroom and hostile-input suites again, on PostgreSQL" \
  env PORTAL_TEST_BACKEND=postgres cargo test --features ssr \
  --test router --test newsroom --test discovery --test hostile --test wordpress

step "the release build: the server, the reader's and the newsroom's WASM (scripts/build.sh)" \
  scripts/build.sh

# The demo tool that fills the database was built by `cargo test` above.
step "end-to-end tests in Chromium, on a fresh demo database (scripts/e2e.sh)" scripts/e2e.sh

step "cluster test: two servers on PostgreSQL and S3 behind nginx, in Chromium" scripts/cluster.sh
