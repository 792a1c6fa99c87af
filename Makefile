# The two commands of the README. Both work on a fresh machine with Python 3.11+ and nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run worker test install install-test lint demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## run: set up, migrate, load the demo district when the database is empty, and serve on $(HOST)
## with a job worker beside the web server; Ctrl-C stops both.
run: install
	$(BIN)/peiyu migrate --no-input
	$(BIN)/peiyu demo --if-empty
	$(BIN)/peiyu worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(BIN)/peiyu runserver $(HOST)

## worker: a job-queue worker alone (for a second terminal, or a host that only runs jobs)
worker: install
	$(BIN)/peiyu worker

## test: install what the tests need and run the whole suite
test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/peiyu makemigrations --check --dry-run

demo: install
	$(BIN)/peiyu demo --reset

clean:
	rm -rf $(VENV) var
