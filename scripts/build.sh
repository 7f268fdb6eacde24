#!/usr/bin/env bash
# The release build, what production runs: the server (target/release/portal with its hash.txt)
# and the site (target/site). The site has two WASM bundles: the reader's (islands only, no
# newsroom in it) in pkg/, and the newsroom's own in pkg/newsroom/. The developer tool
# `portal-demo` (demo content, benchmark data) is built beside the server in the same cargo run;
# it is not part of what you deploy.
#   scripts/build.sh          the server, the demo tool and the site
#   scripts/build.sh --site   the site alone (scripts/test.sh builds its server with the tests)
# Other arguments go to the first `cargo leptos build`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if [ "${1:-}" = "--site" ]; then
  shift
  what=(--frontend-only)
else
  what=(--bin-cargo-args=--bin=portal-demo)
fi

# Both bundles are built with --split: the newsroom's routes are split-out chunks loaded with
# them, and the reader's bundle (which has nothing to split: 281 bytes more brotli than without)
# is built with the same compiler flags, so the two share one compilation of their
# dependencies (target/front) instead of two.

# 1. The server and the reader's bundle. (cargo-leptos empties target/site first.)
cargo leptos build --release --precompress --split --lib-features hydrate "${what[@]}" "$@"

# 2. The newsroom's bundle, into its own site root (cargo-leptos empties the site root it builds
#    into), then moved into the site with its content hashes beside it
#    (components::loader::NewsroomScripts reads them).
NEWSROOM="$PWD/target/newsroom"
LEPTOS_SITE_ROOT="$NEWSROOM/site" LEPTOS_SITE_PKG_DIR=pkg/newsroom \
  LEPTOS_OUTPUT_NAME=newsroom LEPTOS_HASH_FILE_NAME=newsroom-hash.txt \
  cargo leptos build --release --precompress --split --frontend-only --lib-features newsroom-bundle
rm -rf target/site/pkg/newsroom
cp -r "$NEWSROOM/site/pkg/newsroom" target/site/pkg/newsroom
# The newsroom's pages use the site's stylesheet.
rm -f target/site/pkg/newsroom/newsroom.*css*
mv target/release/newsroom-hash.txt target/site/pkg/newsroom/hash.txt
if [ "${what[0]}" = --frontend-only ]; then
  echo "built: target/site (reader bundle in pkg/, newsroom bundle in pkg/newsroom/), its hashes in target/release/hash.txt"
else
  echo "built: target/release/portal (+ hash.txt), target/release/portal-demo, target/site (reader bundle in pkg/, newsroom bundle in pkg/newsroom/)"
fi
