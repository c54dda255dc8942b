"""Regression (issue 12, high): an Ergast `pit_stops.csv` is never taken for lap times, on DuckDB and Postgres.

It shares raceId, driverId, lap and milliseconds with `lap_times.csv`; before the registry's strict
signatures, 12,016 pit stops became 303 fake sessions (and with --replace superseded real races).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from commands.cli import main
from tests.warehouse_support import q


def _ergast_side_files(data_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "ergast"
    folder.mkdir()
    for name in ("pit_stops.csv", "races.csv", "drivers.csv"):
        shutil.copy(data_dir / "ergast" / name, folder / name)
    return folder


def _sessions() -> int:
    """Lap sessions in the registry; a warehouse the failed load never touched has no raw schema at all."""
    from core.warehouse import connect

    wh = connect()
    try:
        return wh.query("select count(*) from raw.sessions")[0][0] if wh.table_exists("raw", "sessions") else 0
    finally:
        wh.close()


def _check(data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = _ergast_side_files(data_dir, tmp_path)
    # Given explicitly as a lap file: a positioned error, nothing loaded.
    assert main(["load", "laps", "--replace", str(folder / "pit_stops.csv")]) == 1
    err = capsys.readouterr().err
    assert f"{folder / 'pit_stops.csv'}:1:1: unknown lap format" in err
    assert _sessions() == 0
    # Loaded as what it is: every pit stop in the official pit-stop table, no lap session created.
    assert main(["load", str(folder)]) == 0
    stops = len(pd.read_csv(folder / "pit_stops.csv"))
    assert q("select count(*) from raw.ergast_pit_stops") == [(stops,)]
    assert stops == 12016
    assert _sessions() == 0
    assert q("select count(*) from raw.ergast_lap_times") == [(0,)]


def test_pit_stops_are_not_laps_on_duckdb(duckdb_env, data_dir, tmp_path, capsys) -> None:
    _check(data_dir, tmp_path, capsys)


@pytest.mark.postgres
def test_pit_stops_are_not_laps_on_postgres(postgres_env, data_dir, tmp_path, capsys) -> None:
    _check(data_dir, tmp_path, capsys)
