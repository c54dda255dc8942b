"""Every real session passes the critical quality suites; a corrupted copy (every time x3) still fails.

A failing critical check must mean a real defect, so the thresholds are held against all the real data:
all 10 GR Cup races and the 18 F1 2023 rounds (FastF1 exports) in one warehouse, the 107 Ergast races of
2020-2024 (lap_times) in another (their 2023 races are the same sessions as the exports). Each warehouse is
loaded and built once for the module.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from loaders.laps.model import Overrides
from tests.conftest import dbt
from tests.quality_support import load_laps

# One worker builds the module's warehouse once and runs its tests (pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("quality_all_real_sessions")

SPA_2023 = Path("f1_2023_fastf1") / "12_Spa-Francorchamps"
SCALED_ID = "f1-2023-belgian_grand_prix-race_times_x3"


def _warehouse(tmp: Path, name: str) -> pytest.MonkeyPatch:
    mp = pytest.MonkeyPatch()
    mp.setenv("LAPSTACK_TARGET", "duckdb")
    mp.setenv("LAPSTACK_DUCKDB_PATH", str(tmp / name / "lapstack.duckdb"))
    mp.setenv("DBT_TARGET_PATH", str(tmp / name / "dbt_target"))
    mp.setenv("DBT_LOG_PATH", str(tmp / name / "dbt_logs"))
    return mp


def _critical(run) -> list:
    return [(s.suite, [(e.check, e.unexpected_count, e.examples[:2]) for e in s.failed_checks])
            for s in run.critical_failures]


@pytest.fixture(scope="module")
def exports_and_gr_cup(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("all_real")
    mp = _warehouse(tmp, "exports")
    try:
        files = sorted((data_dir / "f1_2023_fastf1").glob("*/laps.csv"))
        files += sorted(p for p in (data_dir / "gr_cup").rglob("23_AnalysisEnduranceWithSections_*")
                        if "Samples" not in p.parts)
        assert len(files) == 28
        load_laps(files)
        dbt("build", "--exclude", "path:models/marts/telemetry")
        yield tmp
    finally:
        mp.undo()


@pytest.fixture(scope="module")
def ergast(tmp_path_factory: pytest.TempPathFactory, data_dir: Path) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("all_ergast")
    mp = _warehouse(tmp, "ergast")
    try:
        load_laps([data_dir / "ergast" / "lap_times_2020_2024.csv"])
        dbt("build", "--exclude", "path:models/marts/telemetry")
        yield tmp
    finally:
        mp.undo()


def _sessions(series: str | None = None) -> dict[str, int]:
    from core.warehouse import connect

    wh = connect()
    try:
        rows = wh.query("select series, count(*) from marts.dim_sessions group by series")
    finally:
        wh.close()
    return dict(rows)


def test_every_gr_cup_race_and_f1_2023_round_passes(exports_and_gr_cup: Path) -> None:
    from expectations.runner import run_quality

    mp = _warehouse(exports_and_gr_cup, "exports")
    try:
        assert _sessions() == {"f1": 18, "gr_cup": 10}
        run = run_quality(report_dir=exports_and_gr_cup / "report")
        assert run.success, _critical(run)
        fct = run.suite("marts__fct_laps")
        assert fct.outcome("f1: racing lap average speed within").success
        assert fct.outcome("gr_cup: the session's fastest racing lap averages").success
    finally:
        mp.undo()


def test_every_ergast_race_2020_2024_passes(ergast: Path) -> None:
    """Includes the 2021 Belgian GP (every lap behind the safety car, 241-245 s) and Monaco 2022 (wet)."""
    from core.warehouse import connect
    from expectations.runner import run_quality

    mp = _warehouse(ergast, "ergast")
    try:
        assert _sessions() == {"f1": 107}
        wh = connect()
        try:
            slowest = wh.query("select max(lap_time) from marts.fct_laps where is_racing_lap and season = 2021 "
                               "and event = 'Belgian Grand Prix'")[0][0]
        finally:
            wh.close()
        assert slowest > 240  # what the fixed 240 s bound refused
        run = run_quality(report_dir=ergast / "report")
        assert run.success, _critical(run)
    finally:
        mp.undo()


def test_times_scaled_x3_still_fail(exports_and_gr_cup: Path, data_dir: Path, tmp_path: Path) -> None:
    """A real session with every time x3 (a unit error) fails the critical suites; nothing else does."""
    from expectations.runner import run_quality

    folder = tmp_path / "12_Spa-Francorchamps"
    folder.mkdir()
    shutil.copy(data_dir / SPA_2023 / "race_info.csv", folder / "race_info.csv")
    frame = pd.read_csv(data_dir / SPA_2023 / "laps.csv", index_col=0)
    for column in ("LapTime", "Sector1Time", "Sector2Time", "Sector3Time"):
        frame[column] = (pd.to_timedelta(frame[column]) * 3).astype(str).where(frame[column].notna())
    frame.to_csv(folder / "laps.csv")
    mp = _warehouse(exports_and_gr_cup, "exports")
    try:
        load_laps([folder / "laps.csv"], Overrides(session="Race times x3"))
        dbt("run", "--select", "@fct_laps", "--exclude", "path:models/marts/telemetry")
        run = run_quality(report_dir=tmp_path / "report", suites=["marts.*"])
        assert not run.success
        best = run.suite("marts__fct_laps").outcome("f1: the session's fastest racing lap averages")
        assert not best.success and {r["session_id"] for r in best.examples} == {SCALED_ID}
        for suite in run.critical_failures:
            for failed in suite.failed_checks:
                assert {r["session_id"] for r in failed.examples} == {SCALED_ID}, (suite.suite, failed.check)
    finally:
        mp.undo()
