"""Telemetry marts and `compare` on DuckDB and Postgres, each checked against pandas on the real data."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import dbt
from tests.private_warehouse import private_duckdb
from tests.test_telemetry_support import (
    GR_SAMPLE,
    VEGAS,
    VEGAS_SESSION,
    close,
    lap_summary_reference,
    load,
    load_laps,
    query,
    query_df,
    vegas_car,
    vegas_laps,
)

SELECT = ["--select", "+path:models/marts/telemetry", "--indirect-selection", "cautious"]
CARS = {1: "VER", 14: "ALO"}


def _load_all(data_dir: Path) -> None:
    load_laps(data_dir / VEGAS / "laps.csv")
    barber = data_dir / "gr_cup" / "barber"
    _, errors = load([data_dir / VEGAS / f"{n}_telemetry.csv" for n in CARS]
                     + [barber / f"R1_barber_lap_{k}.csv" for k in ("start", "end", "time")]
                     + [data_dir / GR_SAMPLE])
    assert not errors, errors


@pytest.fixture(scope="module")
def built(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, pd.DataFrame]]:
    """One DuckDB warehouse for the module: laps, two cars, the GR Cup sample; marts built."""
    tmp = tmp_path_factory.mktemp("telemetry_marts")
    with private_duckdb(tmp):
        _load_all(data_dir)
        dbt("build", *SELECT)
        laps = vegas_laps(data_dir)
        yield {code: vegas_car(data_dir, n, laps) for n, code in CARS.items()}


def _check_lap_summary(cars: dict[str, pd.DataFrame]) -> None:
    for code, tel in cars.items():
        ref = lap_summary_reference(tel)
        got = query_df("select * from marts.lap_telemetry_summary where session_id = ? and driver = ? "
                       "and lap_number is not null order by lap_number", (VEGAS_SESSION, code)).set_index("lap_number")
        assert list(got.index) == list(ref.index) and len(got) == 50
        for col in ref.columns:
            for lap in ref.index:
                assert close(got.loc[lap, col], ref.loc[lap, col]), (code, col, lap)


def _check_hourly(cars: dict[str, pd.DataFrame]) -> None:
    for code, tel in cars.items():
        hours = tel.groupby(tel["Date"].dt.floor("h"))
        ref = pd.DataFrame({"samples": hours.size(), "avg_speed": hours["Speed"].mean(),
                            "max_speed": hours["Speed"].max(),
                            "full": hours["Throttle"].apply(lambda s: s.between(99, 100).mean() * 100),
                            "brake": hours["Brake"].apply(lambda s: s.astype(bool).mean() * 100)})
        got = query_df("select * from marts.telemetry_hourly where driver = ? order by hour_start", (code,))
        got = got.set_index(pd.to_datetime(got["hour_start"]))
        assert len(got) == len(ref) == 3
        for hour in ref.index:
            assert got.loc[hour, "samples"] == ref.loc[hour, "samples"]
            assert close(got.loc[hour, "avg_speed"], ref.loc[hour, "avg_speed"])
            assert close(got.loc[hour, "max_speed"], ref.loc[hour, "max_speed"])
            assert close(got.loc[hour, "full_throttle_share_pct"], ref.loc[hour, "full"])
            assert close(got.loc[hour, "braking_share_pct"], ref.loc[hour, "brake"])


def _check_daily_monthly(data_dir: Path, cars: dict[str, pd.DataFrame]) -> None:
    laps = pd.read_csv(data_dir / VEGAS / "laps.csv")
    samples = sum(len(t) for t in cars.values())
    day = query_df("select * from marts.track_activity_daily")
    assert len(day) == 1  # the GR Cup sample has no lap data, so no session metadata: not a track day
    row = day.iloc[0]
    assert (row["track"], str(row["activity_date"])[:10]) == ("Las Vegas Grand Prix", "2023-11-19")
    assert (row["sessions"], row["laps"], row["drivers"], row["telemetry_samples"]) == (1, len(laps), 2, samples)
    clean = laps[laps["PitInTime"].isna() & laps["PitOutTime"].isna() & ~laps["Deleted"].fillna(False).astype(bool)]
    fastest = pd.to_timedelta(clean["LapTime"]).dt.total_seconds().min()
    assert close(row["fastest_lap_time"], fastest)
    assert row["fastest_lap_driver"] == clean.loc[pd.to_timedelta(clean["LapTime"]).idxmin(), "Driver"]
    month = query_df("select * from marts.series_monthly_summary").iloc[0]
    assert (month["series"], str(month["month_start"])[:10]) == ("f1", "2023-11-01")
    assert (month["events"], month["sessions"], month["laps"], month["drivers"], month["telemetry_samples"]) == (
        1, 1, len(laps), laps["Driver"].nunique(), samples)
    assert month["personal_best_laps"] == laps["Driver"].nunique()


@pytest.mark.xdist_group("telemetry_marts")
def test_marts_match_pandas_on_duckdb(data_dir: Path, built: dict[str, pd.DataFrame]) -> None:
    _check_lap_summary(built)
    _check_hourly(built)
    _check_daily_monthly(data_dir, built)
    assert query("select count(*) from marts.fct_telemetry where is_gear_glitch")[0][0] == int(
        (built["ALO"]["nGear"] > 8).sum()) == 33
    assert query("select count(*) from marts.fct_telemetry")[0][0] == 2 * 24406 + 1042


def _file_lines(path: Path) -> dict[int, dict[str, str]]:
    """Physical line number -> the row the csv module reads there (independent of DuckDB and pyarrow)."""
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        lines = {}
        for row in reader:
            lines[reader.line_num] = row
        return lines


@pytest.mark.xdist_group("telemetry_marts")
def test_every_sample_names_its_file_and_line(data_dir: Path, built: dict[str, pd.DataFrame]) -> None:
    """raw.telemetry keeps only the batch id and line per sample; staging joins the file, format and load time
    back from raw.load_batches, and fct_telemetry carries them: each F1 sample's file and line hold its values."""
    for number, code in CARS.items():
        path = (data_dir / VEGAS / f"{number}_telemetry.csv").resolve()
        by_line = _file_lines(path)
        for relation in ("staging.stg_lapstack__telemetry", "marts.fct_telemetry"):
            got = query_df(f"select _source_file, _source_line, source_format, sample_time, rpm, _loaded_at "
                           f"from {relation} where session_id = ? and driver = ?", (VEGAS_SESSION, code))
            assert len(got) == len(by_line) == 24406, (relation, code)
            assert set(got["_source_file"]) == {str(path)} and set(got["source_format"]) == {"fastf1_car_data"}
            assert got["_loaded_at"].notna().all() and got["_loaded_at"].nunique() == 1
            for line, when, rpm in zip(got["_source_line"], got["sample_time"], got["rpm"], strict=True):
                row = by_line[line]
                assert pd.Timestamp(row["Date"]) == when and float(row["RPM"]) == rpm, (relation, line)
    gr = query("select distinct _source_file, source_format from staging.stg_lapstack__telemetry "
               "where driver not in ('VER', 'ALO')")
    assert gr == [(str((data_dir / GR_SAMPLE).resolve()), "gr_cup_telemetry")]


