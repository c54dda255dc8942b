# lapstack: `make demo` and `make test` set everything up on a fresh machine (Python >= 3.11).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export DO_NOT_TRACK := 1
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export SNOWFLAKE_DISABLE_PLATFORM_DETECTION := true
PYTEST_WORKERS ?= 2

.PHONY: install demo test lint dbt-parse dev quality bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) dbt-parse dagster-home

# dagster-dbt needs a manifest before definitions load: build it at set-up, not on every load.
dbt-parse: $(STAMP)
	$(BIN)/dbt parse --project-dir dbt_project --profiles-dir . --quiet

dagster-home:
	mkdir -p $(DAGSTER_HOME)
	test -f $(DAGSTER_HOME)/dagster.yaml || cp orchestration/dagster.yaml $(DAGSTER_HOME)/dagster.yaml

demo: install
	$(BIN)/lapstack demo

lint: $(STAMP)
	$(BIN)/ruff check loaders orchestration expectations tests bench
	$(BIN)/sqlfluff lint dbt_project/models

test: install lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q -rs

dev: install
	$(BIN)/dagster dev -h 127.0.0.1

bench: install
	$(BIN)/python bench/serve_session_stats.py

clean:
	rm -rf $(VENV) warehouse reports dbt_project/target dbt_project/logs .dagster_home
