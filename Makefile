# rightsdesk: `make demo` and `make test` do all the set-up on a fresh machine (Python 3.11).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test test-fast test-postgres test-redis lint-imports serve worker lock outdated messages clean help replay

help:
	@echo "make demo   set up and serve the demo site on 127.0.0.1:$(PORT) (PORT=8123 for another)"
	@echo "make test   run the whole test suite, browser tests included"
	@echo "make outdated  list the pinned packages that have newer releases (changes nothing)"
	@echo "make lock   add what pyproject.toml gained to the locks, keeping every pin (UPGRADE=1: newest of all)"
	@echo "make messages  extract the interface strings into rightsdesk/locale/*/django.po and compile the .mo"

# Dependencies: exactly the pinned, hash-checked files of the lock, never resolved again
# (scripts/install-lock.sh says how and why).
$(VENV)/.runtime: requirements.lock pyproject.toml scripts/install-lock.sh
	PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/install-lock.sh requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml scripts/install-lock.sh
	PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/install-lock.sh requirements-dev.lock
	@touch $@ $(VENV)/.runtime

# ReplayWeb.page for the capture page's replay: installed from the npm registry with the committed
# package-lock.json and served by the application (never from a CDN).
REPLAY := rightsdesk/evidence/replay
$(REPLAY)/node_modules/.installed: $(REPLAY)/package.json $(REPLAY)/package-lock.json
	bash scripts/ensure-trust-tools.sh
	cd $(REPLAY) && npm ci --ignore-scripts --no-audit --no-fund
	@touch $@

replay: $(REPLAY)/node_modules/.installed

demo: $(VENV)/.runtime replay
	$(BIN)/rightsdesk demo --port $(PORT)

serve: $(VENV)/.runtime replay
	$(BIN)/rightsdesk serve --port $(PORT)

# The background worker on its own (serve and demo start one beside the server).
worker: $(VENV)/.runtime
	$(BIN)/rightsdesk worker

# The whole suite: installs Debian's chromium for the browser tests and nginx for the deploy/
# configuration tests when they are missing.
test: $(VENV)/.dev replay
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-trust-tools.sh
	bash scripts/ensure-nginx.sh
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.dev replay
	bash scripts/ensure-trust-tools.sh
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

# The layers' import contract (pyproject.toml, [tool.importlinter]) on its own.
lint-imports: $(VENV)/.dev
	$(BIN)/lint-imports

# The suite against a real PostgreSQL 15 (installed and started on 127.0.0.1 when none runs).
test-postgres: $(VENV)/.dev replay
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-trust-tools.sh
	bash scripts/ensure-nginx.sh
	source <(bash scripts/ensure-postgres.sh) && $(BIN)/python -m pytest $(PYTEST_ARGS)

# Several servers and workers on Redis: the tests that need a real redis-server (installed and
# started on 127.0.0.1 by scripts/ensure-redis.sh).
test-redis: $(VENV)/.dev
	source <(bash scripts/ensure-redis.sh) && $(BIN)/python -m pytest tests/redis $(PYTEST_ARGS)

# The locks are only ever changed by a maintainer, on purpose: `make outdated` lists what is behind,
# `make lock` adds what pyproject.toml gained while keeping every existing pin, and
# `make lock UPGRADE=1` moves every pin to the newest release.
LOCK_ARGS = --python-version 3.11 --generate-hashes -q $(if $(UPGRADE),--upgrade)
lock: $(VENV)/.runtime
	$(BIN)/uv pip compile pyproject.toml requirements-tools.in -o requirements.lock $(LOCK_ARGS)
	$(BIN)/uv pip compile pyproject.toml requirements-tools.in --extra test -o requirements-dev.lock $(LOCK_ARGS)

outdated: $(VENV)/.dev
	@UV_PYTHON=$(BIN)/python $(BIN)/uv pip list --outdated

# Interface strings: after changing a template's or the code's {% translate %}/gettext strings,
# extract them into the catalogues, translate the new entries in the .po, and run it again to
# compile the .mo (both committed: running the site needs no gettext tools, this does).
messages: $(VENV)/.dev
	bash scripts/ensure-gettext.sh
	cd rightsdesk && DJANGO_SETTINGS_MODULE=rightsdesk.settings.dev ../$(BIN)/django-admin makemessages -l fa --no-obsolete
	cd rightsdesk && DJANGO_SETTINGS_MODULE=rightsdesk.settings.dev ../$(BIN)/django-admin compilemessages -l fa

clean:
	rm -rf $(VENV) var/cache var/static .pytest_cache
