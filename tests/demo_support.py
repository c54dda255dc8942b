"""One `lapstack demo` run per test worker, shared by tests/test_demo.py and tests/test_readme_commands.py.

The real demo loads 28 sessions and draws every session's charts, minutes of work; the tests run the same
command, in-process and through Dagster as `make demo` does, on two real sessions (GR Cup Barber Race 1 and
the 2023 Las Vegas GP), into a private DuckDB warehouse and Dagster instance.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

DEMO_SESSIONS = ("gr_cup/barber/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV",
                 "f1_2023_fastf1/21_Las Vegas/laps.csv")


@dataclass(frozen=True)
class DemoRun:
    code: int
    output: str
    duckdb_path: Path
    dagster_home: Path
    env: dict[str, str]  # what the run set: the README commands run against the same warehouse
    started_in: Path  # the process's folder before the demo ...
    ended_in: Path  # ... and after it: the same, or later relative paths of the process go astray


def run_demo_once(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    from commands import demo
    from commands.cli import main

    root = tmp_path_factory.mktemp("demo_run")
    env = {"LAPSTACK_TARGET": "duckdb", "LAPSTACK_DUCKDB_PATH": str(root / "warehouse" / "lapstack.duckdb"),
           "DAGSTER_HOME": str(root / "dagster_home"), "DBT_TARGET_PATH": str(root / "dbt_target"),
           "DBT_LOG_PATH": str(root / "dbt_logs")}
    out = io.StringIO()
    started_in = Path.cwd()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setattr(demo, "demo_files", lambda data: [data / rel for rel in DEMO_SESSIONS])
        with contextlib.redirect_stdout(out):
            code = main(["demo"])
    ended_in = Path.cwd()
    os.chdir(started_in)  # whatever the demo did, the rest of this worker's tests run where they started
    return DemoRun(code, out.getvalue(), Path(env["LAPSTACK_DUCKDB_PATH"]), Path(env["DAGSTER_HOME"]), env,
                   started_in, ended_in)
