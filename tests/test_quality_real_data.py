"""Quality suites on real data (DuckDB, GX pandas path): pass where the data is sound, flag the known glitches."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import dbt
from tests.quality_support import LAS_VEGAS, VIR_R1, ecu_lap_events, load_laps, load_telemetry


@pytest.fixture
def glitchy_warehouse(duckdb_env: Path, data_dir: Path) -> Path:
    """Real GR Cup VIR Race 1 (laps + ECU lap events) and the 2023 Las Vegas GP (laps + 20 cars' telemetry)."""
    load_laps([data_dir / VIR_R1 / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV",
               data_dir / LAS_VEGAS / "laps.csv"])
    load_telemetry([data_dir / VIR_R1, data_dir / LAS_VEGAS])
    dbt("build")
    return duckdb_env


def test_real_data_flags_exactly_the_known_glitches(glitchy_warehouse: Path, data_dir: Path, tmp_path: Path):
    from expectations.runner import run_quality

    report_dir = tmp_path / "reports" / "quality"
    run = run_quality(report_dir=report_dir)

    # Sound data passes: every critical suite (keys, types, uniqueness, sector sums, row counts, freshness).
    assert run.success, [(s.suite, s.message, [e.check for e in s.failed_checks]) for s in run.critical_failures]
    assert run.exit_code == 0
    failed = {s.suite for s in run.suites if s.status == "failed"}
    assert failed == {"raw__telemetry", "staging__gr_cup_lap_events", "marts__fct_laps_glitches",
                      "marts__fct_telemetry_impossible_values"}, failed
    outliers = run.suite("marts__fct_laps_glitches")
    assert [e.check for e in outliers.failed_checks] == ["outlier laps (more than 3x / under 0.5x the session median)"]
    assert outliers.failed_checks[0].unexpected_count == 1  # VIR R1 car 15 lap 3: 439.798 s, median ~131 s
    assert outliers.failed_checks[0].examples[0]["lap_time"] == pytest.approx(439.798)
    assert run.suite("marts__fct_laps").rows_validated > 1000
    assert run.suite("layers__lap_row_counts").outcome("no (session, driver, lap) is lost").success

    # Oracles straight from the files.
    events = ecu_lap_events(data_dir / VIR_R1)
    lap_times = events[events["kind"] == "lap_time"]["value"]
    telemetry = pd.concat(pd.read_csv(p, usecols=["nGear", "Throttle"])
                          for p in sorted((data_dir / LAS_VEGAS).glob("*_telemetry.csv")))
    car14 = pd.read_csv(data_dir / LAS_VEGAS / "14_telemetry.csv", usecols=["nGear"])

    lap_events = run.suite("staging__gr_cup_lap_events")
    lost = lap_events.outcome("GR Cup lost lap counter")
    assert lost.unexpected_count == int((events["lap"] == 32768).sum()) == 49
    assert {r["lap_number"] for r in lost.examples} == {32768}
    short = lap_events.outcome("GR Cup ECU lap time under 20 s")
    assert short.unexpected_count == int((lap_times < 20_000).sum())
    assert {0.0, 43.0} <= {r["lap_time_ms"] for r in short.examples}
    long = lap_events.outcome("GR Cup ECU lap time over 1 h")
    assert long.unexpected_count == int((lap_times > 3_600_000).sum())
    assert lap_events.outcome("every lap = 32768 is flagged").success
    assert lap_events.outcome("every ECU lap time under 20 s is flagged").success

    tel = run.suite("raw__telemetry")
    gear = tel.outcome("gear between 0 and 8")
    assert gear.unexpected_count == int((telemetry["nGear"] > 8).sum()) == 65
    assert int((car14["nGear"] > 8).sum()) == 33
    assert "ALO" in {r["_driver"] for r in gear.examples}  # car 14
    throttle = tel.outcome("throttle between 0 and 100")
    assert throttle.unexpected_count == int((telemetry["Throttle"] > 100).sum())
    assert [e.check for e in tel.failed_checks] == [gear.check, throttle.check]
    assert tel.chunks >= 2 and tel.rows_validated == len(telemetry) == 488_120  # bounded chunks, all rows
    # The fact nulls them and lists them (raw keeps them): same counts.
    impossible = run.suite("marts__fct_telemetry_impossible_values")
    assert impossible.outcome("impossible gear").unexpected_count == 65
    assert impossible.outcome("impossible throttle").unexpected_count == int((telemetry["Throttle"] > 100).sum())
    assert run.suite("marts__fct_telemetry").status != "failed"

    # The report: stable index.html with the summary, one Data Docs page per suite, and the JSON.
    index = (report_dir / "index.html").read_text()
    for check in (gear.check, lost.check, short.check, long.check):
        assert html.escape(check) in index
    page = Path(lap_events.report_path).read_text()
    assert "the 0 ms and 43 ms VIR laps" in page and "7,127,986 ms" in page
    assert (report_dir / "quality_run.json").exists()


    # The CLI: suite selection, exit codes, same JSON contract.
    from commands.cli import main

    out = tmp_path / "q"
    assert main(["quality", "--suite", "raw__telemetry", "--suite", "marts.fct_laps", "--report-dir", str(out)]) == 0
    ran = {s["suite"]: s for s in json.loads((out / "quality_run.json").read_text())["suites"]}
    assert set(ran) == {"raw__telemetry", "marts__fct_laps", "marts__fct_laps_glitches", "layers__lap_row_counts",
                        "freshness__lap_marts"}
    assert ran["raw__telemetry"]["status"] == "failed" and ran["raw__telemetry"]["severity"] == "warn"
    assert main(["quality", "--suite", "no_such_suite", "--report-dir", str(out)]) == 2
