"""The lap activity marts' incremental window on DuckDB and Postgres: a build re-aggregates buckets with laps
loaded since the last build plus the lookback, leaves older buckets alone, and a rebuild range redoes exactly
that range. The same warehouse also checks the season and conditions marts on each target against the files."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from commands.cli import main
from tests.conditions_season_oracle import ergast_points_after_each_round, fastf1_lap_times, weather_summary
from tests.conftest import dbt
from tests.warehouse_support import q, run

F1 = Path("f1_2023_fastf1")
VEGAS, BAHRAIN = F1 / "21_Las Vegas", F1 / "1_Sakhir"
BARBER = Path("gr_cup") / "barber"
BARBER_RACE_1 = ("23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV", "26_Weather_Race 1_Anonymized.CSV",
                 "R1_barber_lap_end.csv")
# races.csv dates the few FastF1 laps without LapStartDate (the oracle does the same).
ERGAST = ("races.csv",)
ACTIVITY = {"track_laps_daily": ("activity_date", "track"), "track_laps_hourly": ("hour_start", "track"),
            "series_laps_monthly": ("month_start", "series")}
# `dbt run`, not build: the marts' data tests run in tests/test_race_picture.py; here only the window matters.
SELECT = ("--select", *(f"+{m}" for m in ACTIVITY))
MARTS_ONLY = ("--select", *ACTIVITY)
SEASON_SELECT = ("--select", "+championship_standings", "+session_conditions")


def _f1_files(data_dir: Path, folder: Path) -> list[str]:
    return [str(data_dir / folder / n) for n in ("laps.csv", "results.csv", "weather_data.csv", "track_status.csv")]


def _snapshot() -> dict[str, list[tuple]]:
    return {m: q(f"select * from marts.{m} order by {', '.join(keys)}") for m, keys in ACTIVITY.items()}


def _tamper(bucket_filter: str) -> None:
    """Overwrite a bucket's laps in every activity mart, as a stale row would look."""
    for mart, (bucket, key) in ACTIVITY.items():
        run(f"update marts.{mart} set laps = -1 where {bucket_filter.format(bucket=bucket, key=key)}")


def _laps_of(mart: str, where: str) -> list[int]:
    bucket, key = ACTIVITY[mart]
    return [r[0] for r in q(f"select laps from marts.{mart} where {where.format(bucket=bucket, key=key)} "
                            f"order by {bucket}")]


@pytest.mark.parametrize("target", ["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_lookback_new_loads_and_rebuild_range(target: str, data_dir: Path, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue(f"{target}_env")
    ergast = [str(data_dir / "ergast" / n) for n in ERGAST]
    barber = [str(data_dir / BARBER / n) for n in BARBER_RACE_1]
    # Las Vegas first: its laps are the older load, so only the lookback could re-aggregate its buckets.
    # (races.csv with it: a side file touching a session re-stamps that session's laps.)
    assert main(["load", *_f1_files(data_dir, VEGAS), *ergast]) == 0
    # Load times are stamped to the second and the window re-aggregates buckets loaded at (>=) the last build's
    # latest load time: keep Las Vegas strictly older than Barber.
    time.sleep(1.1)
    assert main(["load", *barber]) == 0
    dbt("run", *SELECT)
    vegas = "{key} in ('Las Vegas Grand Prix', 'f1')"
    latest = "{key} in ('barber', 'gr_cup')"
    # Barber (2025) is the latest bucket of every mart; Las Vegas (2023) is beyond every lookback.
    _tamper(vegas)
    _tamper(latest)
    assert main(["load", *_f1_files(data_dir, BAHRAIN)]) == 0
    dbt("run", *SELECT)
    races = pd.read_csv(data_dir / "ergast" / "races.csv", usecols=range(8), na_values=["\\N"])
    dates = dict(races.loc[races["year"] == 2023, ["name", "date"]].itertuples(index=False))
    bahrain = fastf1_lap_times(data_dir / BAHRAIN, dates)
    # The new load's day is built from the raw laps; the lookback rebuilt the latest buckets; Las Vegas stayed stale.
    assert q("select laps, drivers from marts.track_laps_daily where track = 'Bahrain Grand Prix'") == [
        (len(bahrain), bahrain["Driver"].nunique())]
    # per hour too: the marts sum the per-session, driver and hour ledger, and a driver on track in two hours
    # counts once in the day above
    hourly = bahrain.dropna(subset=["hour"]).groupby("hour")["Driver"].agg(["size", "nunique"])
    assert [(f"{h:%Y-%m-%d %H}", n, d) for h, n, d in q(
        "select hour_start, laps, drivers from marts.track_laps_hourly where track = 'Bahrain Grand Prix' "
        "order by hour_start")] == [(f"{h:%Y-%m-%d %H}", n, d) for h, (n, d) in hourly.iterrows()]
    assert all(n > 0 for m in ACTIVITY for n in _laps_of(m, latest))
    assert _laps_of("track_laps_daily", vegas) == [-1]
    assert set(_laps_of("track_laps_hourly", vegas)) == {-1}
    # A deleted driver re-stamps his session: its buckets are re-aggregated without him; a deleted session's
    # buckets, with no laps left, are dropped.
    assert main(["delete", "driver", "f1-2023-bahrain_grand_prix-race", "VER"]) == 0
    assert main(["delete", "session", "gr_cup-2025-barber-race_1"]) == 0
    # the season and conditions marts come with this run (checked at the end: the runs after it touch only the
    # activity marts): one dbt invocation fewer on each target
    dbt("run", *SELECT, *SEASON_SELECT[1:])
    without = bahrain[bahrain["Driver"] != "VER"]
    assert q("select laps, drivers from marts.track_laps_daily where track = 'Bahrain Grand Prix'") == [
        (len(without), without["Driver"].nunique())]
    assert all(_laps_of(m, latest) == [] for m in ACTIVITY)
    # A rebuild range redoes exactly [from, to): Las Vegas' race day, its hours and the month of November 2023.
    dbt("run", *MARTS_ONLY, "--vars", "{telemetry_rebuild_from: '2023-11-01', telemetry_rebuild_to: '2023-11-30'}")
    rebuilt = _snapshot()
    dbt("run", "--full-refresh", *MARTS_ONLY)
    assert rebuilt == _snapshot()
    assert _laps_of("track_laps_daily", vegas) == [len(fastf1_lap_times(data_dir / VEGAS, dates))]

    # The season and conditions marts on the same target. With only the FastF1 results of Bahrain (round 1) and
    # Las Vegas loaded, the standings after Bahrain equal Ergast's after round 1 (summed from its results in pandas).
    summed = ergast_points_after_each_round(data_dir, 2023)
    ours = q("select driver, points from marts.championship_standings where season = 2023 and round_number = 1")
    first = summed[summed["round"] == 1]
    assert sorted(ours) == sorted(first[["driverRef", "points"]].itertuples(index=False, name=None))
    expected = weather_summary(data_dir / BAHRAIN / "weather_data.csv", ",", "AirTemp", "Rainfall")
    row = q(f"select {', '.join(expected)} from marts.session_conditions "
            "where session_id = 'f1-2023-bahrain_grand_prix-race'")[0]
    assert all(abs(a - b) < 0.0006 for a, b in zip(row, expected.values(), strict=True)), (row, expected)
