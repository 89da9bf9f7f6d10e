# Portail citoyen — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test test-fast lint format messages bench-search bench-requests bench-dashboard bench-addresses chartjs leaflet bench-load clean

help: ## Show this help
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-16s\033[0m %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.lock pyproject.toml
	@command -v python3.11 >/dev/null || { echo "Python 3.11 is required"; exit 1; }
	python3.11 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned dependencies

run: install ## Migrate, load the demo content, create a demo admin and serve http://127.0.0.1:8000 (SQLite; SEARCH=opensearch: on a local OpenSearch node)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py setup_portal --demo --hostname $(HOST) --port $(PORT)
	$(PY) manage.py follow_up
	$(PY) manage.py dashboard_demo
ifeq ($(SEARCH),opensearch)
	bash tests/services/opensearch.sh start
	trap 'bash tests/services/opensearch.sh stop' EXIT; \
	export SEARCH_URL=$$(bash tests/services/opensearch.sh url); \
	$(PY) manage.py rebuild_search_index --engine cluster && $(PY) manage.py runserver $(HOST):$(PORT)
else
	$(PY) manage.py runserver $(HOST):$(PORT)
endif

test: install ## Lint, checks and the whole test suite on SQLite and PostgreSQL, with a real browser
	bash tests/run-all.sh

TEMPLATES = $(shell find portal home knowledge search forms -path '*/templates/*' -name '*.html')

test-fast: lint ## Lint and the tests that need no service (SQLite, no browser, PostgreSQL, Redis or OpenSearch), on 2 processes
	PORTAL_TEST_FAST=1 DJANGO_SETTINGS_MODULE=portal.settings.test $(VENV)/bin/pytest -p no:cacheprovider -q -n 2 \
		-m "not e2e and not postgres and not opensearch and not multiworker"

lint: install ## ruff (Python lint + format check), djhtml (templates' indentation), eslint (JavaScript)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check $(TEMPLATES)
	@[ -x node_modules/.bin/eslint ] || npm ci --no-audit --no-fund --silent
	node_modules/.bin/eslint .

format: install ## Reformat the code with ruff and the templates with djhtml
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml $(TEMPLATES)

messages: install ## Update and compile the French and English catalogues of every app
	for app in portal home knowledge search forms; do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l fr -l en --no-obsolete >/dev/null && \
			{ [ ! -d static ] || ../$(PY) ../manage.py makemessages -d djangojs -l fr -l en --no-obsolete --ignore 'static/requests/dashboard/chart.umd.min.js' --ignore 'static/requests/map/vendor/*' >/dev/null; } && \
			../$(PY) ../manage.py compilemessages >/dev/null); \
	done

bench-search: install ## Search latency p50/p95 at 1,000 and 10,000 answers: database and OpenSearch engines vs stock Wagtail, on SQLite and PostgreSQL
	mkdir -p tmp && rm -f tmp/bench-search.json
	bash tests/services/opensearch.sh start
	bash tests/services/postgres.sh start
	trap 'bash tests/services/opensearch.sh stop' EXIT; \
	CLUSTER=$$(bash tests/services/opensearch.sh url); \
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py search_bench --sizes 1000 10000 --cluster $$CLUSTER --output tmp/bench-search.json && \
	DJANGO_SETTINGS_MODULE=portal.settings.test DATABASE_URL=postgres://postgres@127.0.0.1:54329/portal_bench_search $(PY) manage.py search_bench --sizes 1000 10000 --cluster $$CLUSTER --output tmp/bench-search.json
	@echo; $(PY) manage.py search_bench --report tmp/bench-search.json

bench-requests: install ## 1,000 request submissions from 50 concurrent clients against a served portal on PostgreSQL
	bash tests/services/postgres.sh start
	$(PY) manage.py bench_requests --database-url postgres://postgres@127.0.0.1:54329/portal_bench_requests --submissions 1000 --clients 50

bench-dashboard: install ## Staff dashboard page time at 100,000 requests and 1,000,000 searches on PostgreSQL, vs a bare Django view
	bash tests/services/postgres.sh start
	$(PY) manage.py bench_dashboard --database-url postgres://postgres@127.0.0.1:54329/portal_bench_dashboard

bench-addresses: install ## Address registry: import 100,000 addresses (twice) and the nearby query p50/p95 at 200,000 requests vs a bare query, on PostgreSQL and SQLite
	bash tests/services/postgres.sh start
	$(PY) manage.py bench_addresses --database-url postgres://postgres@127.0.0.1:54329/portal_bench_addresses
	mkdir -p tmp && $(PY) manage.py bench_addresses --database-url sqlite:///$(CURDIR)/tmp/bench-addresses.sqlite3

chartjs: ## Refresh the served Chart.js (forms/static/requests/dashboard/chart.umd.min.js) from package-lock.json's version
	npm ci --no-audit --no-fund --silent
	sed '/^\/\/# sourceMappingURL=/d' node_modules/chart.js/dist/chart.umd.min.js > forms/static/requests/dashboard/chart.umd.min.js

LEAFLET_DIR := forms/static/requests/map/vendor
leaflet: ## Refresh the served Leaflet and Leaflet.markercluster ($(LEAFLET_DIR)/) from package-lock.json's versions
	npm ci --no-audit --no-fund --silent
	rm -rf $(LEAFLET_DIR) && mkdir -p $(LEAFLET_DIR)/images
	sed '/^\/\/# sourceMappingURL=/d' node_modules/leaflet/dist/leaflet.js > $(LEAFLET_DIR)/leaflet.js
	install -m 644 node_modules/leaflet/dist/leaflet.css $(LEAFLET_DIR)/leaflet.css
	install -m 644 node_modules/leaflet/dist/images/*.png $(LEAFLET_DIR)/images/
	install -m 644 node_modules/leaflet/LICENSE $(LEAFLET_DIR)/LICENSE-leaflet.txt
	sed '/^\/\/# sourceMappingURL=/d' node_modules/leaflet.markercluster/dist/leaflet.markercluster.js > $(LEAFLET_DIR)/leaflet.markercluster.js
	install -m 644 node_modules/leaflet.markercluster/dist/MarkerCluster.css node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css $(LEAFLET_DIR)/
	install -m 644 node_modules/leaflet.markercluster/MIT-LICENCE.txt $(LEAFLET_DIR)/LICENSE-leaflet.markercluster.txt

bench-load: install ## Load test (wrk): the portal on gunicorn with production settings vs a bare Django view of the same size; PASS/GAP per target
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	bash tests/services/postgres.sh start
	bash tests/services/redis.sh start
	mkdir -p tmp
	trap 'for pid in tmp/bench-load-portal.pid tmp/bench-load-bare.pid; do [ -f $$pid ] && kill $$(cat $$pid) 2>/dev/null; rm -f $$pid; done' EXIT; \
	$(PY) manage.py bench_load --database-url postgres://postgres@127.0.0.1:54329/portal_bench_load \
		--redis-url $$(bash tests/services/redis.sh url) --output tmp/bench-load.json

clean: ## Remove the virtual environment, the SQLite database and test output
	rm -rf $(VENV) db.sqlite3 tmp node_modules staticfiles
