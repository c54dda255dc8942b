"""Compare the dbt marts of one session with the pandas reference: every value, floats to 1 ms."""

from __future__ import annotations

import math

import pandas as pd

from core.warehouse import Warehouse
from tests.oracle.raw_reader import compute_on_the_fly

TOLERANCE = 0.001


def _same(a, b) -> bool:
    a_missing = a is None or (isinstance(a, float) and math.isnan(a))
    b_missing = b is None or (isinstance(b, float) and math.isnan(b))
    if a_missing or b_missing:
        return a_missing and b_missing
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) <= TOLERANCE
    return str(a) == str(b)


def _diff_frames(name: str, mart: pd.DataFrame, ref: pd.DataFrame, keys: list[str]) -> list[str]:
    problems: list[str] = []
    if len(mart) != len(ref):
        problems.append(f"{name}: {len(mart)} mart rows vs {len(ref)} reference rows")
    if ref.empty or mart.empty:
        return problems
    mart = mart.copy()
    ref = ref.copy()
    for key in keys:
        mart[key] = mart[key].astype(str)
        ref[key] = ref[key].astype(str).str.replace(r"\.0$", "", regex=True)
    merged = ref.merge(mart, on=keys, how="outer", suffixes=("_ref", "_mart"), indicator=True)
    for _, row in merged[merged["_merge"] != "both"].iterrows():
        problems.append(f"{name}: key {[row[k] for k in keys]} only in {row['_merge']}")
    value_cols = [c for c in ref.columns if c not in keys]
    for _, row in merged[merged["_merge"] == "both"].iterrows():
        for col in value_cols:
            a, b = row[f"{col}_ref"], row[f"{col}_mart"]
            if not _same(_py(a), _py(b)):
                problems.append(f"{name}: {[row[k] for k in keys]} {col}: reference {a!r} vs mart {b!r}")
    return problems


def _py(value):
    if hasattr(value, "item"):
        return value.item()
    return value


def compare_session(wh: Warehouse, session_id: str) -> list[str]:
    ref = compute_on_the_fly(wh, session_id)
    problems: list[str] = []
    drivers = wh.query_df("select * from marts.session_driver_stats where session_id = ?", (session_id,))
    problems += _diff_frames("session_driver_stats", drivers[ref.driver_stats.columns], ref.driver_stats,
                             ["driver"]) if not ref.driver_stats.empty else []
    sectors = wh.query_df("select * from marts.session_sector_highlights where session_id = ?", (session_id,))
    if ref.sector_highlights.empty:
        problems += [f"sector highlights: {len(sectors)} mart rows, reference has none"] if len(sectors) else []
    else:
        problems += _diff_frames("session_sector_highlights", sectors[ref.sector_highlights.columns],
                                 ref.sector_highlights, ["sector", "driver"])
    laps = wh.query_df("select * from marts.session_lap_highlights where session_id = ?", (session_id,))
    if not ref.lap_highlights.empty:
        problems += _diff_frames("session_lap_highlights", laps[ref.lap_highlights.columns],
                                 ref.lap_highlights, ["driver"])
    matrix = wh.query_df("select driver, lap_number, lap_time from marts.session_chart_matrix "
                         "where session_id = ?", (session_id,))
    problems += _diff_frames("session_chart_matrix", matrix, ref.chart_matrix, ["driver", "lap_number"])
    summary = wh.query_df("select * from marts.session_summary where session_id = ?", (session_id,))
    if len(summary) != 1:
        return problems + [f"session_summary: {len(summary)} rows"]
    for key, value in ref.summary.items():
        if not _same(_py(value), _py(summary.iloc[0][key])):
            problems.append(f"session_summary {key}: reference {value!r} vs mart {summary.iloc[0][key]!r}")
    return [f"{session_id}: {p}" for p in problems]
