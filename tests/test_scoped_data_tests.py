"""Data tests scale with the change (issue 15): `lapstack build` tests only the sessions it rebuilds, the
Dagster full-scope job tests every row.

Two real sessions (GR Cup Barber Race 1, the 2023 Las Vegas GP). A corrupted mart row of Las Vegas, which the
next build does not rebuild, is not read by that build's tests (the build passes and the row is still there),
and the full-scope job's check on it fails; a corrupted raw lap of Barber, which the build rebuilds, fails it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from commands.cli import main
from core.dbt_runner import run_dbt
from tests.orchestration_support import fresh_instance, private_manifest_env
from tests.warehouse_support import q, run

BARBER = "gr_cup-2025-barber-race_1"
VEGAS = "f1-2023-las_vegas_grand_prix-race"
FILES = ("gr_cup/barber/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV", "f1_2023_fastf1/21_Las Vegas/laps.csv")
SELECT = "+session_driver_stats"
BEST_LAP_TEST = "accepted_range_session_driver_stats_best_lap_time__3600__0"
LAP_TIME_TEST = "accepted_range_fct_laps_lap_time__0"


@pytest.fixture(scope="module", autouse=True)
def orchestration_manifest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from private_manifest_env(tmp_path_factory)


def _failed_tests(run_results: Path) -> set[str]:
    results = json.loads(run_results.read_text())["results"]
    return {r["unique_id"].split(".")[2] for r in results if r["status"] in ("fail", "error")}


def test_scoped_build_skips_sessions_it_did_not_rebuild_and_full_scope_job_does_not(
        data_dir: Path, duckdb_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from core.rebuilt_sessions import sessions_to_rebuild
    from core.warehouse import connect

    monkeypatch.setenv("DBT_INDIRECT_SELECTION", "buildable")  # only tests whose every parent is built here
    assert main(["load", "laps", *(str(data_dir / f) for f in FILES)]) == 0
    assert main(["build", "--select", SELECT]) == 0  # first build: no marts yet, every row tested
    # Las Vegas' best lap of PIA (1:35.490 in the official timing) made impossible, in the mart itself
    assert q("select round(best_lap_time, 3) from marts.session_driver_stats where session_id = ? and driver = ?",
             (VEGAS, "PIA")) == [(95.49,)]
    run("update marts.session_driver_stats set best_lap_time = -1 where session_id = ? and driver = ?", (VEGAS, "PIA"))
    # Barber changes (a driver removed re-stamps the session), Las Vegas does not
    assert main(["delete", "driver", BARBER, "13"]) == 0
    wh = connect()
    try:
        assert sessions_to_rebuild(wh) == [BARBER]
    finally:
        wh.close()
    assert main(["build", "--select", SELECT]) == 0  # scoped to Barber: the Las Vegas row is not read
    assert q("select best_lap_time from marts.session_driver_stats where session_id = ? and driver = ?",
             (VEGAS, "PIA")) == [(-1.0,)]
    assert q("select count(*) from marts.session_driver_stats where session_id = ? and driver = '13'",
             (BARBER,)) == [(0,)]  # Barber was rebuilt by that build

    # Plain dbt (no scope) reads every row and fails on it ...
    plain = run_dbt(["test", "--select", "session_driver_stats"], capture=True)
    assert plain.returncode == 1 and BEST_LAP_TEST in _failed_tests(tmp_path / "dbt_target" / "run_results.json")
    # ... and so does the Dagster full-scope job (checks only, nothing built)
    instance = fresh_instance(tmp_path, monkeypatch)
    from orchestration.definitions import defs

    result = defs.resolve_job_def("data_tests_full_job").execute_in_process(instance=instance, raise_on_error=False)
    evaluations = {e.asset_check_evaluation_data.check_name: e.asset_check_evaluation_data.passed
                   for e in result.all_events if e.event_type_value == "ASSET_CHECK_EVALUATION"}
    assert evaluations[BEST_LAP_TEST] is False
    assert evaluations[LAP_TIME_TEST] is True and len(evaluations) > 100
    assert not result.asset_materializations_for_node("dbt_models")  # nothing was rebuilt

    # A corrupted raw lap of Barber, rebuilt by the next build, fails that build's scoped tests; the Las Vegas
    # row is still not read (its test passes: it reads no Las Vegas row).
    run("update raw.gr_cup_laps set lap_time = '-5' where _session_id = ? and _source_line = "
        "(select min(_source_line) from raw.gr_cup_laps where _session_id = ?)", (BARBER, BARBER))
    assert main(["delete", "driver", BARBER, "2"]) == 0
    assert main(["build", "--select", SELECT]) == 1
    failed = _failed_tests(tmp_path / "dbt_target" / "run_results.json")
    assert LAP_TIME_TEST in failed and BEST_LAP_TEST not in failed, failed
