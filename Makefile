# rightsdesk: `make demo` and `make test` do all the set-up on a fresh machine (Python 3.11).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test test-fast test-postgres serve lock clean help

help:
	@echo "make demo   set up and serve the demo site on 127.0.0.1:$(PORT) (PORT=8123 for another)"
	@echo "make test   run the whole test suite, browser tests included"
	@echo "make lock   re-resolve requirements*.lock from pyproject.toml"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "rightsdesk needs Python 3.11; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)

# Runtime dependencies, pinned with hashes; the project itself installed editable without deps.
$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@ $(VENV)/.runtime

demo: $(VENV)/.runtime
	$(BIN)/rightsdesk demo --port $(PORT)

serve: $(VENV)/.runtime
	$(BIN)/rightsdesk serve --port $(PORT)

# The whole suite: installs Debian's chromium for the browser tests and nginx for the deploy/
# configuration tests when they are missing.
test: $(VENV)/.dev
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-nginx.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

# The suite against a real PostgreSQL 15 (installed and started on 127.0.0.1 when none runs).
test-postgres: $(VENV)/.dev
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-nginx.sh
	source <(bash scripts/ensure-postgres.sh) && $(BIN)/python -m pytest $(PYTEST_ARGS)

lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 --generate-hashes -q
	$(BIN)/uv pip compile pyproject.toml --extra test -o requirements-dev.lock --python-version 3.11 --generate-hashes -q

clean:
	rm -rf $(VENV) var/cache var/static .pytest_cache
