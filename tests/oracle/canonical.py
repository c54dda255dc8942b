"""Raw lap rows (original text, as landed) to one canonical frame, per source format, in Python."""

from __future__ import annotations

import math

import pandas as pd

from loaders.laps.timeparse import clock_to_seconds, timedelta_to_seconds

CANONICAL = ["session_id", "driver", "lap_number", "lap_time", "sector_1_time", "sector_2_time",
             "sector_3_time", "is_pit_in_lap", "is_pit_out_lap", "is_deleted", "source_line",
             "is_pit_lane_finish", "is_provider_best_lap", "is_generated_lap", "is_green_flag"]


def _apply(series: pd.Series, parse) -> pd.Series:
    return series.map(lambda v: parse(v) if isinstance(v, str) and v.strip() else math.nan).astype(float)


def _present(series: pd.Series) -> pd.Series:
    return series.map(lambda v: isinstance(v, str) and v.strip() != "")


def _truthy(series: pd.Series) -> pd.Series:
    return series.map(lambda v: str(v).strip().lower() in {"true", "t", "1", "yes", "1.0"})


TIMES = ("lap_time", "sector_1_time", "sector_2_time", "sector_3_time")


def _times(raw: pd.DataFrame, columns: tuple[str, str, str, str], parse) -> dict[str, pd.Series]:
    """The lap and three sector times from the source's four text columns, each parsed the same way."""
    return {name: _apply(raw[column], parse) for name, column in zip(TIMES, columns, strict=True)}


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
        "is_pit_lane_finish": _present(raw["crossing_finish_line_in_pit"]),
        "is_provider_best_lap": raw["lap_improvement"].map(lambda v: isinstance(v, str) and v.strip() not in ("", "0")
                                                           and int(v) > 0),
        "is_generated_lap": False,
        "is_green_flag": _tri(raw["flag_at_fl"], lambda v: v.upper() in {"GF", "FF"}),
    })


def _tri(series: pd.Series, test) -> pd.Series:
    """A flag that is unknown (None) where the source left the field empty."""
    return series.map(lambda v: test(v.strip()) if isinstance(v, str) and v.strip() else None).astype(object)


def _fastf1(raw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        **_times(raw, ("laptime", "sector1time", "sector2time", "sector3time"), timedelta_to_seconds),
        "is_pit_in_lap": _present(raw["pitintime"]),
        "is_pit_out_lap": _present(raw["pitouttime"]),
        "is_deleted": _truthy(raw["deleted"]),
        "lap_number": raw["lapnumber"].astype(float).astype(int),
        # Ended in the pit lane unless the lap's end came before its pit entry.
        "is_pit_lane_finish": [
            isinstance(pit, str) and bool(pit.strip())
            and not (isinstance(end, str) and bool(end.strip())
                     and timedelta_to_seconds(end) < timedelta_to_seconds(pit))
            for pit, end in zip(raw["pitintime"], raw["time"], strict=True)],
        "is_provider_best_lap": None,
        "is_generated_lap": _truthy(raw["fastf1generated"]),
        "is_green_flag": _tri(raw["trackstatus"], lambda v: set(v) == {"1"}),
    })


def _ergast(raw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "lap_time": raw["milliseconds"].astype(float) / 1000.0,
        "sector_1_time": math.nan, "sector_2_time": math.nan, "sector_3_time": math.nan,
        "is_pit_in_lap": raw["_pit_in"].fillna(False).astype(bool),
        "is_pit_out_lap": raw["_pit_out"].fillna(False).astype(bool),
        "is_deleted": False,
        "lap_number": raw["lap"].astype(int),
        "is_pit_lane_finish": raw["_pit_in"].fillna(False).astype(bool),
        "is_provider_best_lap": None,
        "is_generated_lap": False,
        "is_green_flag": None,
    })


def _lapstack(raw: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        **_times(raw, TIMES, clock_to_seconds),
        "is_pit_in_lap": _truthy(raw["is_pit_in_lap"]),
        "is_pit_out_lap": _truthy(raw["is_pit_out_lap"]),
        "is_deleted": _truthy(raw["is_deleted"]),
        "lap_number": raw["lap_number"].astype(float).astype(int),
        "is_pit_lane_finish": _truthy(raw["is_pit_in_lap"]),
        "is_provider_best_lap": None,
        "is_generated_lap": False,
        "is_green_flag": _tri(raw["flag"], lambda v: v.lower() in {"gf", "ff", "green", "g", "1"}),
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
