"""Lap numbers for samples from the lap data already in the warehouse.

F1: lap N runs from `LapStartDate` for (`Time` - `LapStartTime`), both from raw.fastf1_laps.
GR Cup: lap N runs from its ECU `lap_start` event to its `lap_end` event (else the next start);
lost counters (lap >= 32768) never bound a lap. Samples outside every window keep a null lap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from core.raw_schema import RAW
from core.warehouse import Warehouse

LOST_COUNTER = 32768


@dataclass
class LapWindows:
    """Per driver: sorted lap starts (us since epoch), their ends and lap numbers."""

    by_driver: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    driver_codes: dict[str, str] = field(default_factory=dict)  # car number -> driver code (F1)

    def assign(self, driver: str, times_us: np.ndarray) -> pa.Array:
        windows = self.by_driver.get(driver)
        if windows is None or not len(times_us):
            return pa.nulls(len(times_us), pa.int32())
        starts, ends, laps = windows
        idx = np.searchsorted(starts, times_us, side="right") - 1
        safe = np.clip(idx, 0, len(starts) - 1)
        inside = (idx >= 0) & (times_us < ends[safe])
        return pa.array(laps[safe].astype(np.int32), mask=~inside)


def _us(series: pd.Series) -> np.ndarray:
    return pd.to_datetime(series, utc=True).dt.tz_localize(None).astype("datetime64[us]").astype(np.int64).to_numpy()


def _windows(frame: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    out = {}
    for driver, group in frame.sort_values(["driver", "start"]).groupby("driver"):
        out[str(driver)] = (group["start"].to_numpy(np.int64), group["end"].to_numpy(np.int64),
                            group["lap"].to_numpy(np.int64))
    return out


def fastf1_windows(wh: Warehouse, session_id: str) -> LapWindows:
    if not wh.table_exists(RAW, "fastf1_laps"):
        return LapWindows()
    df = wh.query_df(f"select _driver as driver, drivernumber, lapnumber, lapstartdate, time, lapstarttime "
                     f"from {RAW}.fastf1_laps where _session_id = ?", (session_id,))
    if df.empty:
        return LapWindows()
    codes = {str(int(float(n))): str(d) for n, d in zip(df["drivernumber"], df["driver"], strict=True)
             if n not in (None, "")}
    df = df.dropna(subset=["lapstartdate", "time", "lapstarttime", "lapnumber"])
    duration = pd.to_timedelta(df["time"]) - pd.to_timedelta(df["lapstarttime"])
    frame = pd.DataFrame({
        "driver": df["driver"], "lap": df["lapnumber"].astype(float).astype(int),
        "start": _us(df["lapstartdate"]),
    })
    frame["end"] = frame["start"] + (duration.dt.total_seconds().to_numpy() * 1e6).astype(np.int64)
    return LapWindows(_windows(frame), codes)


def gr_cup_windows(wh: Warehouse, session_id: str) -> LapWindows:
    if not wh.table_exists(RAW, "gr_cup_lap_events"):
        return LapWindows()
    df = wh.query_df(f"select _driver as driver, event_kind, lap, event_timestamp from {RAW}.gr_cup_lap_events "
                     "where _session_id = ? and event_kind in ('lap_start', 'lap_end')", (session_id,))
    if df.empty:
        return LapWindows()
    df["lap"] = pd.to_numeric(df["lap"], errors="coerce")
    df = df[(df["lap"] >= 0) & (df["lap"] < LOST_COUNTER)].dropna(subset=["event_timestamp"])
    df["t"] = _us(df["event_timestamp"])
    starts = df[df.event_kind == "lap_start"].groupby(["driver", "lap"])["t"].min().rename("start")
    ends = df[df.event_kind == "lap_end"].groupby(["driver", "lap"])["t"].max().rename("end")
    frame = pd.concat([starts, ends], axis=1).dropna(subset=["start"]).reset_index()
    frame = frame.sort_values(["driver", "start"])
    next_start = frame.groupby("driver")["start"].shift(-1)
    frame["end"] = frame["end"].where(frame["end"] > frame["start"], next_start).fillna(next_start)
    frame = frame.dropna(subset=["end"])
    frame = frame.astype({"start": np.int64, "end": np.int64, "lap": np.int64})
    return LapWindows(_windows(frame))
