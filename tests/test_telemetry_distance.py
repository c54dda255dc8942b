"""Distance along the lap, the distance-aligned `compare` and the on-lap headline numbers, on real Las Vegas data.

References are computed here from the CSV files and laps.csv with pandas/numpy only (no warehouse code).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import dbt
from tests.private_warehouse import private_duckdb
from tests.test_telemetry_support import VEGAS, VEGAS_SESSION, close, load, load_laps, query_df

SELECT = ["--select", "+path:models/marts/telemetry", "--indirect-selection", "cautious"]
CARS = {1: "VER", 4: "NOR", 14: "ALO"}
MAX_ACCEL_MS2 = 100


def _laps(data_dir: Path) -> pd.DataFrame:
    laps = pd.read_csv(data_dir / VEGAS / "laps.csv", index_col=0)
    for col in ("LapTime", "LapStartTime", "Time", "Sector1Time", "Sector2Time", "Sector3Time"):
        laps[col] = pd.to_timedelta(laps[col]).dt.total_seconds()
    laps["LapStartDate"] = pd.to_datetime(laps["LapStartDate"])
    return laps.dropna(subset=["LapStartDate", "LapStartTime", "Time"])


def _car(data_dir: Path, number: int, laps: pd.DataFrame) -> pd.DataFrame:
    """One car's samples with lap, elapsed time since the official lap start, and cleaned channels."""
    tel = pd.read_csv(data_dir / VEGAS / f"{number}_telemetry.csv", index_col=0)
    tel["Date"] = pd.to_datetime(tel["Date"])
    tel = tel.sort_values("Date").reset_index(drop=True)
    tel["lap"] = np.nan
    tel["elapsed"] = np.nan
    for row in laps[laps["DriverNumber"] == number].itertuples():
        end = row.LapStartDate + pd.to_timedelta(row.Time - row.LapStartTime, unit="s")
        inside = (tel["Date"] >= row.LapStartDate) & (tel["Date"] < end)
        anchor = row.LapTime if not np.isnan(row.LapTime) else row.Time - row.LapStartTime
        tel.loc[inside, "lap"] = row.LapNumber
        tel.loc[inside, "elapsed"] = np.minimum((tel.loc[inside, "Date"] - row.LapStartDate).dt.total_seconds(), anchor)
    # Speed steps beyond MAX_ACCEL_MS2, timed from the start of the previous value's run.
    t = (tel["Date"] - tel["Date"].iloc[0]).dt.total_seconds().to_numpy()
    v = tel["Speed"].to_numpy(float)
    run = np.cumsum(np.r_[True, v[1:] != v[:-1]]) - 1
    run_start = pd.Series(t).groupby(run).transform("min").to_numpy()
    prev_v, prev_start = np.r_[np.nan, v[:-1]], np.r_[np.nan, run_start[:-1]]
    jump = (v != prev_v) & ~np.isnan(prev_v) & (np.abs(v - prev_v) / 3.6 > MAX_ACCEL_MS2 * (t - prev_start))
    tel["speed"] = np.where(jump | (v < 0) | (v > 400), np.nan, v)
    tel["throttle"] = tel["Throttle"].where(tel["Throttle"].between(0, 100))
    tel["gear"] = tel["nGear"].where(tel["nGear"].between(0, 8))
    return tel


def _profile(tel: pd.DataFrame, lap: int, laps: pd.DataFrame, driver: str) -> tuple[np.ndarray, np.ndarray]:
    """(lap fraction, elapsed) of one lap: trapezoid on speed from the official start to the official lap time."""
    row = laps[(laps["Driver"] == driver) & (laps["LapNumber"] == lap)].iloc[0]
    anchor = row.LapTime if not np.isnan(row.LapTime) else row.Time - row.LapStartTime
    s = tel[(tel["lap"] == lap) & tel["speed"].notna()]
    e = np.r_[0.0, s["elapsed"].to_numpy(), anchor]
    v = s["speed"].to_numpy() / 3.6
    v = np.r_[v[0], v, v[-1]]
    d = np.r_[0.0, np.cumsum((v[1:] + v[:-1]) / 2 * np.diff(e))]
    return d / d[-1], e


