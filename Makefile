# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-fast test-sqlite test-postgres lint check-python clean browser-deps chromium

check-python:
	@test -n "$(PYTHON)" || { scripts/find-python; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-test.txt
	touch $@ $(VENV)/.installed-run

# The browser tests (factcheck/tests/browser) need axe-core from npm and Debian's Chromium. Either missing: the
# browser tests skip, unless CI is set, where it is an error.
browser-deps: node_modules/.installed chromium

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund && touch $@; \
	elif [ -n "$$CI" ]; then \
	  echo "npm not found, and CI runs the browser tests, which need axe-core: apt-get install npm" >&2; exit 1; \
	else \
	  echo "npm not found: the browser tests will skip (apt-get install npm, then make test, to run them)."; \
	fi

# Checked every time, no stamp: $CHROMIUM_PATH if set, else /usr/bin/chromium or chromium(-browser) on PATH.
chromium:
	@found() { \
	  if [ -n "$$CHROMIUM_PATH" ]; then [ -x "$$CHROMIUM_PATH" ]; \
	  else [ -x /usr/bin/chromium ] || command -v chromium || command -v chromium-browser; fi >/dev/null; \
	}; \
	if ! found && [ -z "$$CHROMIUM_PATH" ] && [ "$$(id -u)" = 0 ]; then \
	  echo "Installing Debian's chromium for the browser tests (apt-get)"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	    || echo "apt-get could not install chromium" >&2; \
	fi; \
	if found; then :; \
	elif [ -n "$$CI" ]; then \
	  echo "Chromium not found$${CHROMIUM_PATH:+ at CHROMIUM_PATH=$$CHROMIUM_PATH}, and CI runs the browser tests:" \
	    "install it as root with apt-get install chromium" >&2; \
	  exit 1; \
	else \
	  echo "Chromium not found$${CHROMIUM_PATH:+ at CHROMIUM_PATH=$$CHROMIUM_PATH}: the browser tests will skip" \
	    "(apt-get install chromium as root, or make test as root, to run them)."; \
	fi

## make run: set up, migrate the SQLite database, load the demo, serve on http://127.0.0.1:8000 with the
## background worker (articles fetched by URL) beside it
run: $(VENV)/.installed-run
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} PYTHON_BIN=$(BIN)/python scripts/with-worker \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# make serve's secret key when DJANGO_SECRET_KEY is unset: made once and kept (.venv is not committed), so logins
# survive a restart.
$(VENV)/secret-key: | $(BIN)/python
	(umask 077 && $(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))' > $@)

SERVE_ENV = DJANGO_DEBUG=0 DJANGO_SERVE_STATIC=1 DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat $(VENV)/secret-key)}"

## make serve: the production setup on the demo: DEBUG off, static files collected (hashed, compressed) and
## served by WhiteNoise, gunicorn with several workers (WEB_CONCURRENCY) on http://127.0.0.1:8000, and the
## background worker beside it
serve: $(VENV)/.installed-run $(VENV)/secret-key
	$(SERVE_ENV) $(BIN)/python manage.py migrate --no-input
	$(SERVE_ENV) $(BIN)/python manage.py seed_demo
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --no-input
	env $(SERVE_ENV) DJANGO_BIND=$(HOST):$(PORT) PYTHON_BIN=$(BIN)/python scripts/with-worker $(BIN)/gunicorn

## make test: install what the tests need, lint, run the suite on SQLite and on PostgreSQL side by side
## (one core each; each run's output is shown whole when it ends)
test: $(VENV)/.installed-test lint browser-deps
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

## make test-fast: the inner loop: SQLite only, no browser, fuzzing at a tenth of its strength
test-fast: $(VENV)/.installed-test
	env -u DATABASE_URL DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-insecure-test-only-key} HYPOTHESIS_PROFILE=dev \
	  $(BIN)/pytest -m "not browser" -q

test-sqlite: $(VENV)/.installed-test browser-deps
	env -u DATABASE_URL DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-insecure-test-only-key} HYPOTHESIS_PROFILE=ci $(BIN)/pytest

test-postgres: $(VENV)/.installed-test browser-deps
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-insecure-test-only-key} HYPOTHESIS_PROFILE=ci scripts/with-postgres $(BIN)/pytest

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache .ruff_cache node_modules test-results
