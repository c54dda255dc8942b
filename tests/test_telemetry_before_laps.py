"""Telemetry loaded before its laps gets lap numbers (and F1 driver codes) when the laps arrive.

Real data: Las Vegas 2023 car 16 (LEC) before laps.csv, then the laps; the GR Cup Barber sample before its
ECU lap events, then the events. Lap numbers must equal those of the laps-first order (a second warehouse
loaded laps first), the sample count unchanged, one active batch per file, and the batch re-stamped so
fct_telemetry's incremental build (by load batch) picks the session up.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tests.test_telemetry_support import GR_SAMPLE, ROWS_PER_VEGAS_CAR, VEGAS, load, load_laps, query, query_df

_ROWS = "select _driver, _source_line, sample_seq, lap_number from raw.telemetry order by 1, 2, 3"


def _active(fmt: str) -> list[str]:
    return [b for (b,) in query("select batch_id from raw.load_batches where status = 'active' and format = ?",
                                (fmt,))]


def test_vegas_car_before_laps_gets_the_laps_first_lap_numbers(data_dir: Path, duckdb_env: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    car, laps = data_dir / VEGAS / "16_telemetry.csv", data_dir / VEGAS / "laps.csv"
    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(duckdb_env.parent / "laps_first.duckdb"))
    load_laps(laps)
    assert not load([car])[1]
    laps_first = query_df(_ROWS)

    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(duckdb_env))
    assert not load([car])[1]
    before = _active("fastf1_car_data")
    assert query("select count(*), count(lap_number), min(_driver) from raw.telemetry")[0] == (
        ROWS_PER_VEGAS_CAR, 0, "16")
    load_laps(laps)
    after = query_df(_ROWS)
    assert len(after) == ROWS_PER_VEGAS_CAR and set(after["_driver"]) == {"LEC"}
    pd.testing.assert_frame_equal(after, laps_first)
    assert after["lap_number"].notna().sum() > 20000 and after["lap_number"].max() == 50
    # re-stamped: a new active batch for the same file, the old one superseded, no row left in it
    now = _active("fastf1_car_data")
    assert len(now) == 1 and now != before
    assert query("select count(distinct _batch_id), min(_batch_id) from raw.telemetry")[0] == (1, now[0])
    assert query("select status from raw.load_batches where batch_id = ?", (before[0],)) == [("superseded",)]
    assert load([car])[0][0].status == "unchanged"  # no --force, no second copy


def test_gr_cup_sample_before_lap_events_gets_the_events_first_lap_numbers(data_dir: Path, duckdb_env: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    barber = data_dir / "gr_cup" / "barber"
    events = [barber / f"R1_barber_lap_{k}.csv" for k in ("start", "end", "time")]
    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(duckdb_env.parent / "events_first.duckdb"))
    assert not load(events + [data_dir / GR_SAMPLE])[1]
    events_first = query_df(_ROWS)

    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(duckdb_env))
    assert not load([data_dir / GR_SAMPLE])[1]
    assert query("select count(*), count(lap_number) from raw.telemetry")[0] == (1042, 0)
    assert not load(events)[1]
    after = query_df(_ROWS)
    pd.testing.assert_frame_equal(after, events_first)
    assert after["lap_number"].notna().sum() > 0 and len(_active("gr_cup_telemetry")) == 1
