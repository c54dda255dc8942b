"""Shared fixtures: the real data folder, throw-away warehouses on DuckDB and Postgres, dbt runs."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import CI, LAPSTACK_DATA, apply_network_hygiene


def pytest_configure(config: pytest.Config) -> None:
    """The test session is an entry point like the CLI: tracking opt-outs before any test runs dbt or Dagster."""
    apply_network_hygiene()


def _missing(reason: str) -> None:
    """Skip with a clear reason locally; under CI=true missing prerequisites are failures."""
    if CI.get():
        pytest.fail(f"{reason} (CI=true: this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    path = LAPSTACK_DATA.get()
    if not (path / "gr_cup").is_dir():
        _missing(f"real data not found at {path}: set LAPSTACK_DATA to the shared data folder")
    return path


@pytest.fixture
def duckdb_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private DuckDB warehouse and dbt target dir, so tests never share state."""
    db = tmp_path / "warehouse" / "lapstack.duckdb"
    monkeypatch.setenv("LAPSTACK_TARGET", "duckdb")
    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(db))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "dbt_target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "dbt_logs"))
    return db


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(host=os.environ.get("PGHOST", "127.0.0.1"), port=int(os.environ.get("PGPORT", 5432)),
                             user=os.environ.get("PGUSER", "postgres"), dbname="postgres", connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture
def postgres_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh database on the local server for one test, dropped afterwards."""
    if not _pg_available():
        _missing("Postgres is not reachable on 127.0.0.1:5432")
    import psycopg
    from psycopg import sql

    name = f"lapstack_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(host=os.environ.get("PGHOST", "127.0.0.1"), user=os.environ.get("PGUSER", "postgres"),
                            dbname="postgres", autocommit=True)
    admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    monkeypatch.setenv("LAPSTACK_TARGET", "postgres")
    monkeypatch.setenv("PGDATABASE", name)
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "dbt_target"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "dbt_logs"))
    try:
        yield name
    finally:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        admin.close()


def dbt(*args: str) -> subprocess.CompletedProcess:
    """Run dbt on the current env's target; fail the test with dbt's output when it fails."""
    from core.dbt_runner import run_dbt

    result = run_dbt(list(args), capture=True)
    if result.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} failed:\n{result.stdout[-6000:]}\n{result.stderr[-2000:]}")
    return result


@pytest.fixture(scope="session")
def demo_run(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """`lapstack demo` once per worker on two real sessions (tests/demo_support.py); tests read its output
    and warehouse. Tests using it share the xdist group `demo_run`, so one worker runs the demo once."""
    from tests.demo_support import run_demo_once

    return run_demo_once(data_dir, tmp_path_factory)
