#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the test suite.
# Installs Debian's postgresql if it is missing. Usage: postgres.sh start|stop|url
set -euo pipefail
PORT=${PORTAL_PG_PORT:-54329}
DATA=${PORTAL_PG_DIR:-/tmp/portail-citoyen-pg-$PORT}
URL="postgres://postgres@127.0.0.1:$PORT/portal"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_owner() {
  # PostgreSQL refuses to run as root: use the `postgres` system account then.
  # Run from / : the postgres account may not be allowed into the project's folder.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

start() {
  local bin; bin=$(pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
    echo "Installing PostgreSQL from Debian's packages…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(pg_bin)
  fi
  if "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then echo "PostgreSQL already running on $PORT"; return; fi
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DATA"
    as_owner "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  as_owner "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$PORT"
}

stop() {
  local bin; bin=$(pg_bin)
  [ -n "$bin" ] && [ -f "$DATA/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null || true
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
