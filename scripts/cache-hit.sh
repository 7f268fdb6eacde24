#!/usr/bin/env bash
# How fast the page cache answers a hit, against nginx serving the same article's HTML as a
# static file on this machine (wrk -t2 -c32, two runs each): the figure issue 28 asks for,
# in a few minutes instead of the whole benchmark. Needs the release build (scripts/build.sh
# or `cargo build --release --features ssr --bin portal --bin portal-demo`), wrk and nginx.
# Also prints the same hit taken through the whole middleware stack (a cookie sends it there).
set -euo pipefail
cd "$(dirname "$0")/.."
B=${PORTAL_BUILD_DIR:-target/release}
SECS=${SECS:-10}
D=$(mktemp -d)
mkdir -p "$D/www" "$D/nginx/logs" "$D/nginx/tmp"
PORTAL_DATA_DIR=$D/data "$B/portal-demo" seed >/dev/null
PORTAL_DATA_DIR=$D/data LEPTOS_SITE_ADDR=127.0.0.1:3999 RUST_LOG=warn "$B/portal" >"$D/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; [ -f $D/nginx/nginx.pid ] && kill $(cat $D/nginx/nginx.pid) 2>/dev/null; rm -rf $D' EXIT
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:3999/healthz && break; sleep 0.1; done
path=$(curl -s http://127.0.0.1:3999/ | grep -o -m1 'href="/article/[^"]*"' | sed -n '1{s/href="//; s/"$//; p}')
url=http://127.0.0.1:3999$path
curl -s -o /dev/null "$url"
curl -s -o "$D/www/article.html" "$url"
cat >"$D/nginx/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $D/nginx/nginx.pid;
error_log $D/nginx/logs/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000;
    client_body_temp_path $D/nginx/tmp; proxy_temp_path $D/nginx/tmp;
    fastcgi_temp_path $D/nginx/tmp; uwsgi_temp_path $D/nginx/tmp; scgi_temp_path $D/nginx/tmp;
    sendfile on; tcp_nopush on; tcp_nodelay on; default_type text/html;
    server { listen 127.0.0.1:3998; root $D/www; }
}
NGINX
nginx -c "$D/nginx/nginx.conf" -p "$D/nginx" &
for _ in $(seq 100); do curl -sf -o /dev/null http://127.0.0.1:3998/article.html && break; sleep 0.1; done
rps() { wrk -t2 -c32 -d"${SECS}s" "$@" | awk '/Requests\/sec/ {print $2}'; }
echo "article $path, $(wc -c <"$D/www/article.html") bytes"
for run in 1 2; do
  portal=$(rps "$url")
  nginx=$(rps http://127.0.0.1:3998/article.html)
  stack=$(rps -H 'Cookie: a=1' "$url")
  echo "run $run: portal hit $portal req/s, nginx $nginx req/s ($(python3 -c "print(f'{$portal/$nginx:.2f}x')")); through the stack $stack req/s"
done
