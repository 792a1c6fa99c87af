# The two commands of the README. Both work on a fresh machine with Python 3.11+ and nothing else.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run dev worker test install install-test lint demo clean

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

# make run uses production settings on the loopback: DEBUG off, static files collected and served by
# WhiteNoise, plain HTTP allowed, and a signing key generated once into var/secret_key (unless
# SECRET_KEY is set). Serving another address needs ALLOWED_HOSTS=its-name.
ALLOWED_HOSTS ?= 127.0.0.1,localhost
RUN_ENV = DEBUG=0 PEIYU_INSECURE_HTTP=1 ALLOWED_HOSTS="$(ALLOWED_HOSTS)" SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}"

var/secret_key: | $(BIN)/python
	mkdir -p var
	umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

## run: set up, migrate, load the demo district when the database is empty, and serve on $(HOST) with DEBUG off
## and a job worker beside the web server; Ctrl-C stops both.
run: install var/secret_key
	$(RUN_ENV) $(BIN)/peiyu migrate --no-input
	$(RUN_ENV) $(BIN)/peiyu collectstatic --no-input -v 0
	$(RUN_ENV) $(BIN)/peiyu demo --if-empty
	$(RUN_ENV) $(BIN)/peiyu worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/peiyu runserver $(HOST)

## dev: the same with DEBUG on (tracebacks, templates and static files reloaded as they change)
dev: install
	DEBUG=1 $(BIN)/peiyu migrate --no-input
	DEBUG=1 $(BIN)/peiyu demo --if-empty
	DEBUG=1 $(BIN)/peiyu worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=1 $(BIN)/peiyu runserver $(HOST)

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
