# section307: `make run` sets up and serves the demo; `make test` sets up and runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
STATIC_VENDOR := src/section307/static/vendor
PYTEST_ARGS ?=
PG_TEST_URL ?=

.PHONY: help setup setup-dev assets run demo test test-sqlite test-postgres lint format check-deploy bench messages clean

help:
	@echo "make run    - set up, load the demo world and serve http://$(HOST):$(PORT)"
	@echo "make test   - set up and run the whole test suite (SQLite, and PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - run the screening benchmark"
	@echo "make messages - extract marked strings into the es/fr/zh_Hans catalogs, compile them, list what needs translating"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list or the C source of the screening engine changes (the
# install compiles src/section307/screening/_counting.c in place; docs/adr/0030).
$(VENV)/.installed: pyproject.toml src/section307/screening/_counting.c | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[dev,spark]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed for the front-end assets (USWDS, htmx): install Node.js 18+"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STATIC_VENDOR)/.copied: node_modules/.installed
	rm -rf $(STATIC_VENDOR)
	mkdir -p $(STATIC_VENDOR)/uswds $(STATIC_VENDOR)/htmx
	cp -R node_modules/@uswds/uswds/dist/css node_modules/@uswds/uswds/dist/js \
	      node_modules/@uswds/uswds/dist/img node_modules/@uswds/uswds/dist/fonts $(STATIC_VENDOR)/uswds/
	cp node_modules/htmx.org/dist/htmx.min.js $(STATIC_VENDOR)/htmx/
	mkdir -p $(STATIC_VENDOR)/chartjs $(STATIC_VENDOR)/cytoscape
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/LICENSE.md $(STATIC_VENDOR)/chartjs/
	cp node_modules/cytoscape/dist/cytoscape.min.js node_modules/dagre/dist/dagre.min.js \
	   node_modules/cytoscape-dagre/cytoscape-dagre.js $(STATIC_VENDOR)/cytoscape/
	@touch $@

assets: $(STATIC_VENDOR)/.copied

setup: $(VENV)/.installed assets
	$(BIN)/section307 migrate --no-input

setup-dev: $(VENV)/.installed-dev assets
	@bash scripts/ensure-chromium.sh
	@bash scripts/ensure-gettext.sh

demo: setup
	$(BIN)/section307 demo --address $(HOST):$(PORT)

run: demo
	$(BIN)/section307 runserver $(HOST):$(PORT)

test: setup-dev
	$(BIN)/ruff check --output-format concise src tests bench
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "DATABASE_URL not set: PostgreSQL run skipped"; fi

test-sqlite:
	env -u DATABASE_URL $(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# The browser and Spark tests do not depend on the database engine; run the rest again on PostgreSQL.
test-postgres:
	$(BIN)/python -m pytest -n 2 -m "not browser and not spark" $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check --output-format concise src tests bench
	$(BIN)/mypy src

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

check-deploy: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=section307.config.production \
	SECTION307_SECRET_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))') \
	SECTION307_ALLOWED_HOSTS=section307.example.gov \
	SECTION307_ENCRYPTION_KEYS=$$($(BIN)/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	SECTION307_RECEIPT_KEY=$$(python3 -c 'import secrets; print(secrets.token_urlsafe(48))') \
	$(BIN)/section307 check --deploy --fail-level WARNING

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/screening_bench.py

# Translations: extract every marked string (templates and Python) into the catalogs, drop strings no
# longer used, compile the .mo files (committed with the .po files), then list entries still to translate.
LANGS := es fr zh_Hans
messages: $(VENV)/.installed
	@bash scripts/ensure-gettext.sh
	cd src/section307 && DJANGO_SETTINGS_MODULE=section307.config.settings ../../$(BIN)/python -m django \
	  makemessages $(addprefix -l ,$(LANGS)) --no-obsolete --ignore='static/vendor/*'
	cd src/section307 && DJANGO_SETTINGS_MODULE=section307.config.settings ../../$(BIN)/python -m django \
	  compilemessages $(addprefix -l ,$(LANGS)) --ignore='static/vendor/*'
	-$(BIN)/python scripts/messages_todo.py

clean:
	rm -rf $(VENV) node_modules $(STATIC_VENDOR) var .pytest_cache .mypy_cache .ruff_cache build
	find src -name '*.so' -delete
