"""The race picture on real data: positions at the line against the official classification, stints, pit stops."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.cli import main
from core.warehouse import connect
from tests.conftest import dbt
from tests.race_classification import classification_check

# One worker builds the module's warehouse once and runs its tests (pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("race_picture")

F1_SIDE_FILES = ("laps.csv", "results.csv", "weather_data.csv", "track_status.csv")
ERGAST_FILES = ("pit_stops.csv", "races.csv", "drivers.csv", "results.csv", "sprint_results.csv",
                "driver_standings.csv", "constructors.csv", "status.csv")
# The issue-18 marts beyond the race marts: conditions, season tables, lap activity.
CONDITION_SEASON_ACTIVITY_MARTS = ("session_conditions", "session_track_events", "championship_standings",
                                   "driver_season_stats", "track_laps_daily", "track_laps_hourly",
                                   "series_laps_monthly")


@pytest.fixture(scope="module")
def race_warehouse(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """Every real GR Cup race and F1 2023 round with its official side files, plus the Ergast tables (pit stops,
    results, sprint results, driver standings and their reference tables)."""
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
            *(f"+{name}" for name in CONDITION_SEASON_ACTIVITY_MARTS), "--indirect-selection", "cautious")
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


# --- conditions, season tables, lap activity (issue 18) ---------------------------------------------------------


def test_championship_points_after_each_2023_round_equal_ergast(race_warehouse, data_dir: Path) -> None:
    """Done-when of issue 18: the computed points after every 2023 round equal Ergast's driver_standings, and so do
    the positions except where the data itself shows a tie the results' countback cannot separate."""
    import pandas as pd

    from tests.conditions_season_oracle import ergast_points_after_each_round, ergast_standings

    ours = race_warehouse.query_df(
        "select round_number, driver, points, position, official_points, official_position, matches, reason "
        "from marts.championship_standings where series = 'f1' and season = 2023")
    official = ergast_standings(data_dir, 2023)
    assert sorted(ours["round_number"].unique()) == list(range(1, 23))
    merged = ours.merge(official, left_on=["round_number", "driver"], right_on=["round", "driverRef"], how="outer")
    assert len(merged) == len(official) == len(ours) == 462
    assert (merged["points_x"] == merged["points_y"]).all()
    # The same points summed independently from Ergast results + sprint results in pandas.
    summed = ergast_points_after_each_round(data_dir, 2023)
    check = ours.merge(summed, left_on=["round_number", "driver"], right_on=["round", "driverRef"])
    assert len(check) == 462 and (check["points_x"] == check["points_y"]).all()
    differing = merged[merged["position_x"] != merged["position_y"]]
    assert set(differing["reason"]) == {"tie_order"} and len(differing) == 2
    for _, row in differing.iterrows():  # the tie is in the record itself: same points, both positions
        same = official[(official["round"] == row["round_number"]) & (official["points"] == row["points_y"])]
        assert len(same) >= 2 and row["position_x"] in set(same["position"])
    assert merged.loc[merged["position_x"] == merged["position_y"], "matches"].all()
    assert pd.isna(merged.loc[merged["matches"], "reason"]).all()
    # Every difference over all loaded seasons carries its reason (the dbt test `reconciled` enforces it too).
    assert race_warehouse.query(
        "select count(*) from marts.championship_standings where not matches and reason is null") == [(0,)]


def test_driver_season_stats_equal_ergast_2023(race_warehouse, data_dir: Path) -> None:
    from tests.conditions_season_oracle import ergast_season_results

    grand_prix, sprint = ergast_season_results(data_dir, 2023)
    expected = {
        ref: (len(g), int((g["position"] == 1).sum()), int((g["position"] <= 3).sum()),
              float(g["points"].sum() + sprint.loc[sprint["driverRef"] == ref, "points"].sum()),
              int((g["rank"] == 1).sum()))
        for ref, g in grand_prix.groupby("driverRef")}
    rows = race_warehouse.query(
        "select driver, starts, wins, podiums, points, fastest_laps from marts.driver_season_stats "
        "where series = 'f1' and season = 2023")
    assert {r[0]: tuple(r[1:]) for r in rows} == expected
    # Verstappen 2023: 22 starts, 19 wins, 21 podiums, 575 points, 9 fastest laps; fastest green-flag pace.
    assert race_warehouse.query(
        "select starts, wins, podiums, points, fastest_laps, green_flag_pace_rank from marts.driver_season_stats "
        "where season = 2023 and driver = 'max_verstappen'") == [(22, 19, 21, 575.0, 9, 1)]
    # GR Cup results carry no points: null, never invented; starts are its results rows.
    gr = race_warehouse.query(
        "select count(*), count(points), max(starts) from marts.driver_season_stats where series = 'gr_cup'")
    assert gr[0][0] > 20 and gr[0][1] == 0 and gr[0][2] == 10


