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

.PHONY: install demo test lint dbt-parse dev docs quality bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) dbt-parse $(DAGSTER_HOME)/dagster.yaml

# dagster-dbt needs a manifest before definitions load: build it at set-up, not on every load.
dbt-parse: $(STAMP)
	@$(BIN)/dbt parse --project-dir dbt_project --profiles-dir . --quiet

# Dagster's instance settings (telemetry off, one DuckDB writer at a time), refreshed when the repo's copy changes.
$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

# Quiet: progress bars and a summary; `make demo VERBOSE=1` streams Dagster's and dbt's full output too.
demo: install
	@$(BIN)/lapstack demo$(if $(VERBOSE), --verbose)

lint: $(STAMP)
	$(BIN)/ruff check core loaders expectations orchestration commands tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/sqlfluff lint dbt_project/models

test: install lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q -rs --durations=25

dev: install
	$(BIN)/dagster dev -h 127.0.0.1

# dbt docs for BI users: every model and column, with lineage (opens with `dbt docs serve`).
docs: install
	$(BIN)/dbt docs generate --project-dir dbt_project --profiles-dir .

# Great Expectations reports on the current warehouse: reports/quality/index.html
quality: install
	$(BIN)/lapstack quality

# Every benchmark, one after another; each prints its own figures (minutes, not seconds).
BENCHES ?= serve_session_stats scoped_tests landing_to_marts mart_queries telemetry_load compare dbt_fixed_cost fastf1_calls bulk_load_postgres bulk_load_snowflake
bench: install
	for name in $(BENCHES); do $(BIN)/python bench/$$name.py || exit 1; done

clean:
	rm -rf $(VENV) warehouse reports dbt_project/target dbt_project/logs .dagster_home
