#!/usr/bin/env bash
# Every test: formatting, lints of every build (the server, the tests and the demo tool, both WASM
# bundles), the Rust unit/database/router tests on SQLite and PostgreSQL, the end-to-end tests in
# Chromium and the cluster test. Installs what is missing first. Prints a table of its steps with
# their seconds at the end, passed or failed.
#
# One native build serves everything: `cargo test --profile ci` compiles the dependencies once
# for the tests, the demo tool and the server the end-to-end tests drive (target/ci/portal), with
# clippy as the compiler of the crate's own code, so linting costs no compilation of its own.
# The site (both WASM bundles, production profile) is built meanwhile in the background.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/steps.sh
services=""
finish() {
  local status=$?
  # Whatever fails from here on, the table is printed (errexit would end this handler at the
  # first failing command, the failed run's own status included).
  set +e
  background_stop
  if [ -n "$services" ]; then scripts/postgres.sh stop; scripts/s3.sh stop; fi
  (exit "$status")
  steps_table
}
trap finish EXIT

step "install what is missing (scripts/setup.sh --browser --services)" \
  scripts/setup.sh --browser --services
source scripts/env.sh
# A one-off build gains nothing from incremental caches, and they cost gigabytes of disk.
export CARGO_INCREMENTAL=0
LOGS=target/test-logs
mkdir -p "$LOGS"

step "cargo fmt --check" cargo fmt --all -- --check

# The site: the reader's and the newsroom's WASM exactly as production builds them.
background "the site: both WASM bundles, as production builds them" "$LOGS/site.log" \
  scripts/build.sh --site

services=yes
step_begin "a throwaway PostgreSQL server and an S3 server (s3s-fs) for the tests"
PORTAL_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
PORTAL_TEST_S3_ENDPOINT=$(scripts/s3.sh start)
export PORTAL_TEST_POSTGRES_URL PORTAL_TEST_S3_ENDPOINT
step_end

# clippy-driver compiles the crate's own targets (library, binaries, tests) and lints them as
# `cargo clippy --all-targets -- -D warnings` would; dependencies are compiled by rustc as usual.
export RUSTC_WORKSPACE_WRAPPER="$(command -v clippy-driver)"
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
CI_BUILD=(--profile ci --features ssr)

step "build and clippy: the server, the demo tool, the tests (profile ci)" \
  cargo test "${CI_BUILD[@]}" --no-run

step "Rust tests (unit, database on SQLite and PostgreSQL, router)" cargo test "${CI_BUILD[@]}"

step "the router, newsroom and hostile-input suites again, on PostgreSQL" \
  env PORTAL_TEST_BACKEND=postgres cargo test "${CI_BUILD[@]}" \
  --test router --test newsroom --test discovery --test hostile --test wordpress --test live \
  --test newsletter

background_wait
# The server built above serves the site built in the background.
cp target/release/hash.txt target/ci/hash.txt
export PORTAL_BUILD_DIR=target/ci

# Clippy on both WASM builds, while the browser tests leave the cores mostly idle. Checks of
# their own: clippy as the compiler of the bundles would change what the browser tests load.
background "clippy of both WASM builds (wasm32)" "$LOGS/clippy-wasm.log" \
  env -u RUSTC_WORKSPACE_WRAPPER -u CLIPPY_ARGS bash -c '
    cargo clippy --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings &&
    cargo clippy --lib --features newsroom-bundle --target wasm32-unknown-unknown -- -D warnings'

step "end-to-end tests in Chromium, on a fresh demo database (scripts/e2e.sh)" scripts/e2e.sh

step "cluster test: two servers on PostgreSQL and S3 behind nginx, in Chromium" scripts/cluster.sh

background_wait
