# The verbs people use. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# What is installed, each with its stamp: the runtime dependencies (make run and the commands that
# serve), and those with the development tools (pytest, ruff, mypy, schemathesis, Playwright…).
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev

.PHONY: run test test-sqlite test-postgres lint lint-imports lint-openapi check-clients format typecheck schema migrate seed worker follower bench bench-export search-eval bench-search bench-match messages clean

$(VENV)/bin/python:
	@python=$$(bin/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

# --no-compile: modules are compiled as they are first imported, not all of them here (the first
# make run serves sooner).
$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --no-compile -e .
	@touch $(RUNTIME)

# The development tools come with the runtime dependencies, so both stamps are then current.
$(DEV): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet --no-compile -e '.[dev]'
	@touch $(RUNTIME) $(DEV)

# Compiled translations (a build output, not committed); English only where gettext is missing.
MO := locale/zh_Hans/LC_MESSAGES/django.mo
# (msgfmt as `manage.py compilemessages` runs it, without starting Django to find the one catalogue.)
$(MO): locale/zh_Hans/LC_MESSAGES/django.po
	@if command -v msgfmt >/dev/null; then msgfmt --check-format -o $@ $<; \
	else echo "msgfmt not found (apt-get install gettext): messages stay in English"; fi

## Bring the Chinese catalogue level with the code (makemessages with the project's options) and
## list what is left to translate: new messages, and fuzzy guesses to check. The tests fail while
## anything is left (tests/config/test_translations.py); the next make run or make test compiles it.
messages: $(RUNTIME)
	SECRET_KEY=messages $(PY) manage.py translations

## Run the registry on http://127.0.0.1:$(PORT) (SQLite by default, demo data, docs at /api/docs/),
## with the background worker that matches events and delivers webhooks, and the search index's
## follower that keeps var/search-index current. Webhook receivers on this machine (loopback) are
## allowed here, so a local receiver can be tried out. Installs the runtime dependencies only,
## writes a development .env when there is none, and prints the demo accounts' new passwords.
LOOPBACK := 127.0.0.0/8,::1/128
run: export DEBUG := $(or $(DEBUG),1)
run: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
run: export WEBHOOK_ALLOWED_NETWORKS := $(or $(WEBHOOK_ALLOWED_NETWORKS),$(LOOPBACK))
run: export CORS_ALLOW_LOCALHOST := $(or $(CORS_ALLOW_LOCALHOST),1)
run: $(RUNTIME) $(MO) .env
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py demo_accounts
	@$(PY) manage.py follow_search_index --no-progress -v0 & follower=$$!; \
	$(PY) manage.py db_worker --no-reload --interval 1 -v0 & worker=$$!; \
	trap 'kill $$worker $$follower 2>/dev/null' EXIT INT TERM; \
	echo "Search index follower started (pid $$follower): every change is searchable within a second."; \
	echo "Worker started (pid $$worker): events are matched and webhooks delivered."; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The development settings of make run, for the manage.py commands run by hand (the README's and
# docs/'s): what make run exports, and a SECRET_KEY of this checkout's own, random, made here (git
# ignores .env: no key is committed). Written only when there is none: an existing .env is kept.
.env: | $(RUNTIME)
	@umask 077; { \
	  echo "# Development settings, written by make run (git ignores this file). Every manage.py"; \
	  echo "# command reads them; a variable set in the environment wins. See .env.example."; \
	  echo "DEBUG=1"; \
	  echo "SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  echo "SITE_URL=$(or $(SITE_URL),http://127.0.0.1:$(PORT))"; \
	  echo "WEBHOOK_ALLOWED_NETWORKS=$(or $(WEBHOOK_ALLOWED_NETWORKS),$(LOOPBACK))"; \
	} > .env.tmp && mv .env.tmp .env && echo "Wrote .env: development settings for manage.py."

## Run the background worker alone (matching events, delivering webhooks).
worker: $(RUNTIME)
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker --no-reload

## Run the search index's follower alone (it builds var/search-index if it is missing).
follower: $(RUNTIME)
	DEBUG=$${DEBUG:-1} $(PY) manage.py follow_search_index

## Run the test suite (on DATABASE_URL if set, else SQLite).
# The suite runs in one worker process a core (pytest-xdist; TEST_WORKERS=0 runs it in this one).
# Tests go to the workers in collection order, so each worker keeps pytest-django's order
# (transactional tests last): --dist loadfile would break it.
TEST_WORKERS ?= auto
XDIST := -n $(TEST_WORKERS) --dist load

test: $(DEV) $(MO)
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-sqlite: $(DEV) $(MO)
	env -u DATABASE_URL $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

test-postgres: $(DEV) $(MO)
	DATABASE_URL=$${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/registry} $(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

lint: $(DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## The layers' import contracts (import-linter; pyproject.toml's [tool.importlinter]).
lint-imports: $(DEV)
	$(VENV)/bin/lint-imports

format: $(DEV)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(DEV)
	SECRET_KEY=typecheck $(VENV)/bin/mypy config core registry openness notifications pilots progress

## Write and validate the OpenAPI document.
schema: $(DEV)
	SECRET_KEY=schema REGISTRY_ENV_FILE= $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file docs/openapi.yaml

# The Node.js tools of clients/ (openapi-typescript, openapi-fetch, TypeScript, Redocly's CLI), at
# clients/package-lock.json's versions.
NODE_TOOLS := clients/node_modules/.package-lock.json
$(NODE_TOOLS): clients/package-lock.json
	cd clients && npm ci --no-audit --no-fund

## Lint the OpenAPI document with Redocly's recommended rules (redocly.yaml: what is off, and why).
lint-openapi: $(NODE_TOOLS)
	cd clients && npm run --silent lint-openapi

## Generate the Python and TypeScript clients from docs/openapi.yaml, type-check the scripts that
## use them and run those against a registry with the demo data (docs/clients.md).
check-clients: $(DEV) $(MO) $(NODE_TOOLS)
	$(PY) -m pytest tests/clients $(PYTEST_ARGS)

migrate: $(RUNTIME)
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input

seed: $(RUNTIME)
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo $(SEED_ARGS)

## Search quality: nDCG@10 and recall@20 per query on the relevance set (SQLite, or DATABASE_URL).
search-eval: $(DEV)
	$(PY) benchmarks/search_eval.py

## Read throughput of the production server (gunicorn, driven by wrk at concurrency 8) against
## the in-process limit, at 10,000 and 100,000 resources (PostgreSQL, DATABASE_URL's name with
## _10k and _100k added, default registry_bench_read_*); BENCH_ARGS="--sizes 100000 --duration 20".
bench: $(DEV)
	$(PY) benchmarks/read_bench.py $(BENCH_ARGS)

## The catalogue export's time and peak memory at 10,000 and 100,000 resources (NDJSON and CSV),
## against make bench's databases (run make bench first).
bench-export: $(DEV)
	$(PY) benchmarks/export_bench.py $(BENCH_ARGS)

## Search speed from one client at 100,000 resources, through the index (uses make bench's database
## and index at 100,000, built by make bench first).
bench-search: $(DEV)
	$(PY) benchmarks/search_bench.py

## Matching speed: 10,000 subscriptions against a published batch of 1,000 entries (PostgreSQL,
## DATABASE_URL, default its own database registry_bench_match); BENCH_ARGS=--profile to profile.
bench-match: $(DEV)
	$(PY) benchmarks/match_subscriptions.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache staticfiles var
