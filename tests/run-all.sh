#!/usr/bin/env bash
# Everything `make test` (and CI) runs, in order: fast checks first, real services after.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=portal.settings.test
mkdir -p tmp

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== templates (djhtml)"
find portal home knowledge search forms -path '*/templates/*' -name '*.html' -print0 | xargs -0 .venv/bin/djhtml --check
echo "== JavaScript (eslint)"
[ -x node_modules/.bin/eslint ] || npm ci --no-audit --no-fund --silent
node_modules/.bin/eslint .

echo "== Django checks"
$PY manage.py check
$PY manage.py makemigrations --check --dry-run

echo "== services"
bash tests/services/chromium.sh
bash tests/services/postgres.sh start
trap 'bash tests/services/postgres.sh stop' EXIT
bash tests/services/redis.sh start
trap 'bash tests/services/redis.sh stop; bash tests/services/postgres.sh stop' EXIT
bash tests/services/opensearch.sh start
trap 'bash tests/services/opensearch.sh stop; bash tests/services/redis.sh stop; bash tests/services/postgres.sh stop' EXIT
# The cluster tests use this node; the rest of the suite stays on the database engine (no SEARCH_URL).
export PORTAL_OPENSEARCH_URL=$(bash tests/services/opensearch.sh url)
unset SEARCH_URL
# The multi-worker tests serve the portal on gunicorn against this Redis; the rest keeps the in-process cache.
export PORTAL_REDIS_URL=$(bash tests/services/redis.sh url)
unset REDIS_URL

echo "== pytest on SQLite (with the real browser)"
.venv/bin/pytest -p no:cacheprovider -m "not postgres"

echo "== pytest on PostgreSQL"
DATABASE_URL=$(bash tests/services/postgres.sh url) .venv/bin/pytest -p no:cacheprovider -m "not e2e and not opensearch and not multiworker"
