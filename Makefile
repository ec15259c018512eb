# The two commands a newcomer needs:  make run   and   make test
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint audit wheel-check format e2e system-deps clean

$(BIN)/sinmun: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(BIN)/sinmun

## run: install into .venv and serve the demo paper (SQLite in ./data) at http://HOST:PORT/
run: $(BIN)/sinmun
	$(BIN)/sinmun serve --host $(HOST) --port $(PORT)

## system-deps: Debian packages the tests need (headless Chromium, Korean fonts, Java, Node)
## and the npm packages of the audit suite (axe-core, vnu-jar; package-lock.json)
system-deps:
	sh scripts/install-system-deps.sh
	sh scripts/install-node-deps.sh

## lint: ruff, the import floors (import-linter, docs/decisions/0004-layers.md), Django's checks
## and the migrations check
lint: $(BIN)/sinmun
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=sinmun.settings.test $(BIN)/sinmun check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=sinmun.settings.test $(BIN)/sinmun makemigrations --check --dry-run

## audit: known vulnerabilities in the installed packages (pip-audit) and bandit over
## sinmun/; says plainly when PyPI's advisory data cannot be reached (scripts/audit.py)
audit: $(BIN)/sinmun
	$(BIN)/python scripts/audit.py

## wheel-check: build the wheel, check it carries every template and static file, install
## it apart from the source and serve pages from it (scripts/wheel_check.py, ~30 s)
wheel-check: $(BIN)/sinmun
	$(BIN)/python scripts/wheel_check.py

format: $(BIN)/sinmun
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## test: everything CI runs: system packages, lint, the installed wheel, the test suite
test: system-deps $(BIN)/sinmun lint audit wheel-check
	$(BIN)/pytest

e2e: system-deps $(BIN)/sinmun
	$(BIN)/pytest -m e2e

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .ruff_cache
