"""The headless lap-path materialisation on Postgres: real files through Dagster give the CLI path's marts."""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.dbt_runner import run_dbt
from tests.orchestration_support import assert_lap_run_shows_charts_and_checks, private_manifest_env

warnings.filterwarnings("ignore", category=Warning, module="dagster")
pytestmark = pytest.mark.postgres

MART_SQL = ("select session_id, fastest_lap_driver, round(cast(fastest_lap_time as numeric), 3), total_laps, "
            "total_drivers from marts.session_summary order by session_id")
STATS_SQL = ("select session_id, driver, round(cast(best_lap_time as numeric), 3), lap_count "
             "from marts.session_driver_stats order by session_id, driver")


@pytest.fixture(scope="module", autouse=True)
def orchestration_manifest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from private_manifest_env(tmp_path_factory)


@pytest.fixture
def second_pg_database() -> Iterator[str]:
    """A second throw-away database on the same server, for the plain CLI path."""
    import psycopg
    from psycopg import sql

    name = f"lapstack_test_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(host=os.environ.get("PGHOST", "127.0.0.1"), user=os.environ.get("PGUSER", "postgres"),
                            dbname="postgres", autocommit=True)
    admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        admin.close()


def _files(data_dir: Path) -> list[Path]:
    barber = data_dir / "gr_cup" / "barber" / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
    silverstone = data_dir / "f1_2023_fastf1" / "10_Silverstone" / "laps.csv"
    assert barber.is_file() and silverstone.is_file()
    return [barber, silverstone]


def _rows(sql: str) -> list[tuple]:
    """Marts of the current PGDATABASE, floats as Python floats so both runs compare exactly."""
    from core.warehouse import connect

    wh = connect("postgres")
    try:
        return [tuple(float(v) if hasattr(v, "as_tuple") else v for v in row) for row in wh.query(sql)]
    finally:
        wh.close()


def test_lap_path_materialises_on_postgres(data_dir: Path, postgres_env: str, second_pg_database: str,
                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster import DagsterInstance

    from orchestration.materialize import materialize_lap_path

    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("LAPSTACK_QUALITY_REPORT_DIR", str(tmp_path / "quality"))
    files = _files(data_dir)
    result = materialize_lap_path(files, DagsterInstance.get())
    assert result.success

    lap_mat = result.asset_materializations_for_node("raw__lap_files")
    assert len(lap_mat) == len(files)
    assert lap_mat[0].metadata["files_loaded"].value == 2
    assert lap_mat[0].metadata["warehouse"].value == "postgres"

    summary = _rows(MART_SQL)
    sessions = {row[0]: row for row in summary}
    assert set(sessions) == {"gr_cup-2025-barber-race_1", "f1-2023-british_grand_prix-race"}, summary
    barber = sessions["gr_cup-2025-barber-race_1"]
    assert barber[1] == "13" and barber[2] == pytest.approx(97.428, abs=1e-3)
    assert barber[3] > 0 and barber[4] > 1

    # Charts, fastest-driver table and checks (GX on Postgres through SQL) drawn from the Postgres marts.
    assert_lap_run_shows_charts_and_checks(result, 2, "| gr_cup-2025-barber-race_1 | 13 | 1:37.428 |")

    stats = _rows(STATS_SQL)
    # The same files through the plain CLI path into a second Postgres database give identical marts.
    monkeypatch.setenv("PGDATABASE", second_pg_database)
    from commands.cli import main

    assert main(["load", "laps", *map(str, files)]) == 0
    dbt_run = run_dbt(["run", "--quiet", "--select", "+session_summary", "+session_driver_stats"], capture=True)
    assert dbt_run.returncode == 0, dbt_run.stdout[-4000:]
    assert _rows(MART_SQL) == summary
    assert _rows(STATS_SQL) == stats