@pytest.fixture(scope="module")
def built(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("telemetry_distance")
    with private_duckdb(tmp):
        load_laps(data_dir / VEGAS / "laps.csv")
        _, errors = load([data_dir / VEGAS / f"{n}_telemetry.csv" for n in CARS])
        assert not errors, errors
        dbt("build", *SELECT)
        laps = _laps(data_dir)
        yield {"laps": laps, "cars": {code: _car(data_dir, n, laps) for n, code in CARS.items()}}


@pytest.mark.xdist_group("telemetry_distance")
def test_on_lap_headline_numbers_match_pandas(built: dict) -> None:
    got = query_df("select * from marts.session_driver_telemetry where session_id = ?",
                   (VEGAS_SESSION,)).set_index("driver")
    for code, tel in built["cars"].items():
        on = tel[tel["lap"].notna()]
        row = got.loc[code]
        assert row["samples"] == len(on) and row["all_samples"] == len(tel)
        assert row["off_lap_samples"] == tel["lap"].isna().sum()
        assert close(row["avg_speed"], on["speed"].mean())
        assert close(row["full_throttle_pct"], (on["throttle"] >= 99).sum() / on["throttle"].notna().sum() * 100)
        assert close(row["braking_pct"], on["Brake"].astype(bool).mean() * 100)
        assert row["impossible_throttle_samples"] == (~tel["Throttle"].between(0, 100)).sum()
        assert row["impossible_gear_samples"] == (~tel["nGear"].between(0, 8)).sum()
    # The figures: Norris retired on lap 2, Verstappen ran the race.
    assert round(got.loc["NOR", "full_throttle_pct"], 1) == 34.0 and got.loc["NOR", "laps"] == 2
    assert round(got.loc["VER", "avg_speed"], 1) == 206.8 and round(got.loc["VER", "full_throttle_pct"], 1) == 51.2
    assert got.loc["ALO", "impossible_gear_samples"] == 33


@pytest.mark.xdist_group("telemetry_distance")
def test_every_on_lap_sample_has_a_distance(built: dict) -> None:
    fct = query_df("select lap_number, distance, lap_fraction, lap_length_m, speed, distance_method "
                   "from marts.fct_telemetry where session_id = ? and driver = 'VER'", (VEGAS_SESSION,))
    on = fct[fct["lap_number"].notna()]
    assert on["distance"].notna().all() and (on["distance_method"] == "integrated").all()
    assert fct.loc[fct["lap_number"].isna(), "distance"].isna().all()
    assert on["lap_fraction"].between(0, 1 + 1e-9).all()
    lengths = on.groupby("lap_number")["lap_length_m"].first()
    assert lengths.between(5800, 6500).all()  # Las Vegas Strip Circuit: 6.201 km


@pytest.mark.xdist_group("telemetry_distance")
def test_compare_delta_matches_numpy_and_official_times(built: dict) -> None:
    """Default (best laps on the dbt-precomputed grid), an explicit step on the best laps, and explicit laps."""
    from commands.compare import compare

    laps = built["laps"]
    for a, b, lap, step in (("VER", "ALO", None, None), ("VER", "ALO", None, 5), ("VER", "ALO", 20, None),
                            ("VER", "NOR", 2, 5)):
        res = compare(VEGAS_SESSION, a, b, lap=lap, step_m=step)
        la, lb = (d["compared_lap"] for d in res["drivers"])
        pa = _profile(built["cars"][a], la, laps, a)
        pb = _profile(built["cars"][b], lb, laps, b)
        la_t = laps[(laps["Driver"] == a) & (laps["LapNumber"] == la)].iloc[0]
        lb_t = laps[(laps["Driver"] == b) & (laps["LapNumber"] == lb)].iloc[0]
        pts = pd.DataFrame(res["points"])
        frac = pts["distance_m"].to_numpy() / res["track_length_m"]
        frac[-1] = 1.0
        expected = np.interp(frac, *pb) - np.interp(frac, *pa)
        assert np.abs(pts["delta_s"].to_numpy() - expected).max() < 2e-3, (a, b, lap, step)
        # Speed at every grid point: numpy.interp over the car's own CSV samples at their integrated positions.
        s = built["cars"][a]
        s = s[(s["lap"] == la) & s["speed"].notna()]
        assert np.abs(pts["speed_a"].to_numpy() - np.interp(frac, pa[0][1:-1], s["speed"].to_numpy())).max() < 0.5
        spacing = np.diff(pts["distance_m"]).max()
        assert spacing <= (step or res["track_length_m"] / 1000) + 0.01 and spacing < 10  # a few metres
        assert abs(res["final_delta_s"] - (lb_t.LapTime - la_t.LapTime)) < 0.010
        assert close(res["lap_times"]["diff_s"], lb_t.LapTime - la_t.LapTime, 1e-3)
        s1 = res["sectors"][0]
        if not np.isnan(la_t.Sector1Time):
            assert close(s1["time_a"], la_t.Sector1Time)
            assert close(s1["diff_s"], lb_t.Sector1Time - la_t.Sector1Time, 1e-4)
        if lap is None:
            assert all(d["is_racing_lap"] for d in res["drivers"]) and (la, lb) == (44, 42)
    assert len(compare(VEGAS_SESSION, "VER", "ALO")["points"]) == 1001