@pytest.mark.xdist_group("telemetry_marts")
def test_compare_headline_and_best_lap_delta(built: dict[str, pd.DataFrame]) -> None:
    from commands.compare import compare

    result = compare(VEGAS_SESSION, "VER", "ALO")
    by = {d["driver"]: d for d in result["drivers"]}
    for code, tel in built.items():
        on = tel[tel["lap"].notna()]
        throttle = on["Throttle"].where(on["Throttle"].between(0, 100))
        assert close(by[code]["avg_speed"], on["Speed"].mean(), 1e-4)
        assert by[code]["max_speed"] == on["Speed"].max()
        assert by[code]["laps"] == 50 and by[code]["is_racing_lap"]
        assert close(by[code]["full_throttle_pct"], (throttle >= 99).sum() / throttle.notna().sum() * 100, 1e-4)
        assert close(by[code]["braking_pct"], on["Brake"].astype(bool).mean() * 100, 1e-4)
    # Distance-aligned: the running delta at the line is the official lap-time difference (ALO - VER).
    assert abs(result["final_delta_s"] - result["lap_times"]["diff_s"]) < 0.010
    assert close(result["lap_times"]["diff_s"], 96.559 - 95.614, 1e-4)
    assert len(result["points"]) > 1000 and result["points"][0]["delta_s"] == 0


@pytest.mark.xdist_group("telemetry_marts")
def test_compare_rejects_hostile_and_unknown_input(built: dict[str, pd.DataFrame],
                                                   capsys: pytest.CaptureFixture) -> None:
    from commands.cli import main

    before = query("select count(*) from marts.fct_telemetry")[0][0]
    assert main(["compare", "--session", VEGAS_SESSION, "--drivers", "VER", "1; DROP TABLE x"]) == 1
    assert "unknown driver(s) '1; DROP TABLE x'" in capsys.readouterr().err
    assert main(["compare", "--session", "x' or '1'='1", "--drivers", "VER", "ALO"]) == 1
    assert "unknown session" in capsys.readouterr().err
    assert main(["compare", "--session", VEGAS_SESSION, "--drivers", "VER", "ALO", "--lap", "999"]) == 1
    assert "no telemetry on lap 999" in capsys.readouterr().err
    assert query("select count(*) from marts.fct_telemetry")[0][0] == before
    assert main(["compare", "--session", VEGAS_SESSION, "--drivers", "VER", "ALO", "--lap", "10"]) == 0
    out = capsys.readouterr().out
    assert "lap: 10" in out and "lap time ALO - VER" in out


