"""Independent pandas computations over the raw files for the conditions, season and lap activity marts.

Nothing here reads the warehouse's models: only the real files (and, to name a file's session, the loader's
lineage columns in `raw`), so a mart that drifts from the data cannot agree by construction.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

ERGAST_NA = ["\\N"]


def _ergast(data_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir / "ergast" / name, na_values=ERGAST_NA, keep_default_na=False)


def ergast_season_results(data_dir: Path, season: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(Grand Prix results, sprint results) of a season with round and driverRef, from the Ergast dumps."""
    races = _ergast(data_dir, "races.csv")
    races = races[races["year"] == season][["raceId", "round", "name"]]
    drivers = _ergast(data_dir, "drivers.csv")[["driverId", "driverRef"]]
    frames = []
    for name in ("results.csv", "sprint_results.csv"):
        frame = _ergast(data_dir, name).merge(races, on="raceId").merge(drivers, on="driverId")
        frames.append(frame)
    return frames[0], frames[1]


def ergast_points_after_each_round(data_dir: Path, season: int) -> pd.DataFrame:
    """Cumulative points per (round, driverRef) from results + sprint results, every driver from his first round."""
    grand_prix, sprint = ergast_season_results(data_dir, season)
    scored = pd.concat([grand_prix[["round", "driverRef", "points"]], sprint[["round", "driverRef", "points"]]])
    per_round = scored.groupby(["round", "driverRef"])["points"].sum().unstack(fill_value=0.0)
    first = scored.groupby("driverRef")["round"].min()
    cumulative = per_round.sort_index().cumsum().stack().rename("points").reset_index()
    return cumulative[cumulative["round"] >= cumulative["driverRef"].map(first)]


def ergast_standings(data_dir: Path, season: int) -> pd.DataFrame:
    """Ergast driver_standings of a season as (round, driverRef, points, position)."""
    races = _ergast(data_dir, "races.csv")
    races = races[races["year"] == season][["raceId", "round"]]
    drivers = _ergast(data_dir, "drivers.csv")[["driverId", "driverRef"]]
    standings = _ergast(data_dir, "driver_standings.csv").merge(races, on="raceId").merge(drivers, on="driverId")
    return standings[["round", "driverRef", "points", "position"]]


def weather_summary(path: Path, sep: str, air: str, rain: str) -> dict[str, float]:
    """Min / max / mean air temperature and the rain share of one weather file."""
    frame = pd.read_csv(path, sep=sep)
    frame.columns = [c.strip() for c in frame.columns]
    raining = frame[rain].astype(str).str.strip().str.lower().isin(["true", "1"]) if sep == "," \
        else pd.to_numeric(frame[rain]) > 0
    return {"air_temp_min_c": frame[air].min(), "air_temp_max_c": frame[air].max(),
            "air_temp_mean_c": frame[air].mean(), "rain_share": raining.mean(), "weather_samples": len(frame)}


def track_status_counts(path: Path) -> dict[str, int]:
    """Periods per kind of one FastF1 track_status.csv (1 green, 2 yellow, 4 SC, 5 red, 6/7 VSC)."""
    codes = pd.read_csv(path)["Status"].astype(str)
    return {"status_periods": len(codes), "yellow_periods": int((codes == "2").sum()),
            "sc_periods": int((codes == "4").sum()), "vsc_periods": int(codes.isin(["6", "7"]).sum()),
            "red_periods": int((codes == "5").sum())}


def fastf1_lap_times(folder: Path, race_dates: dict[str, str]) -> pd.DataFrame:
    """Every lap (LapNumber >= 1) of one FastF1 laps.csv with its event, UTC start, day and hour; a lap without
    LapStartDate takes the Ergast race date (no hour)."""
    info = pd.read_csv(folder / "race_info.csv", header=None, index_col=0)[1]
    laps = pd.read_csv(folder / "laps.csv", index_col=0)
    laps = laps[laps["LapNumber"] >= 1].copy()
    laps["track"] = info["EventName"]
    laps["start"] = pd.to_datetime(laps["LapStartDate"])
    if laps["start"].isna().any():
        race_day = pd.Timestamp(race_dates[info["EventName"]]).date()
        laps["day"] = [s.date() if pd.notna(s) else race_day for s in laps["start"]]
    else:
        laps["day"] = laps["start"].dt.date
    laps["hour"] = laps["start"].dt.floor("h")
    return laps[["track", "Driver", "start", "day", "hour"]]
