# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= $(shell scripts/find-python)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint check-python clean

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

## make run: set up, migrate the SQLite database, load the demo, serve on http://127.0.0.1:8000
run: $(VENV)/.installed-run
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: install what the tests need, lint, run the suite on SQLite and on PostgreSQL
test: $(VENV)/.installed-test lint test-sqlite test-postgres

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test-sqlite: $(VENV)/.installed-test
	env -u DATABASE_URL DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-insecure-test-only-key} $(BIN)/pytest

test-postgres: $(VENV)/.installed-test
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-insecure-test-only-key} scripts/with-postgres $(BIN)/pytest

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache .ruff_cache
