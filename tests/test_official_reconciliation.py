"""lapstack against the official record on every real session that has one: 100% matches or a named reason.

Three warehouses, each loaded once per module from the real files and built with dbt (whose `reconciled`
test already fails the build on an unexplained difference):
* GR Cup (10 races: laps, results, best-10 lists) and F1 2023 (18 races: FastF1 laps and results, Ergast
  results, which share the races' session ids);
* Ergast lap_times 2020-2024 (107 races) against Ergast results;
* the FastF1 recorded qualifying sessions (the API's Q1/Q2/Q3) imported through the replay.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from core.warehouse import connect
from loaders.dispatch import load_everything
from loaders.laps.model import Overrides
from tests.conftest import dbt
from tests.test_fastf1_helpers import forbid_network, lapstack, replay_dir

# One worker builds the module's warehouse once and runs its tests (pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("official_reconciliation")

ERGAST_REFERENCE = ("races.csv", "drivers.csv", "status.csv", "results.csv")
QUALIFYING = [(2019, 14, "Qualifying"), (2021, 18, "Qualifying"), (2022, 2, "Qualifying"), (2023, 4, "Qualifying"),
              (2023, 4, "Sprint Shootout"), (2024, 5, "Sprint Qualifying"), (2024, 10, "Qualifying")]


def _warehouse(tmp_path_factory: pytest.TempPathFactory, name: str, fill) -> Path:
    tmp = tmp_path_factory.mktemp(name)
    db = tmp / "warehouse" / "lapstack.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAPSTACK_TARGET", "duckdb")
        mp.setenv("LAPSTACK_DUCKDB_PATH", str(db))
        mp.setenv("DBT_TARGET_PATH", str(tmp / "dbt_target"))
        mp.setenv("DBT_LOG_PATH", str(tmp / "dbt_logs"))
        mp.setenv("LAPSTACK_FASTF1_CACHE", str(tmp / "fastf1_cache"))
        fill(mp)
        dbt("build", "--selector", "lap_path")
    return db


def _load(paths: list[Path]) -> None:
    wh = connect()
    try:
        _, _, errors = load_everything(wh, paths, Overrides())
    finally:
        wh.close()
    assert not errors, errors


def _q(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def _report(db: Path, label: str) -> dict[tuple, int]:
    rows = _q(db, "select measure, coalesce(reason, case when matches then 'match' else 'UNEXPLAINED' end), "
                  "count(*) from marts.session_reconciliation group by all order by all")
    print(f"\n{label}: reconciliation per measure and reason")
    for measure, reason, n in rows:
        print(f"  {measure:16} {reason:28} {n}")
    return {(m, r): n for m, r, n in rows}


def _unexplained(db: Path) -> list[tuple]:
    return _q(db, "select session_id, driver, measure, official_value, lapstack_value "
                  "from marts.session_reconciliation where not matches and reason is null")


@pytest.fixture(scope="module")
def gr_cup_and_f1(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    def fill(_mp):
        files = [p for p in (data_dir / "gr_cup").rglob("*") if p.is_file() and "Samples" not in p.parts
                 and p.name[:3] in ("23_", "00_", "03_", "05_", "99_")]
        files += [p for p in (data_dir / "f1_2023_fastf1").glob("*/*.csv") if p.name in ("laps.csv", "results.csv")]
        files += [data_dir / "ergast" / name for name in ERGAST_REFERENCE]
        _load(files)
    return _warehouse(tmp_path_factory, "recon_gr_f1", fill)


@pytest.fixture(scope="module")
def ergast(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    def fill(_mp):
        _load([data_dir / "ergast" / name for name in ("lap_times_2020_2024.csv", "pit_stops.csv",
                                                       *ERGAST_REFERENCE)])
    return _warehouse(tmp_path_factory, "recon_ergast", fill)


@pytest.fixture(scope="module")
def qualifying(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    replay = replay_dir(data_dir)

    def fill(mp):
        forbid_network(mp)
        for season, rnd, session in QUALIFYING:
            assert lapstack("fastf1", "import", "--season", season, "--round", rnd, "--session", session,
                            "--replay", replay) == 0
    return _warehouse(tmp_path_factory, "recon_quali", fill)


def test_gr_cup_and_f1_2023_reconcile_with_the_timing_sheets(gr_cup_and_f1: Path) -> None:
    counts = _report(gr_cup_and_f1, "GR Cup + F1 2023")
    assert _unexplained(gr_cup_and_f1) == []
    coverage = dict(((series, measure), n) for series, measure, n in _q(
        gr_cup_and_f1, "select series, measure, count(distinct session_id) from marts.session_reconciliation "
                       "group by all"))
    for measure in ("fastest_lap", "laps_completed", "position", "best_10_average"):
        assert coverage[("gr_cup", measure)] == 10, measure
    for measure in ("fastest_lap", "laps_completed", "position"):
        assert coverage[("f1", measure)] == 18, measure
    # Fastest laps and lap counts match everywhere but the named exceptions.
    assert counts[("laps_completed", "match")] == 272 + 360
    fastest_reasons = {r for (m, r) in counts if m == "fastest_lap"} - {"match"}
    assert fastest_reasons <= {"ambiguous_car_number", "disqualified"}


def test_the_timing_sheet_cases_of_issue_13(gr_cup_and_f1: Path) -> None:
    best = {(s, d): (t, n) for s, d, t, n in _q(gr_cup_and_f1, "select session_id, driver, best_lap_time, "
                                                               "best_lap_number from marts.session_driver_stats")}
    assert best[("gr_cup-2025-vir-race_1", "98")] == pytest.approx((135.206, 2))  # not the start lap 1
    assert best[("gr_cup-2025-vir-race_1", "89")] == (None, None)  # only a start lap: no official fastest lap
    assert best[("gr_cup-2025-cota-race_1", "47")] == pytest.approx((149.846, 10))  # lap 7 refused
    # Retirements: the unfinished lap is not completed (FastF1 generated lap / never reached the line).
    completed = dict(((s, d), n) for s, d, n in _q(gr_cup_and_f1, "select session_id, driver, laps_completed "
                                                                   "from marts.session_driver_stats"))
    assert completed[("f1-2023-bahrain_grand_prix-race", "LEC")] == 39
    assert completed[("f1-2023-canadian_grand_prix-race", "RUS")] == 53
    # Green-flag pace sits beside the official best, and the optimal lap never exceeds the lap it improves on.
    assert _q(gr_cup_and_f1, "select count(*) from marts.session_driver_stats "
                             "where optimal_lap_time > pace_best_lap_time + 0.0005") == [(0,)]


def test_ergast_lap_times_reconcile_with_ergast_results(ergast: Path) -> None:
    counts = _report(ergast, "Ergast 2020-2024")
    assert _unexplained(ergast) == []
    assert _q(ergast, "select count(distinct session_id) from marts.session_reconciliation "
                      "where measure = 'laps_completed'") == [(107,)]
    published = _q(ergast, "select count(distinct session_id) from marts.session_results "
                           "where official_fastest_lap_time is not null")
    assert _q(ergast, "select count(distinct session_id) from marts.session_reconciliation "
                      "where measure = 'fastest_lap'") == published
    assert counts[("fastest_lap", "deleted_laps_not_shipped")] > 0  # Ergast keeps deleted laps


def test_fastf1_qualifying_best_laps_equal_the_official_q_times(qualifying: Path) -> None:
    counts = _report(qualifying, "FastF1 recorded qualifying")
    assert _unexplained(qualifying) == []
    assert set(counts) == {("fastest_lap", "match")}
    sessions = _q(qualifying, "select count(distinct session_id) from marts.session_reconciliation")
    assert sessions == [(len(QUALIFYING),)]
    # Bottas' Q3 lap carries a pit-in time (he crossed the line first): it is his official best.
    bottas = _q(qualifying, "select best_lap_time, best_lap_number from marts.session_driver_stats "
                            "where session_id = 'f1-2019-italian_grand_prix-qualifying' and driver = 'BOT'")
    assert bottas == [pytest.approx((79.354, 13))]
