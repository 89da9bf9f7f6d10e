#!/usr/bin/env bash
# A throwaway Redis server on loopback for the test suite and `make bench-load`.
# Installs Debian's redis-server if it is missing. Usage: redis.sh start|stop|url
set -euo pipefail
PORT=${PORTAL_REDIS_PORT:-63799}
DIR=${PORTAL_REDIS_DIR:-/tmp/portail-citoyen-redis-$PORT}
URL="redis://127.0.0.1:$PORT/0"

start() {
  if ! command -v redis-server >/dev/null; then
    echo "Installing Redis from Debian's packages…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  if redis-cli -p "$PORT" ping >/dev/null 2>&1; then echo "Redis already running on $PORT"; return; fi
  mkdir -p "$DIR"
  # No persistence: a cache and rate-limit counters, nothing to keep.
  redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --save "" --appendonly no \
    --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
  for _ in $(seq 1 50); do
    if redis-cli -p "$PORT" ping >/dev/null 2>&1; then
      echo "Redis $(redis-server --version | awk '{print $3}' | cut -d= -f2) listening on 127.0.0.1:$PORT"
      return
    fi
    sleep 0.1
  done
  echo "Redis did not start; see $DIR/redis.log" >&2
  exit 1
}

stop() {
  redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
