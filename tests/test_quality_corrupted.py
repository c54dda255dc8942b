"""Deliberately corrupted copies of a real file fail the expectation written for that corruption."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from loaders.laps.model import Overrides
from tests.conftest import dbt
from tests.quality_support import LAS_VEGAS, load_laps


def _copy(tmp_path: Path, name: str, text: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "laps.csv").write_text(text)
    return folder / "laps.csv"


def test_corrupted_copies_fail_the_right_expectation(duckdb_env: Path, data_dir: Path, tmp_path: Path):
    from expectations.runner import run_quality

    source = data_dir / LAS_VEGAS / "laps.csv"
    header, *rows = source.read_text().splitlines(keepends=True)
    # 1. LapTime and Sector2Time swapped in the header: every complete lap breaks sector1+2+3 = lap time.
    swapped = _copy(tmp_path, "swapped", header.replace(",LapTime,", ",TMP,").replace(",Sector2Time,", ",LapTime,")
                    .replace(",TMP,", ",Sector2Time,") + "".join(rows))
    # 2. The first 10 laps repeated at the end (as a re-sent feed would): exact repeats land raw.
    duplicated = _copy(tmp_path, "duplicated", header + "".join(rows) + "".join(rows[:10]))
    # 3. Cut after the first 5 drivers (the file is ordered by driver): a truncated session.
    frame = pd.read_csv(source)
    keep = frame["DriverNumber"].drop_duplicates().head(5)
    cut = int(frame["DriverNumber"].isin(keep).sum())
    truncated = _copy(tmp_path, "truncated", header + "".join(rows[:cut]))
    for path, event in ((swapped, "Swapped Sectors"), (duplicated, "Duplicated Laps"), (truncated, "Truncated")):
        load_laps([path], Overrides(series="f1", season=2023, event=event, session="Race"))
    # `run`: the marts' dbt tests would (rightly) stop a build; the lap path only, no telemetry marts.
    dbt("run", "--select", "@fct_laps", "--exclude", "path:models/marts/telemetry")

    run = run_quality(report_dir=tmp_path / "report", suites=["raw__fastf1_laps", "marts.*", "layers__*"])
    assert not run.success and run.exit_code == 1

    fct = run.suite("marts__fct_laps")
    sums = fct.outcome("sector 1+2+3 within 50 ms")
    complete = frame.dropna(subset=["LapTime", "Sector1Time", "Sector2Time", "Sector3Time"])
    assert sums.unexpected_count == len(complete) == 841
    assert {r["session_id"] for r in sums.examples} == {"f1-2023-swapped_sectors-race"}
    pace = fct.outcome("f1: racing lap time within")  # the swapped "lap time" is a ~30 s sector
    assert not pace.success and {r["session_id"] for r in pace.examples} == {"f1-2023-swapped_sectors-race"}
    assert fct.outcome("one fct_laps row per").success  # exact repeats are dropped in staging

    raw = run.suite("raw__fastf1_laps")
    dup = raw.outcome("one row per (session, driver, lapnumber)")
    assert dup.unexpected_count == 20  # 10 laps, each twice
    assert {r["_session_id"] for r in dup.examples} == {"f1-2023-duplicated_laps-race"}
    assert run.suite("layers__lap_row_counts").outcome("no (session, driver, lap) is lost").success

    complete_check = run.suite("marts__session_completeness").outcome("f1: 15-30 drivers")
    assert complete_check.unexpected_count == 1
    assert complete_check.examples == [{"total_drivers": 5, "session_id": "f1-2023-truncated-race", "series": "f1"}]
    # The swapped session's ~30 s "laps" also break the per-series pace checks of the session marts.
    marts = {"marts__session_summary", "marts__session_driver_stats", "marts__session_lap_highlights"}
    assert {s.suite for s in run.critical_failures} == {"marts__fct_laps", *marts}
    for name in marts:
        for failed in run.suite(name).failed_checks:
            assert failed.check.startswith("f1: ")
            assert {r["session_id"] for r in failed.examples} == {"f1-2023-swapped_sectors-race"}
