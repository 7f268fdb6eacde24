#!/usr/bin/env bash
# A throwaway PostgreSQL 15 server for the tests and the benchmark: its own cluster in
# target/postgres, or /tmp/portal-postgres-* as root (initdb + pg_ctl), on a free loopback port, trust authentication on loopback,
# no fsync (nothing in it outlives the run). Installs Debian's postgresql if it is missing.
#   scripts/postgres.sh start   starts it (again, fresh) and prints its maintenance URL
#   scripts/postgres.sh stop    stops it and removes the cluster
# As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail
cd "$(dirname "$0")/.."
# As root the server runs as `postgres`, which may not be able to enter this checkout (a clone
# in a private temporary folder): its cluster then lives in a folder of its own under /tmp,
# one per checkout.
if [ "$(id -u)" = 0 ]; then
  DIR="/tmp/portal-postgres-$(printf %s "$PWD" | md5sum | cut -c1-12)"
else
  DIR="$PWD/target/postgres"
fi
PGBIN=/usr/lib/postgresql/15/bin

as_owner() {
  if [ "$(id -u)" = 0 ]; then (cd /tmp && runuser -u postgres -- "$@"); else "$@"; fi
}

stop() {
  if [ -f "$DIR/data/postmaster.pid" ]; then
    as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) ;;
  stop) stop; exit 0 ;;
  *) echo "usage: scripts/postgres.sh start|stop" >&2; exit 2 ;;
esac

if [ ! -x "$PGBIN/initdb" ]; then
  scripts/setup.sh --services >&2
fi

stop
mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; chmod 700 "$DIR"; fi
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner "$PGBIN/initdb" -D "$DIR/data" -U portal --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 1; }
cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
max_connections = 300
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 256MB
CONF
as_owner "$PGBIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 1; }
echo "postgres://portal@127.0.0.1:$PORT/postgres"
