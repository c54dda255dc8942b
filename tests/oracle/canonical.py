"""Raw lap rows (original text, as landed) to one canonical frame, per source format, in Python."""

from __future__ import annotations

import math

import pandas as pd

from loaders.laps.timeparse import clock_to_seconds, timedelta_to_seconds

CANONICAL = ["session_id", "driver", "lap_number", "lap_time", "sector_1_time", "sector_2_time",
             "sector_3_time", "is_pit_in_lap", "is_pit_out_lap", "is_deleted", "source_line"]


def _apply(series: pd.Series, parse) -> pd.Series:
    return series.map(lambda v: parse(v) if isinstance(v, str) and v.strip() else math.nan).astype(float)


def _present(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, str) and v.strip() != "")


def _truthy(series: pd.Series) -> pd.Series:
    return series.map(lambda v: str(v).strip().lower() in {"true", "t", "1", "yes", "1.0"})


def _gr_cup(raw: pd.DataFrame) -> pd.DataFrame:
    def sector(n: int) -> pd.Series:
        secs = _apply(raw[f"s{n}_seconds"], float)
        return secs.fillna(_apply(raw[f"s{n}"], clock_to_seconds))

    return pd.DataFrame({
        "lap_time": _apply(raw["lap_time"], clock_to_seconds),
        "sector_1_time": sector(1), "sector_2_time": sector(2), "sector_3_time": sector(3),
        "is_pit_in_lap": _present(raw["crossing_finish_line_in_pit"]),
        "is_pit_out_lap": _present(raw["pit_time"]),
        "is_deleted": False,
        "lap_number": raw["lap_number"].astype(int),
    })


def _fastf1(raw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "lap_time": _apply(raw["laptime"], timedelta_to_seconds),
        "sector_1_time": _apply(raw["sector1time"], timedelta_to_seconds),
        "sector_2_time": _apply(raw["sector2time"], timedelta_to_seconds),
        "sector_3_time": _apply(raw["sector3time"], timedelta_to_seconds),
        "is_pit_in_lap": _present(raw["pitintime"]),
        "is_pit_out_lap": _present(raw["pitouttime"]),
        "is_deleted": _truthy(raw["deleted"]),
        "lap_number": raw["lapnumber"].astype(float).astype(int),
    })


def _ergast(raw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "lap_time": raw["milliseconds"].astype(float) / 1000.0,
        "sector_1_time": math.nan, "sector_2_time": math.nan, "sector_3_time": math.nan,
        "is_pit_in_lap": raw["_pit_in"].fillna(False).astype(bool),
        "is_pit_out_lap": raw["_pit_out"].fillna(False).astype(bool),
        "is_deleted": False,
        "lap_number": raw["lap"].astype(int),
    })


def _lapstack(raw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "lap_time": _apply(raw["lap_time"], clock_to_seconds),
        "sector_1_time": _apply(raw["sector_1_time"], clock_to_seconds),
        "sector_2_time": _apply(raw["sector_2_time"], clock_to_seconds),
        "sector_3_time": _apply(raw["sector_3_time"], clock_to_seconds),
        "is_pit_in_lap": _truthy(raw["is_pit_in_lap"]),
        "is_pit_out_lap": _truthy(raw["is_pit_out_lap"]),
        "is_deleted": _truthy(raw["is_deleted"]),
        "lap_number": raw["lap_number"].astype(float).astype(int),
    })


CONVERTERS = {
    "gr_cup_laps": _gr_cup,
    "fastf1_laps": _fastf1,
    "ergast_lap_times": _ergast,
    "lapstack_laps": _lapstack,
    "fastf1_api_laps": _fastf1,  # the API's laps have the export's columns
}


def canonical_laps(raw_table: str, raw: pd.DataFrame) -> pd.DataFrame:
    """One row per landed raw row, in seconds, with the pit/deleted facts each format encodes."""
    if raw.empty:
        return pd.DataFrame(columns=CANONICAL)
    out = CONVERTERS[raw_table](raw.reset_index(drop=True))
    out["session_id"] = raw["_session_id"].to_numpy()
    out["driver"] = raw["_driver"].to_numpy()
    out["source_line"] = raw["_source_line"].astype(int).to_numpy()
    return out[CANONICAL]
