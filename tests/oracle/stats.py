"""Session statistics from canonical laps, the per-page way: everything recomputed from the laps."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

LOST_COUNTER_LAP = 32768
OUTLIER_LOW, OUTLIER_HIGH = 0.5, 3.0


@dataclass
class SessionStats:
    driver_stats: pd.DataFrame
    sector_highlights: pd.DataFrame
    lap_highlights: pd.DataFrame
    chart_matrix: pd.DataFrame
    summary: dict


def flag_laps(laps: pd.DataFrame) -> pd.DataFrame:
    """Drop exact repeats, then mark lost-counter, outlier, racing and personal-best laps."""
    laps = laps.sort_values("source_line")
    lost = laps["lap_number"] >= LOST_COUNTER_LAP
    kept = laps[lost | ~laps.duplicated(["driver", "lap_number", "lap_time"], keep="first")].copy()
    kept["is_lost_counter"] = kept["lap_number"] >= LOST_COUNTER_LAP
    timed = kept["lap_time"].gt(0) & ~kept["is_lost_counter"]
    median = kept.loc[timed, "lap_time"].median() if timed.any() else np.nan
    kept["is_outlier"] = kept["lap_time"].gt(0) & (
        kept["lap_time"].lt(median * OUTLIER_LOW) | kept["lap_time"].gt(median * OUTLIER_HIGH))
    kept["is_racing_lap"] = (
        kept["lap_number"].ge(1) & ~kept["is_lost_counter"] & kept["lap_time"].gt(0)
        & ~kept["is_pit_in_lap"].astype(bool) & ~kept["is_pit_out_lap"].astype(bool)
        & ~kept["is_deleted"].astype(bool) & ~kept["is_outlier"])
    racing = kept[kept["is_racing_lap"]].sort_values(["lap_time", "lap_number"])
    best_index = racing.groupby("driver", sort=False).head(1).index
    kept["is_personal_best"] = kept.index.isin(best_index)
    return kept


def _first(frame: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.Series:
    return frame.sort_values(by, ascending=ascending).iloc[0]


def _driver_stats(laps: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for driver, group in laps.groupby("driver", sort=True):
        racing = group[group["is_racing_lap"]]
        bests = [racing.loc[racing[f"sector_{n}_time"] > 0, f"sector_{n}_time"].min() for n in (1, 2, 3)]
        pb = group[group["is_personal_best"]]
        rows.append({
            "driver": driver,
            "best_lap_time": racing["lap_time"].min(),
            "best_lap_number": pb["lap_number"].iloc[0] if len(pb) else np.nan,
            "optimal_lap_time": bests[0] + bests[1] + bests[2],
            "best_sector_1_time": bests[0], "best_sector_2_time": bests[1], "best_sector_3_time": bests[2],
            "lap_count": len(group),
            "racing_lap_count": len(racing),
            "avg_lap_time": racing["lap_time"].mean() if len(racing) else np.nan,
            "consistency": racing["lap_time"].std(ddof=1) if len(racing) > 1 else np.nan,
            "has_racing_laps": len(racing) > 0,
        })
    return pd.DataFrame(rows)


def _sector_highlights(laps: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for n in (1, 2, 3):
        col = f"sector_{n}_time"
        times = laps[laps["is_racing_lap"] & (laps[col] > 0)][["driver", "lap_number", col]]
        if times.empty:
            continue
        fastest = _first(times, [col, "lap_number", "driver"], [True, True, True])
        slowest = _first(times, [col, "lap_number", "driver"], [False, True, True])
        for driver, group in times.groupby("driver", sort=True):
            best = _first(group, [col, "lap_number"], [True, True])
            rows.append({
                "sector": n, "driver": driver, "driver_best_time": best[col],
                "driver_best_lap_number": best["lap_number"],
                "fastest_time": fastest[col], "fastest_driver": fastest["driver"],
                "fastest_lap_number": fastest["lap_number"],
                "slowest_time": slowest[col], "slowest_driver": slowest["driver"],
                "slowest_lap_number": slowest["lap_number"],
            })
    return pd.DataFrame(rows)


def _lap_highlights(laps: pd.DataFrame) -> pd.DataFrame:
    racing = laps[laps["is_racing_lap"]]
    if racing.empty:
        return pd.DataFrame()
    fastest = _first(racing, ["lap_time", "lap_number", "driver"], [True, True, True])
    slowest = _first(racing, ["lap_time", "lap_number", "driver"], [False, True, True])
    rows = []
    for _, pb in laps[laps["is_personal_best"]].sort_values("driver").iterrows():
        rows.append({
            "driver": pb["driver"], "personal_best_time": pb["lap_time"],
            "personal_best_lap_number": pb["lap_number"],
            "fastest_total_time": fastest["lap_time"], "fastest_total_driver": fastest["driver"],
            "fastest_total_lap_number": fastest["lap_number"],
            "slowest_total_time": slowest["lap_time"], "slowest_total_driver": slowest["driver"],
            "slowest_total_lap_number": slowest["lap_number"],
        })
    return pd.DataFrame(rows)


def _chart_matrix(laps: pd.DataFrame) -> pd.DataFrame:
    drivers = sorted(laps["driver"].unique())
    numbers = sorted(laps.loc[(laps["lap_number"] >= 1) & ~laps["is_lost_counter"], "lap_number"].unique())
    grid = pd.MultiIndex.from_product([drivers, numbers], names=["driver", "lap_number"]).to_frame(index=False)
    racing = laps.loc[laps["is_racing_lap"], ["driver", "lap_number", "lap_time"]]
    return grid.merge(racing, on=["driver", "lap_number"], how="left")


def _summary(laps: pd.DataFrame) -> dict:
    racing = laps[laps["is_racing_lap"]]
    fastest = _first(racing, ["lap_time", "lap_number", "driver"], [True, True, True]) if len(racing) else None
    return {
        "fastest_lap_time": fastest["lap_time"] if fastest is not None else None,
        "fastest_lap_driver": fastest["driver"] if fastest is not None else None,
        "fastest_lap_number": fastest["lap_number"] if fastest is not None else None,
        "total_laps": len(laps),
        "racing_laps": len(racing),
        "total_drivers": laps["driver"].nunique(),
    }


def session_stats(laps: pd.DataFrame) -> SessionStats:
    """Every mart's content for one session, from that session's canonical laps."""
    flagged = flag_laps(laps)
    return SessionStats(
        driver_stats=_driver_stats(flagged),
        sector_highlights=_sector_highlights(flagged),
        lap_highlights=_lap_highlights(flagged),
        chart_matrix=_chart_matrix(flagged),
        summary=_summary(flagged),
    )
