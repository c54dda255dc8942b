"""The same suites on Postgres through GX's SQL datasource (metrics computed in the database)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import dbt
from tests.quality_support import VIR_R1, ecu_lap_events, load_laps, load_telemetry


@pytest.mark.postgres
def test_postgres_sql_datasource_flags_the_gr_cup_glitches(postgres_env: str, data_dir: Path, tmp_path: Path):
    from expectations.runner import run_quality

    load_laps([data_dir / VIR_R1 / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"])
    load_telemetry([data_dir / VIR_R1])
    dbt("run", "--select", "@fct_laps", "stg_gr_cup__lap_events", "--exclude", "path:models/marts/telemetry")

    run = run_quality(report_dir=tmp_path / "report", suites=["raw__gr_cup_laps", "staging__laps", "marts.fct_laps",
                                                               "staging__gr_cup_lap_events", "marts__session_*"])
    assert run.target == "postgres"
    assert run.success, [(s.suite, s.message, [e.check for e in s.failed_checks]) for s in run.critical_failures]
    assert run.suite("marts__fct_laps").rows_validated == 415  # every lap of the file, counted in Postgres
    events = ecu_lap_events(data_dir / VIR_R1)
    lap_times = events[events["kind"] == "lap_time"]["value"]
    stg = run.suite("staging__gr_cup_lap_events")
    assert stg.outcome("GR Cup lost lap counter").unexpected_count == int((events["lap"] == 32768).sum()) == 49
    assert stg.outcome("GR Cup ECU lap time under 20 s").unexpected_count == int((lap_times < 20_000).sum())
    long = stg.outcome("GR Cup ECU lap time over 1 h")
    assert long.unexpected_count == int((lap_times > 3_600_000).sum())
    assert 7_127_986 in {r["lap_time_ms"] for r in long.examples}
    glitches = run.suite("marts__fct_laps_glitches")
    assert [e.unexpected_count for e in glitches.failed_checks] == [1]  # car 15's 439.798 s lap 3, an outlier
    assert Path(stg.report_path).exists()
