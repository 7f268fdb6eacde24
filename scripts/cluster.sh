#!/usr/bin/env bash
# The cluster test: two portal servers (the release build) on one PostgreSQL database and one
# S3 media store, behind nginx round-robin, and the Playwright tests (end2end/cluster/) that
# prove readers and editors see one site whichever server answers, and that losing a server
# loses nothing. Run by scripts/test.sh after the end-to-end tests (the release is scripts/build.sh's,
# or the one PORTAL_BUILD_DIR names, as for scripts/e2e.sh).
# Needs PORTAL_TEST_POSTGRES_URL and PORTAL_TEST_S3_ENDPOINT (scripts/postgres.sh, scripts/s3.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
: "${PORTAL_TEST_POSTGRES_URL:?start scripts/postgres.sh first}"
: "${PORTAL_TEST_S3_ENDPOINT:?start scripts/s3.sh first}"
DIR="$PWD/target/cluster"
BUILD="$PWD/${PORTAL_BUILD_DIR:-target/release}"

command -v nginx >/dev/null || scripts/setup.sh --services >&2

PORT_A=$(free_port); PORT_B=$(free_port); PORT_LB=$(free_port)
rm -rf "$DIR"; mkdir -p "$DIR"
# nginx's workers run as an unprivileged user when started as root: their folder must be one
# they can enter and write, wherever this checkout is.
NGINX="$(mktemp -d)"; chmod 755 "$NGINX"; mkdir -p "$NGINX/logs" "$NGINX/tmp"; chmod 777 "$NGINX/tmp"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$NGINX"
}
trap cleanup EXIT

NAME="cluster_$$"
psql "$PORTAL_TEST_POSTGRES_URL" -qc "CREATE DATABASE $NAME" >/dev/null
export PORTAL_DATABASE_URL="${PORTAL_TEST_POSTGRES_URL%/*}/$NAME"
export PORTAL_MEDIA_STORE="s3://portal-media/$NAME"
export PORTAL_S3_ENDPOINT="$PORTAL_TEST_S3_ENDPOINT"
export PORTAL_S3_ACCESS_KEY_ID=portal-test PORTAL_S3_SECRET_ACCESS_KEY=portal-test-secret
export PORTAL_PUBLIC_URL="http://127.0.0.1:$PORT_LB"
export PORTAL_TRUSTED_PROXIES=127.0.0.1
export PORTAL_TIMEZONE=UTC
export RUST_LOG="${RUST_LOG:-warn}"
release_env

# The demo content and accounts, written once into the shared database and store.
PORTAL_DATA_DIR="$DIR/seed" "$BUILD/portal-demo" seed >/dev/null

start_server() { # name port
  mkdir -p "$DIR/$1"
  (cd "$BUILD" && PORTAL_DATA_DIR="$DIR/$1" LEPTOS_SITE_ADDR="127.0.0.1:$2" \
    exec ./portal >"$DIR/$1/server.log" 2>&1) &
  echo $!
}
PID_A=$(start_server a "$PORT_A"); pids+=("$PID_A")
PID_B=$(start_server b "$PORT_B"); pids+=("$PID_B")
for port in "$PORT_A" "$PORT_B"; do
  ready "http://127.0.0.1:$port/readyz" || { cat "$DIR"/*/server.log >&2; exit 1; }
done

cat >"$NGINX/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $NGINX/nginx.pid;
error_log $NGINX/logs/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $NGINX/tmp;
    proxy_temp_path $NGINX/tmp;
    fastcgi_temp_path $NGINX/tmp;
    uwsgi_temp_path $NGINX/tmp;
    scgi_temp_path $NGINX/tmp;
    client_max_body_size 12m;
    upstream portal {
        server 127.0.0.1:$PORT_A max_fails=1 fail_timeout=5s;
        server 127.0.0.1:$PORT_B max_fails=1 fail_timeout=5s;
        keepalive 16;
    }
    server {
        listen 127.0.0.1:$PORT_LB;
        location / {
            proxy_pass http://portal;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            # A server that is down: the request goes to the other (never a request that
            # may have reached the first).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
            add_header X-Upstream \$upstream_addr always;
        }
    }
}
CONF
nginx -c "$NGINX/nginx.conf" -p "$NGINX" &
pids+=("$!")
ready "http://127.0.0.1:$PORT_LB/healthz" || { cat "$NGINX/logs/error.log" >&2; exit 1; }

cd end2end
CLUSTER_URL="http://127.0.0.1:$PORT_LB" SERVER_A="http://127.0.0.1:$PORT_A" \
  SERVER_B="http://127.0.0.1:$PORT_B" SERVER_A_PID="$PID_A" \
  npx playwright test --config cluster.config.ts
