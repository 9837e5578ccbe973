# Two commands do everything on a fresh machine:
#   make run   - virtualenv, install, migrate, load the dataset, serve on http://127.0.0.1:8000
#   make test  - install what the tests need, then run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install db run test test-tools lint format bench bench-api load screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_dataset

run: db
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Test-only tools: Debian's Chromium for the browser tests (never `playwright install`), Java for
# the Nu Html Checker, and axe-core and vnu.jar from npm.
test-tools: node_modules/.installed
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)
	@command -v java >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# In parallel, one worker a core (pytest-xdist), handed at most 4 tests at a time so that no
# worker sits idle while another holds a queue of slow browser tests. One file: .venv/bin/pytest tests/test_views.py;
# the browser tests alone: .venv/bin/pytest -m browser.
test: install test-tools
	$(BIN)/pytest -n auto --maxschedchunk 4

# Figures, not assertions: synthetic datasets at 1x, 10x and 100x; writes docs/benchmarks.md.
# On PostgreSQL: make bench BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench
# (a database of its own, which it empties) BENCH_OUT=docs/benchmarks-postgresql.md
BENCH_OUT ?= docs/benchmarks.md
export BENCH_DATABASE_URL
bench: install
	$(BIN)/python bench/run.py --out $(BENCH_OUT)
	$(BIN)/python bench/suggestions.py docs/suggestions.md

# The read API against Datasette's JSON of the same table, side by side: docs/api-vs-datasette.md.
bench-api: install
	bench/api_vs_datasette.sh

# gunicorn on 127.0.0.1 under wrk for 30 s at 50 connections; fails on any error or change.
load: install
	bench/load.sh

# The home, an issue and a source page at 1366x900 and 390x844, into docs/screenshots/.
screenshots: install test-tools
	$(BIN)/python bench/screenshots.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache node_modules test-artifacts
