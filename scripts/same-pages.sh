#!/usr/bin/env bash
# Whether two builds of the server render the same pages: for refactors that must not change
# behaviour. Serves one fresh demo database (two copies) with OLD/portal and NEW/portal and
# compares the answers (status and body) of reader pages, feeds, read functions and error
# pages, byte for byte once the port and each answer's nonces are set aside.
#   scripts/same-pages.sh OLD_BUILD_DIR NEW_BUILD_DIR
# A build dir holds portal, portal-demo and hash.txt (scripts/build.sh's target/release, or
# scripts/test.sh's target/ci); the site's files come from target/site.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
OLD=$(realpath "$1"); NEW=$(realpath "$2")
DIR=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DIR"' EXIT
PORTAL_DATA_DIR="$DIR/a" "$NEW/portal-demo" seed >/dev/null
cp -r "$DIR/a" "$DIR/b"
release_env
serve() { # BUILD DATA PORT
  (cd "$1" && PORTAL_DATA_DIR="$2" PORTAL_PUBLIC_URL="http://127.0.0.1:$3" RUST_LOG=error \
    LEPTOS_SITE_ADDR="127.0.0.1:$3" exec ./portal >"$2.log" 2>&1) &
}
A=$(free_port); serve "$OLD" "$DIR/a" "$A"
B=$(free_port); serve "$NEW" "$DIR/b" "$B"
ready "http://127.0.0.1:$A/readyz" && ready "http://127.0.0.1:$B/readyz"
slug=$(curl -s "http://127.0.0.1:$A/" | grep -o 'href="/article/[^"]*"' | sed -n 1p | sed 's#href="/article/##; s#"##')
paths=(/ "/?category=tech" /category/politics /category/tech/page/2 "/article/$slug"
  "/search?q=harbour" "/search?q=market&page=2" /feed.xml /atom.xml /sitemap.xml
  /sitemaps/news.xml /robots.txt /category/world/feed.xml /category/world/atom.xml /api/home
  /api/site "/api/latest?category=world" "/api/latest?category=nope" "/api/suggest?q=har"
  "/api/article?slug=$slug" "/api/section?slug=$slug" "/api/category?slug=tech&page=1"
  "/api/category?slug=tech&page=x" "/api/search?q=city" /no/such/page /category/nope
  /article/nope "/search?q=harbour&page=99" /admin/login)
answer() { # PORT PATH: the status line and the body, the port and nonces set aside
  curl -s -D - -o "$DIR/body.$1" "http://127.0.0.1:$1$2" | sed -n 1p | tr -d '\r'
  sed -E "s/nonce=\"[^\"]*\"//g; s/crossorigin=\"[^\"]*\"//g; s/127\.0\.0\.1:$1/HOST/g; s/127\.0\.0\.1%3A$1/HOST/g" "$DIR/body.$1"
}
differ=0
for p in "${paths[@]}"; do
  if cmp -s <(answer "$A" "$p") <(answer "$B" "$p"); then
    echo "same    $p"
  else
    differ=$((differ + 1)); echo "DIFFERS $p"
    diff <(answer "$A" "$p" | fold -w 160) <(answer "$B" "$p" | fold -w 160) | head -8 || true
  fi
done
echo "${#paths[@]} answers compared, $differ differ"
[ "$differ" -eq 0 ]
