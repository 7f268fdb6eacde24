#!/usr/bin/env bash
# The release build, what production runs: the server (target/release/portal with its hash.txt)
# and the site (target/site). The site has two WASM bundles: the reader's (islands only, no
# newsroom in it) in pkg/, and the newsroom's own in pkg/newsroom/. Extra arguments go to the
# first `cargo leptos build`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# 1. The server and the reader's bundle. (cargo-leptos empties target/site first.)
cargo leptos build --release --precompress --lib-features hydrate "$@"

# 2. The newsroom's bundle, with its routes split into chunks loaded with them. Its own target
#    directory (the two feature sets would otherwise relink each other's WASM on every build)
#    and its own site root (cargo-leptos empties the site root it builds into); then moved into
#    the site, its content hashes beside it (components::loader::NewsroomScripts reads them).
NEWSROOM="$PWD/target/newsroom"
CARGO_TARGET_DIR="$NEWSROOM" LEPTOS_SITE_ROOT="$NEWSROOM/site" LEPTOS_SITE_PKG_DIR=pkg/newsroom \
  LEPTOS_OUTPUT_NAME=newsroom LEPTOS_HASH_FILE_NAME=newsroom-hash.txt \
  cargo leptos build --release --precompress --split --frontend-only --lib-features newsroom-bundle
rm -rf target/site/pkg/newsroom
cp -r "$NEWSROOM/site/pkg/newsroom" target/site/pkg/newsroom
# The newsroom's pages use the site's stylesheet.
rm -f target/site/pkg/newsroom/newsroom.*css*
cp "$(find "$NEWSROOM" -maxdepth 2 -name newsroom-hash.txt | head -1)" target/site/pkg/newsroom/hash.txt
echo "built: target/release/portal, target/site (reader bundle in pkg/, newsroom bundle in pkg/newsroom/)"
