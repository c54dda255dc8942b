"""Partial parsing survives switching entry points (issue 15): `lapstack build`'s dbt, plain dbt and Dagster's
dbt steps resolve the one profile identically, so only the first of them parses the project in full.

Read from dbt's own artifacts: `perf_info.json` (written by `dbt parse`: how many files it parsed) and its log
line ("Nothing changed, skipping partial parsing" / "Unable to do partial parsing because ...").
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from core.dbt_runner import dbt_env, dbt_executable, parse_verdict, run_dbt
from core.settings import DBT_PROJECT_DIR, PROJECT_ROOT, profiles_dir


def parsed_files(target: Path) -> int:
    return json.loads((target / "perf_info.json").read_text())["parsed_path_count"]


def test_second_entry_point_parses_partially(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             duckdb_env: Path) -> None:
    # The default install: no LAPSTACK_DUCKDB_PATH, profiles.yml's relative default. `dbt parse` opens no
    # warehouse, so the repo's default file is never touched.
    monkeypatch.delenv("LAPSTACK_DUCKDB_PATH")
    target, logs = Path(os.environ["DBT_TARGET_PATH"]), Path(os.environ["DBT_LOG_PATH"])

    # 1. `lapstack build --target duckdb`'s way (core.dbt_runner): a cold target, so a full parse.
    first = run_dbt(["parse"], target="duckdb", capture=True)
    assert first.returncode == 0, first.stdout[-3000:]
    assert parsed_files(target) > 50  # every model, yml and macro file

    # 2. Plain dbt as a user types it from the repo root, with the user's own environment.
    plain = subprocess.run([dbt_executable(), "parse", "--project-dir", "dbt_project", "--profiles-dir", "."],
                           cwd=PROJECT_ROOT, env={**os.environ, "DO_NOT_TRACK": "1"}, capture_output=True,
                           text=True, check=False, timeout=600)
    assert plain.returncode == 0, plain.stdout[-3000:]
    assert parse_verdict(logs / "dbt.log") == "skipped"
    assert parsed_files(target) == 0

    # 3. Dagster's dbt step: dagster-dbt starts dbt in dbt_project/ with its own target folder per invocation,
    # seeded from DBT_TARGET_PATH's partial-parse state; orchestration.dbt.env sets the target's environment.
    from dagster_dbt import DbtCliResource

    from orchestration.dbt.env import dbt_target_env

    dbt = DbtCliResource(project_dir=str(DBT_PROJECT_DIR), profiles_dir=str(profiles_dir()),
                         dbt_executable=dbt_executable())
    with dbt_target_env(None):
        invocation = dbt.cli(["parse"], raise_on_error=False)
    assert invocation.wait().is_successful()
    assert parse_verdict(Path(invocation.target_path) / "dbt.log") == "skipped"
    assert parsed_files(Path(invocation.target_path)) == 0
    # What every entry point hands dbt: the path exactly as profiles.yml renders it for plain dbt.
    assert "LAPSTACK_DUCKDB_PATH" not in dbt_env("duckdb")
