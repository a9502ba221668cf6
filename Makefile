# One command does what CI does: `make test` (lint, types, tests).
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint types bench install clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP) $@

install: $(STAMP)

## make run: load the bundled registry into the embedded SQLite database, show it, and serve
## the observatory at http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/hrh-lessons db upgrade
	$(BIN)/hrh-lessons import --bundled
	$(BIN)/hrh-lessons summary
	$(BIN)/hrh-lessons search "rural retention" --limit 5
	$(BIN)/hrh-lessons serve --host 127.0.0.1 --port 8000

lint: $(TEST_STAMP)
	$(BIN)/ruff check src tests benchmarks

types: $(TEST_STAMP)
	$(BIN)/mypy

## make test: lint, types and the whole suite (SQLite and PostgreSQL).
test: lint types
	$(BIN)/pytest -n 2 -q

bench: $(TEST_STAMP)
	$(BIN)/pip install --quiet -e '.[test,bench]'
	for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info .pytest_cache .mypy_cache .ruff_cache
