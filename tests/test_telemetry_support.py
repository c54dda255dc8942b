"""Helpers shared by the telemetry tests (no tests here): real paths, loads, and pandas references."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from core.warehouse import connect
from loaders.laps.model import Overrides

VEGAS = "f1_2023_fastf1/21_Las Vegas"
VEGAS_SESSION = "f1-2023-las_vegas_grand_prix-race"
GR_SAMPLE = "gr_cup/barber/Samples/R1_barber_telemetry_data_sample.csv"
ROWS_PER_VEGAS_CAR = 24406


def load(paths: list[Path], **kwargs):
    """In-process `lapstack load telemetry`; returns (results, errors)."""
    from loaders.telemetry.load import load_paths

    wh = connect()
    try:
        return load_paths(wh, [Path(p) for p in paths], Overrides(), show_progress=False, **kwargs)
    finally:
        wh.close()


def load_laps(path: Path) -> None:
    from loaders.laps.load import load_paths

    wh = connect()
    try:
        results, errors = load_paths(wh, [path], None, Overrides())
    finally:
        wh.close()
    assert not errors, errors


def query(sql: str, params: tuple = ()) -> list[tuple]:
    wh = connect()
    try:
        return wh.query(sql, params)
    finally:
        wh.close()


def query_df(sql: str, params: tuple = ()) -> pd.DataFrame:
    wh = connect()
    try:
        return wh.query_df(sql, params)
    finally:
        wh.close()


def vegas_laps(data_dir: Path) -> pd.DataFrame:
    """Lap windows computed independently from laps.csv: [LapStartDate, LapStartDate + Time - LapStartTime)."""
    laps = pd.read_csv(data_dir / VEGAS / "laps.csv", index_col=0)
    laps = laps.dropna(subset=["LapStartDate", "Time", "LapStartTime"])
    start = pd.to_datetime(laps["LapStartDate"])
    end = start + (pd.to_timedelta(laps["Time"]) - pd.to_timedelta(laps["LapStartTime"]))
    return pd.DataFrame({"driver": laps["Driver"], "number": laps["DriverNumber"].astype(int),
                         "lap": laps["LapNumber"].astype(int), "start": start, "end": end})


def vegas_car(data_dir: Path, number: int, laps: pd.DataFrame) -> pd.DataFrame:
    """One car's real telemetry with its lap number assigned by interval lookup (pandas only)."""
    tel = pd.read_csv(data_dir / VEGAS / f"{number}_telemetry.csv", index_col=0)
    tel["Date"] = pd.to_datetime(tel["Date"])
    mine = laps[laps["number"] == number].sort_values("start")
    tel["lap"] = pd.array([pd.NA] * len(tel), dtype="Int64")
    for row in mine.itertuples():
        inside = (tel["Date"] >= row.start) & (tel["Date"] < row.end)
        tel.loc[inside, "lap"] = row.lap
    tel["driver"] = mine["driver"].iloc[0]
    return tel


def lap_summary_reference(tel: pd.DataFrame) -> pd.DataFrame:
    """Per lap, on-lap samples only, impossible throttle (outside 0-100) and gear (outside 0-8) as missing:
    samples, max/avg speed, full-throttle % (of samples with a throttle), braking %, max RPM, gear changes."""
    tel = tel[tel["lap"].notna()].sort_values("Date").copy()
    throttle = tel["Throttle"].where(tel["Throttle"].between(0, 100))
    gears = tel["nGear"].where(tel["nGear"].between(0, 8)).dropna()
    gear_prev = gears.shift()
    tel["change"] = (gear_prev.notna() & (gears != gear_prev)).astype(int).reindex(tel.index, fill_value=0)
    tel["full"] = (throttle >= 99).astype(float).where(throttle.notna())
    tel["braking"] = tel["Brake"].astype(bool).astype(float)
    grouped = tel.groupby("lap")
    return pd.DataFrame({
        "sample_count": grouped.size(), "max_speed": grouped["Speed"].max(), "avg_speed": grouped["Speed"].mean(),
        "full_throttle_pct": grouped["full"].mean() * 100, "braking_pct": grouped["braking"].mean() * 100,
        "max_rpm": grouped["RPM"].max(), "gear_changes": grouped["change"].sum(),
    })


def gr_pivot_reference(data_dir: Path) -> pd.DataFrame:
    """The GR Cup sample pivoted in pandas: one row per car, timestamp and repeat of a channel."""
    long = pd.read_csv(data_dir / GR_SAMPLE)
    long["seq"] = long.groupby(["vehicle_id", "timestamp", "telemetry_name"]).cumcount() + 1
    return long.pivot_table(index=["vehicle_id", "timestamp", "seq"], columns="telemetry_name",
                            values="telemetry_value", aggfunc="first").reset_index()


def close(a, b, tol: float = 1e-6) -> bool:
    return bool(np.isclose(float(a), float(b), rtol=tol, atol=tol))


def create_pre_slimming_telemetry() -> None:
    """raw.telemetry as lapstack created it before the per-batch lineage moved to raw.load_batches (file, format
    and load time on every sample), with a staging view over those columns as dbt left it."""
    from core.registry import REGISTRY

    cols = [f"{c.name} {c.sql_type}" for c in REGISTRY.get("telemetry").columns]
    at = next(i for i, c in enumerate(cols) if c.startswith("_batch_id "))
    cols[at:] = ["source_format varchar not null", "_batch_id varchar not null", "_source_file varchar not null",
                 "_source_line bigint not null", "_loaded_at timestamp not null"]
    wh = connect()
    try:
        for schema in ("raw", "staging"):
            wh.execute(f"create schema if not exists {schema}")
        wh.execute(f"create table raw.telemetry ({', '.join(cols)})")
        wh.execute("create view staging.stg_lapstack__telemetry as select _session_id as session_id, source_format, "
                   "_source_file, _source_line, _loaded_at from raw.telemetry")
    finally:
        wh.close()


def telemetry_columns() -> set[str]:
    return {r[0].lower() for r in query("select column_name from information_schema.columns "
                                        "where lower(table_schema) = 'raw' and lower(table_name) = 'telemetry'")}
