# VIK — the two commands of the README, and the pieces they are made of.
#   make run   install everything, migrate, seed demo data, serve on http://127.0.0.1:8000
#   make test  install everything (system packages too), start PostgreSQL/Redis, run all checks
.DEFAULT_GOAL := help
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c

VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/vik
TEST_REDIS_URL ?= redis://127.0.0.1:6379/1

OIDC_PROVIDER := scripts/oidc-test-provider
OPENAPI_SCHEMA := docs/api/openapi.yaml

.PHONY: help run test venv oidc-provider lint typecheck checks schema pytest production messages clean

help:
	@echo "make run    install, migrate, seed demo data and serve at http://127.0.0.1:8000"
	@echo "make test   install everything and run lint, type checks, migration check and tests"
	@echo "make production   only the production-mode suite (gunicorn, Celery, faults, load)"

$(VENV)/.installed: requirements.txt requirements-dev.txt .python-version
	@test -x $(PY) || "$$(scripts/find-python.sh)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

# The real OpenID provider the single sign-on tests run against (npm registry only).
$(OIDC_PROVIDER)/node_modules/.installed: $(OIDC_PROVIDER)/package-lock.json
	cd $(OIDC_PROVIDER) && npm ci --no-audit --no-fund --silent
	@touch $@

oidc-provider: $(OIDC_PROVIDER)/node_modules/.installed

# The demo: SQLite and in-process Celery unless DATABASE_URL / REDIS_URL are set.
run: venv
	DEBUG=true $(PY) manage.py migrate --no-input
	DEBUG=true $(PY) manage.py seed_demo
	DEBUG=true $(PY) manage.py runserver 127.0.0.1:8000

test: venv
	scripts/ensure-system.sh
	$(MAKE) --no-print-directory oidc-provider lint typecheck checks pytest production

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	SECRET_KEY=typecheck-only $(VENV)/bin/mypy

checks: venv
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=false SECRET_KEY=checks-only \
	  $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=false SECRET_KEY=checks-only \
	  $(PY) manage.py check --fail-level WARNING
	@# The OpenAPI schema: generated without a warning, and the same as the committed one.
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) DEBUG=false SECRET_KEY=checks-only \
	  $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file .openapi-check.yaml
	@diff -u $(OPENAPI_SCHEMA) .openapi-check.yaml \
	  || (rm -f .openapi-check.yaml; echo "The API changed: run 'make schema' and commit $(OPENAPI_SCHEMA)." >&2; exit 1)
	@rm -f .openapi-check.yaml

# Regenerate the committed OpenAPI schema after changing the API.
schema: venv
	DEBUG=false SECRET_KEY=schema-only $(PY) manage.py spectacular --lang en --validate \
	  --fail-on-warn --file $(OPENAPI_SCHEMA)

pytest: venv
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest

# The production-mode suite (tests/production, docs/development.md): DEBUG off, the manifest,
# gunicorn, a real Celery worker, the runtime database role of scripts/db-roles.sql, faults
# (worker killed, Redis stopped, PostgreSQL restarted) and a short Locust run. It starts its
# own PostgreSQL cluster and Redis on free ports; the shared servers are not touched.
production: venv
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest -m production \
	  tests/production -p no:cacheprovider

# Refresh the translation catalogues after changing texts (then translate and commit). One run
# from the root: strings under an app with its own locale/ go to that app's catalogue, the
# rest (vik/, templates/) to locale/.
messages: venv
	DEBUG=true $(PY) manage.py makemessages -l nl --ignore=.venv --ignore=tests --ignore=benchmarks \
	  --ignore=staticfiles --ignore=var --ignore=static/vendor
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache $(OIDC_PROVIDER)/node_modules
