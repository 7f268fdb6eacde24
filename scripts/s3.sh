#!/usr/bin/env bash
# A throwaway S3-compatible server for the tests (s3s-fs from crates.io: the S3 protocol over a
# folder), on a free loopback port, with the bucket `portal-media` and fixed test keys.
# Installs s3s-fs if it is missing (scripts/setup.sh --services; the version is named there).
#   scripts/s3.sh start   starts it (fresh) and prints its endpoint
#   scripts/s3.sh stop    stops it and removes its data
# Keys: access `portal-test`, secret `portal-test-secret` (loopback only, throwaway data).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="$PWD/target/s3"
S3S_FS_VERSION=0.14.1

stop() {
  if [ -f "$DIR/pid" ]; then kill "$(cat "$DIR/pid")" 2>/dev/null || true; fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) ;;
  stop) stop; exit 0 ;;
  *) echo "usage: scripts/s3.sh start|stop" >&2; exit 2 ;;
esac

if ! s3s-fs --version 2>/dev/null | grep -q "$S3S_FS_VERSION"; then
  scripts/setup.sh --services >&2
fi

stop
mkdir -p "$DIR/data/portal-media"
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
nohup s3s-fs --host 127.0.0.1 --port "$PORT" --access-key portal-test --secret-key portal-test-secret \
  "$DIR/data" >"$DIR/server.log" 2>&1 &
echo $! >"$DIR/pid"
for _ in $(seq 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
    echo "http://127.0.0.1:$PORT"
    exit 0
  fi
  sleep 0.1
done
cat "$DIR/server.log" >&2
echo "s3s-fs did not start" >&2
exit 1