def _snapshot() -> dict[str, pd.DataFrame]:
    tables = {"lap_telemetry_summary": "session_id, driver, lap_number", "telemetry_hourly": "driver, hour_start",
              "track_activity_daily": "track, activity_date", "series_monthly_summary": "series, month_start",
              "best_lap_speed_trace": "session_id, driver, elapsed_s",
              "best_lap_distance_trace": "session_id, driver, lap_permille"}
    return {t: query_df(f"select * exclude (_loaded_at) from marts.{t} order by {o}") if t == "lap_telemetry_summary"
            else query_df(f"select * from marts.{t} order by {o}") for t, o in tables.items()}


@pytest.mark.xdist_group("telemetry_marts")
def test_incremental_build_equals_full_refresh_and_range_rebuild(data_dir: Path,
                                                                 built: dict[str, pd.DataFrame]) -> None:
    _, errors = load([data_dir / VEGAS / "44_telemetry.csv"])
    assert not errors
    dbt("build", *SELECT)
    assert query("select count(*) from marts.fct_telemetry where driver = 'HAM'")[0][0] == 24406
    incremental = _snapshot()
    dbt("build", "--full-refresh", *SELECT)
    full = _snapshot()
    for name, frame in full.items():
        pd.testing.assert_frame_equal(incremental[name].drop(columns=["_max_loaded_at"], errors="ignore"),
                                      frame.drop(columns=["_max_loaded_at"], errors="ignore"), check_dtype=False)
    dbt("build", *SELECT, "--vars", "{telemetry_rebuild_from: '2023-11-19 06:00', telemetry_rebuild_to: "
        "'2023-11-19 07:00'}")
    pd.testing.assert_frame_equal(_snapshot()["telemetry_hourly"], full["telemetry_hourly"], check_dtype=False)


@pytest.mark.postgres
def test_all_formats_and_marts_on_postgres(data_dir: Path, postgres_env: str, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    _load_all(data_dir)
    tel = pd.read_csv(data_dir / VEGAS / "11_telemetry.csv", index_col=0)
    frame = pd.DataFrame({"driver": "PER", "sample_time": pd.to_datetime(tel["Date"]), "speed": tel["Speed"]})
    path = tmp_path / "2023" / "Las Vegas" / "race.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path)
    _, errors = load([path])
    assert not errors, errors
    counts = dict(query("select b.format, count(*) from raw.telemetry as t join raw.load_batches as b "
                        "on b.batch_id = t._batch_id group by 1"))
    assert counts == {"fastf1_car_data": 2 * 24406, "gr_cup_telemetry": 1042, "lapstack_telemetry_parquet": 24406}
    dbt("build", *SELECT)
    files = dict(query("select _source_file, count(*) from staging.stg_lapstack__telemetry group by 1"))
    assert files == {str((data_dir / VEGAS / "1_telemetry.csv").resolve()): 24406,
                     str((data_dir / VEGAS / "14_telemetry.csv").resolve()): 24406,
                     str((data_dir / GR_SAMPLE).resolve()): 1042, str(path.resolve()): 24406}
    laps = vegas_laps(data_dir)
    cars = {code: vegas_car(data_dir, n, laps) for n, code in CARS.items()}
    _check_lap_summary(cars)
    _check_hourly(cars)
    indexes = [r[0] for r in query("select indexdef from pg_indexes where schemaname = 'marts'")]
    assert any("WHERE (lap_number IS NOT NULL)" in i for i in indexes)
    assert any("WHERE is_best_lap" in i for i in indexes)
    from commands.compare import compare
    from core.warehouse import connect

    wh = connect()
    try:
        result = compare(VEGAS_SESSION, "VER", "ALO", lap=20, wh=wh)
        best = compare(VEGAS_SESSION, "VER", "ALO", wh=wh)  # best laps from the grid built on Postgres
        sampled = compare(VEGAS_SESSION, "VER", "ALO", wh=wh, step_m=best["step_m"])  # the same laps from samples
    finally:
        wh.close()
    assert [d["compared_lap"] for d in result["drivers"]] == [20, 20] and result["points"]
    assert abs(result["final_delta_s"] - result["lap_times"]["diff_s"]) < 0.010
    assert len(best["points"]) == 1001 and abs(best["final_delta_s"] - best["lap_times"]["diff_s"]) < 0.010
    pairs = zip(best["points"], sampled["points"], strict=False)
    assert max(abs(p["delta_s"] - q["delta_s"]) for p, q in pairs) < 0.005
    assert os.environ["LAPSTACK_TARGET"] == "postgres"
