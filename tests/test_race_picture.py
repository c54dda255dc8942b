"""The race picture on real data: positions at the line against the official classification, stints, pit stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.cli import main
from core.warehouse import connect
from tests.conftest import dbt
from tests.race_classification import classification_check

F1_SIDE_FILES = ("laps.csv", "results.csv", "weather_data.csv", "track_status.csv")
ERGAST_FILES = ("pit_stops.csv", "races.csv", "drivers.csv")


@pytest.fixture(scope="module")
def race_warehouse(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """Every real GR Cup race and F1 2023 round with its official side files, plus Ergast pit stops."""
    tmp = tmp_path_factory.mktemp("race_picture")
    env = {"LAPSTACK_TARGET": "duckdb", "LAPSTACK_DUCKDB_PATH": str(tmp / "lapstack.duckdb"),
           "DBT_TARGET_PATH": str(tmp / "dbt_target"), "DBT_LOG_PATH": str(tmp / "dbt_logs")}
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        gr_cup = [p for p in (data_dir / "gr_cup").rglob("*") if p.is_file() and "Samples" not in p.parts
                  and (p.name[:3] in ("23_", "03_", "00_", "26_") or "lap_end" in p.name)]
        f1 = [p for p in sorted((data_dir / "f1_2023_fastf1").glob("*/*.csv")) if p.name in F1_SIDE_FILES]
        ergast = [data_dir / "ergast" / name for name in ERGAST_FILES]
        assert main(["load", *map(str, gr_cup + f1 + ergast)]) == 0
        dbt("build", "--select", "+lap_positions", "+driver_stints", "+pit_stops", "stg_gr_cup__results",
            "--indirect-selection", "cautious")
        wh = connect()
        try:
            yield wh
        finally:
            wh.close()


def test_final_lap_positions_equal_the_official_classification(race_warehouse) -> None:
    compared, mismatches, exceptions = classification_check(race_warehouse)
    assert mismatches == []
    # 28 real races with an official classification; every classified finisher compared or excused for a reason
    # the official record itself gives.
    assert compared >= 500, compared
    reasons = {reason.split(":")[0] for _, _, reason in exceptions}
    assert reasons <= {
        "lapped, no official time", "not the record of these laps", "took the flag, not classified (disqualified)",
        "car number shared by two entries, paired the other way round",
        "placed by the record behind slower cars (stewards' decision)"}, reasons
    assert len(exceptions) <= 20, exceptions


def test_race_picture_columns_on_real_laps(race_warehouse) -> None:
    rows = dict(race_warehouse.query(
        "select source_format, count(*) from marts.fct_laps where position is not null group by source_format"))
    assert rows["gr_cup"] > 5000 and rows["fastf1_laps"] > 19000
    # FastF1's own Position agrees with the order derived at the line (a lap with a FastF1 Position always has one).
    assert race_warehouse.query(
        "select count(*) from marts.fct_laps where source_format = 'fastf1_laps' and compound is null") == [(0,)]
    statuses = {r[0] for r in race_warehouse.query("select distinct track_status from marts.fct_laps")}
    assert statuses <= {"green", "yellow", "sc", "vsc", "red", None}
    assert {"green", "sc", "vsc", "red", "yellow"} <= statuses
    # Weather at the lap on both clocks (FastF1 session time; GR Cup UTC derived from the ECU lap events).
    weather = dict(race_warehouse.query(
        "select source_format, count(air_temp_c) from marts.fct_laps group by source_format"))
    assert weather["gr_cup"] > 4000 and weather["fastf1_laps"] > 19000
    # Verstappen, Bahrain 2023: started on softs and led at the flag.
    assert race_warehouse.query(
        "select compound, team, position from marts.fct_laps "
        "where session_id = 'f1-2023-bahrain_grand_prix-race' and driver = 'VER' and lap_number = 57") == [
        ("HARD", "Red Bull Racing", 1)]



def test_pit_stop_counts_equal_ergast(race_warehouse) -> None:
    """Stops seen in the FastF1 laps (pit-in then pit-out) per driver equal Ergast `pit_stops` for every 2023 race
    present in both (FastF1's DriverId is Ergast's driverRef)."""
    rows = race_warehouse.query("""
        with ours as (select session_id, driver, count(*) as stops from marts.pit_stops group by session_id, driver),
        ergast as (
            select session_id, driver, count(*) as stops from staging.stg_ergast__pit_stops
            group by session_id, driver
        ),
        drivers as (
            select r.session_id, r.driver, r.driver_id from staging.stg_fastf1__results as r
            where r.session_id in (select session_id from ergast)
              and r.session_id in (select session_id from marts.dim_sessions)
        )
        select d.session_id, d.driver, coalesce(o.stops, 0), coalesce(e.stops, 0)
        from drivers as d
        left join ours as o on d.session_id = o.session_id and d.driver = o.driver
        left join ergast as e on d.session_id = e.session_id and d.driver_id = e.driver
    """)
    assert len({r[0] for r in rows}) == 18 and len(rows) >= 350
    assert [r for r in rows if r[2] != r[3]] == []
    # Where Ergast times the stop, its duration is the pit-lane time FastF1's in/out times give (to 0.6 s).
    far = race_warehouse.query(
        "select count(*) from marts.pit_stops where ergast_duration is not null and ergast_duration < 60 "
        "and abs(pit_lane_time - ergast_duration) > 0.6")
    assert far == [(0,)]


def test_driver_stints_on_real_laps(race_warehouse) -> None:
    # Verstappen, Bahrain 2023: soft 1-14, soft 15-36, hard 37-57.
    assert race_warehouse.query(
        "select stint, compound, first_lap, last_lap, laps from marts.driver_stints "
        "where session_id = 'f1-2023-bahrain_grand_prix-race' and driver = 'VER' order by stint") == [
        (1, "SOFT", 1, 14, 14), (2, "SOFT", 15, 36, 22), (3, "HARD", 37, 57, 21)]
    # Every lap belongs to exactly one stint.
    assert race_warehouse.query("""
        select count(*) from marts.fct_laps where lap_number >= 1 and not is_lost_counter""") == \
        race_warehouse.query("select sum(laps) from marts.driver_stints")


def test_readme_race_questions(race_warehouse) -> None:
    """The README's "Questions the marts answer" examples for the race marts, with their real answers."""
    from commands.mart_examples import EXAMPLES

    sql = {e.name: e.sql for e in EXAMPLES}
    bahrain = "f1-2023-bahrain_grand_prix-race"
    trace = race_warehouse.query(sql["race_trace"], (bahrain, 3))
    # The official 2023 Bahrain result: Verstappen, Perez +11.987, Alonso +38.637.
    assert [(r[1], r[2], round(r[3], 3)) for r in trace if r[0] == 57] == [
        ("VER", 1, 0.0), ("PER", 2, 11.987), ("ALO", 3, 38.637)]
    stints = race_warehouse.query(sql["stint_degradation"], (bahrain,))
    assert [r[:5] for r in stints if r[0] == "VER"] == [
        ("VER", 1, "SOFT", 1, 14), ("VER", 2, "SOFT", 15, 36), ("VER", 3, "HARD", 37, 57)]
    losses = race_warehouse.query(sql["pit_stop_losses"], (bahrain,))
    assert losses[0][0] == "LEC" and losses[0][1] == 2 and abs(losses[0][2] - 24.4605) < 0.001