def test_session_conditions_equal_the_raw_weather_and_track_status(race_warehouse, data_dir: Path) -> None:
    from tests.conditions_season_oracle import track_status_counts, weather_summary

    files = race_warehouse.query(
        "select _source_file, min(_session_id) from raw.fastf1_weather group by 1 union all "
        "select _source_file, min(_session_id) from raw.gr_cup_weather group by 1")
    marts = race_warehouse.query_df("select * from marts.session_conditions").set_index("session_id")
    assert len(files) == 18 + 9 and set(marts.index) >= {sid for _, sid in files}
    for source_file, session_id in files:
        path = Path(source_file)
        gr_cup = path.name.startswith("26_")
        expected = weather_summary(path, ";" if gr_cup else ",", "AIR_TEMP" if gr_cup else "AirTemp",
                                   "RAIN" if gr_cup else "Rainfall")
        if not gr_cup:
            expected |= track_status_counts(path.parent / "track_status.csv")
        row = marts.loc[session_id]
        for column, value in expected.items():
            assert abs(row[column] - value) < 0.0006, (session_id, column, row[column], value)
        if gr_cup:  # no track-status feed: unknown, not zero
            assert row[["status_periods", "sc_periods", "red_periods"]].isna().all(), session_id
    # Zandvoort 2023 was the wet race: rain in 23% of the samples and one red flag.
    dutch = marts.loc["f1-2023-dutch_grand_prix-race"]
    assert dutch["had_rain"] and round(dutch["rain_share"], 2) == 0.23 and dutch["red_periods"] == 1
    # The Bahrain VSC covers laps 40-41 (the laps that ended while it was out).
    assert race_warehouse.query(
        "select first_lap_number, last_lap_number from marts.session_track_events "
        "where session_id = 'f1-2023-bahrain_grand_prix-race' and status_code = '6'") == [(40, 41)]


def test_lap_activity_marts_equal_a_pandas_count_of_the_raw_laps(race_warehouse, data_dir: Path) -> None:
    import pandas as pd

    from tests.conditions_season_oracle import fastf1_lap_times

    races = pd.read_csv(data_dir / "ergast" / "races.csv", usecols=range(8), na_values=["\\N"])
    dates = dict(races.loc[races["year"] == 2023, ["name", "date"]].itertuples(index=False))
    folders = sorted(p.parent for p in (data_dir / "f1_2023_fastf1").glob("*/laps.csv"))
    laps = pd.concat(fastf1_lap_times(folder, dates) for folder in folders)
    daily = laps.groupby(["track", "day"]).agg(laps=("Driver", "size"), drivers=("Driver", "nunique"))
    ours = race_warehouse.query_df(
        "select track, activity_date as day, laps, drivers from marts.track_laps_daily "
        "where track in (select event from marts.dim_sessions where series = 'f1')")
    ours["day"] = pd.to_datetime(ours["day"]).dt.date
    assert ours.set_index(["track", "day"]).sort_index().astype(int).equals(daily.sort_index().astype(int))
    hourly = laps.dropna(subset=["hour"]).groupby(["track", "hour"]).agg(
        laps=("Driver", "size"), drivers=("Driver", "nunique"))
    ours = race_warehouse.query_df(
        "select track, hour_start as hour, laps, drivers from marts.track_laps_hourly "
        "where track in (select event from marts.dim_sessions where series = 'f1')")
    assert ours.set_index(["track", "hour"]).sort_index().astype(int).equals(hourly.sort_index().astype(int))
    laps["month"] = [pd.Timestamp(d).to_period("M").start_time.date() for d in laps["day"]]
    monthly = laps.groupby("month").agg(laps=("Driver", "size"), drivers=("Driver", "nunique"))
    ours = race_warehouse.query_df(
        "select month_start as month, laps, drivers from marts.series_laps_monthly where series = 'f1'")
    ours["month"] = pd.to_datetime(ours["month"]).dt.date
    assert ours.set_index("month").sort_index().astype(int).equals(monthly.sort_index().astype(int))
    # Every GR Cup lap (lap >= 1, not the lost counter 32768) has a UTC start from the ECU offset: all are counted.
    gr_cup = 0
    for path in (data_dir / "gr_cup").rglob("23_AnalysisEnduranceWithSections_*.CSV"):
        if "Samples" not in path.parts:
            frame = pd.read_csv(path, sep=";", encoding="utf-8-sig")
            frame.columns = [c.strip() for c in frame.columns]
            gr_cup += int(((frame["LAP_NUMBER"] >= 1) & (frame["LAP_NUMBER"] != 32768)).sum())
    assert race_warehouse.query("select sum(laps) from marts.series_laps_monthly where series = 'gr_cup'") == [
        (gr_cup,)]


def test_readme_condition_season_activity_questions(race_warehouse) -> None:
    """The README's examples for these marts, with their real answers."""
    import datetime

    from commands.mart_examples import EXAMPLES

    sql = {e.name: e.sql for e in EXAMPLES}
    conditions = {r[0]: r for r in race_warehouse.query(sql["season_conditions"], ("f1", 2023))}
    assert len(conditions) == 18 and conditions["Dutch Grand Prix"][4] is True
    assert [r[1:] for r in race_warehouse.query(sql["neutralised_laps"], ("f1-2023-bahrain_grand_prix-race",))
            if r[1] == "vsc"][0][4:] == (40, 41)
    assert race_warehouse.query(sql["standings_after_round"], ("f1", 2023, 22, 3)) == [
        (1, "max_verstappen", 575.0, 19, 575.0, 1, True), (2, "perez", 285.0, 2, 285.0, 2, True),
        (3, "hamilton", 234.0, 0, 234.0, 3, True)]
    assert race_warehouse.query(sql["season_drivers"], ("f1", 2023))[0][:7] == (
        "max_verstappen", 22, 19, 21, 575.0, 1.273, 9)
    days = race_warehouse.query(sql["laps_per_day"], (datetime.date(2023, 11, 1),))
    assert ("Las Vegas Grand Prix", datetime.date(2023, 11, 19)) in {r[:2] for r in days}
    hours = race_warehouse.query(sql["laps_per_hour"], ("Las Vegas Grand Prix",))
    assert [r[0].hour for r in hours] == [6, 7] and max(r[3] for r in hours) == 20
    months = race_warehouse.query(sql["laps_per_month"], ("gr_cup",))
    assert len(months) == 5 and all(r[1] == 1 and r[2] == 2 for r in months)
