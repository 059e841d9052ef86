# The verbs people use. `make run` and `make test` do all the set-up on a fresh machine.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint format typecheck schema migrate seed worker follower bench search-eval bench-search bench-match clean

$(STAMP): pyproject.toml
	@set -e; \
	if [ ! -x "$(PY)" ]; then \
	  python=$$(bin/find-python); echo "Creating $(VENV) with $$python"; "$$python" -m venv $(VENV); \
	fi; \
	$(PY) -m pip install --quiet --upgrade pip; \
	$(PY) -m pip install --quiet -e '.[dev]'; \
	touch $(STAMP)

# Compiled translations (a build output, not committed); English only where gettext is missing.
MO := locale/zh_Hans/LC_MESSAGES/django.mo
$(MO): locale/zh_Hans/LC_MESSAGES/django.po | $(STAMP)
	@if command -v msgfmt >/dev/null; then DEBUG=1 $(PY) manage.py compilemessages --ignore=$(VENV) -v0; \
	else echo "msgfmt not found (apt-get install gettext): messages stay in English"; fi

## Run the registry on http://127.0.0.1:$(PORT) (SQLite by default, demo data, docs at /api/docs/),
## with the background worker that matches events and delivers webhooks, and the search index's
## follower that keeps var/search-index current. Webhook receivers on this machine (loopback) are
## allowed here, so a local receiver can be tried out.
run: export DEBUG := $(or $(DEBUG),1)
run: export SITE_URL := $(or $(SITE_URL),http://127.0.0.1:$(PORT))
LOOPBACK := 127.0.0.0/8,::1/128
run: export WEBHOOK_ALLOWED_NETWORKS := $(or $(WEBHOOK_ALLOWED_NETWORKS),$(LOOPBACK))
run: $(STAMP) $(MO)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo --if-empty
	@$(PY) manage.py follow_search_index --no-progress -v0 & follower=$$!; \
	$(PY) manage.py db_worker --no-reload --interval 1 -v0 & worker=$$!; \
	trap 'kill $$worker $$follower 2>/dev/null' EXIT INT TERM; \
	echo "Search index follower started (pid $$follower): every change is searchable within a second."; \
	echo "Worker started (pid $$worker): events are matched and webhooks delivered."; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

## Run the background worker alone (matching events, delivering webhooks).
worker: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py db_worker --no-reload

## Run the search index's follower alone (it builds var/search-index if it is missing).
follower: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py follow_search_index

## Run the test suite (on DATABASE_URL if set, else SQLite).
test: $(STAMP) $(MO)
	$(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: $(STAMP) $(MO)
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres: $(STAMP) $(MO)
	DATABASE_URL=$${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/registry} $(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: $(STAMP)
	SECRET_KEY=typecheck $(VENV)/bin/mypy config registry openness pilots

## Write and validate the OpenAPI document.
schema: $(STAMP)
	SECRET_KEY=schema $(PY) manage.py spectacular --lang en --validate --fail-on-warn --file openapi.yaml

migrate: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input

seed: $(STAMP)
	DEBUG=$${DEBUG:-1} $(PY) manage.py seed_demo $(SEED_ARGS)

## Search quality: nDCG@10 and recall@20 per query on the relevance set (SQLite, or DATABASE_URL).
search-eval: $(STAMP)
	$(PY) benchmarks/search_eval.py

## Read throughput of the production server (gunicorn, driven by wrk at concurrency 8) against
## the in-process limit, at 10,000 and 100,000 resources (PostgreSQL, DATABASE_URL's name with
## _10k and _100k added, default registry_bench_read_*); BENCH_ARGS="--sizes 100000 --duration 20".
bench: $(STAMP)
	$(PY) benchmarks/read_bench.py $(BENCH_ARGS)

## Search speed from one client at 100,000 resources, through the index (uses make bench's database
## and index at 100,000, built by make bench first).
bench-search: $(STAMP)
	$(PY) benchmarks/search_bench.py

## Matching speed: 10,000 subscriptions against a published batch of 1,000 entries (PostgreSQL,
## DATABASE_URL, default its own database registry_bench_match); BENCH_ARGS=--profile to profile.
bench-match: $(STAMP)
	$(PY) benchmarks/match_subscriptions.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache staticfiles openapi.yaml var
