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


def session_kind(session_name: str | None) -> str:
    """race / qualifying / practice / other from the session name (the README's lap validity table)."""
    name = (session_name or "").lower()
    if "qualif" in name or "shootout" in name:
        return "qualifying"
    if "practice" in name or name.startswith("fp") or "test" in name or "warm" in name:
        return "practice"
    if any(word in name for word in ("race", "sprint", "feature", "grand prix")):
        return "race"
    return "other"


def _flag(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].map(lambda v: bool(v) if v is not None and v == v else False)


def flag_laps(laps: pd.DataFrame, session_name: str | None = None) -> pd.DataFrame:
    """Drop exact repeats, then mark lost-counter, outlier, racing, official-eligible, pace, unfinished and
    personal-best laps, each rule written out again from the README (not from the SQL)."""
    laps = laps.sort_values("source_line")
    lost = laps["lap_number"] >= LOST_COUNTER_LAP
    kept = laps[lost | ~laps.duplicated(["driver", "lap_number", "lap_time"], keep="first")].copy()
    for column in ("is_pit_lane_finish", "is_provider_best_lap", "is_generated_lap", "is_green_flag"):
        if column not in kept:
            kept[column] = None
    kind = session_kind(session_name)
    kept["is_lost_counter"] = kept["lap_number"] >= LOST_COUNTER_LAP
    timed = kept["lap_time"].gt(0) & ~kept["is_lost_counter"]
    median = kept.loc[timed, "lap_time"].median() if timed.any() else np.nan
    kept["is_outlier"] = kept["lap_time"].gt(0) & (
        kept["lap_time"].lt(median * OUTLIER_LOW) | kept["lap_time"].gt(median * OUTLIER_HIGH))
    pit_in, pit_out = _flag(kept, "is_pit_in_lap"), _flag(kept, "is_pit_out_lap")
    deleted = _flag(kept, "is_deleted")
    kept["is_racing_lap"] = (
        kept["lap_number"].ge(1) & ~kept["is_lost_counter"] & kept["lap_time"].gt(0)
        & ~pit_in & ~pit_out & ~deleted & ~kept["is_outlier"])
    provider_best = _flag(kept, "is_provider_best_lap")
    marked = kept["lap_time"].where(provider_best).groupby(kept["driver"]).transform("min")
    rejected = kept["lap_time"].lt(marked).fillna(False)
    start = kept["lap_number"].eq(1) & (kind == "race")
    last = kept["lap_number"].where(~kept["is_lost_counter"]).groupby(kept["driver"]).transform("max")
    unfinished = _flag(kept, "is_generated_lap") | (
        kept["lap_number"].eq(last) & kept["lap_time"].isna() & kept["sector_3_time"].isna())
    kept["is_unfinished_lap"] = unfinished
    kept["is_fastest_lap_eligible"] = provider_best | (
        kept["lap_number"].ge(1) & ~kept["is_lost_counter"] & kept["lap_time"].gt(0) & ~kept["is_outlier"]
        & ~deleted & ~unfinished & ~rejected & ~start & ~_flag(kept, "is_pit_lane_finish")
        & ~(pit_out & (kind != "race")))
    green = kept["is_green_flag"].map(lambda v: True if v is None or v != v else bool(v))
    kept["is_pace_lap"] = kept["is_racing_lap"] & ~start & ~rejected & green
    eligible = kept[kept["is_fastest_lap_eligible"]].sort_values(["lap_time", "lap_number"])
    best_index = eligible.groupby("driver", sort=False).head(1).index
    kept["is_personal_best"] = kept.index.isin(best_index)
    return kept


def _first(frame: pd.DataFrame, by: list[str], ascending: list[bool]) -> pd.Series:
    return frame.sort_values(by, ascending=ascending).iloc[0]


def _driver_stats(laps: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for driver, group in laps.groupby("driver", sort=True):
        racing = group[group["is_racing_lap"]]
        eligible = group[group["is_fastest_lap_eligible"]]
        pace = group[group["is_pace_lap"]]
        complete = pace[(pace["sector_1_time"] > 0) & (pace["sector_2_time"] > 0) & (pace["sector_3_time"] > 0)]
        bests = [complete[f"sector_{n}_time"].min() for n in (1, 2, 3)]
        pace_best = pace["lap_time"].min()
        optimal = bests[0] + bests[1] + bests[2]
        if optimal > pace_best:  # a whole pace lap beats the sector sum: the optimal lap is never slower
            optimal = pace_best
        pb = group[group["is_personal_best"]]
        finished = group[(group["lap_number"] >= 1) & ~group["is_lost_counter"] & ~group["is_unfinished_lap"]]
        rows.append({
            "driver": driver,
            "best_lap_time": eligible["lap_time"].min(),
            "best_lap_number": pb["lap_number"].iloc[0] if len(pb) else np.nan,
            "optimal_lap_time": optimal,
            "best_sector_1_time": bests[0], "best_sector_2_time": bests[1], "best_sector_3_time": bests[2],
            "lap_count": len(group),
            "racing_lap_count": len(racing),
            "avg_lap_time": racing["lap_time"].mean() if len(racing) else np.nan,
            "consistency": racing["lap_time"].std(ddof=1) if len(racing) > 1 else np.nan,
            "has_racing_laps": len(racing) > 0,
            "laps_completed": int(finished["lap_number"].max()) if len(finished) else 0,
            "pace_lap_count": len(pace),
            "pace_best_lap_time": pace_best,
            "pace_avg_lap_time": pace["lap_time"].mean() if len(pace) else np.nan,
            "pace_median_lap_time": pace["lap_time"].median() if len(pace) else np.nan,
            "pace_consistency": pace["lap_time"].std(ddof=1) if len(pace) > 1 else np.nan,
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
    eligible = laps[laps["is_fastest_lap_eligible"]]
    if racing.empty or eligible.empty:
        return pd.DataFrame()
    fastest = _first(eligible, ["lap_time", "lap_number", "driver"], [True, True, True])
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
    eligible = laps[laps["is_fastest_lap_eligible"]]
    fastest = _first(eligible, ["lap_time", "lap_number", "driver"], [True, True, True]) if len(eligible) else None
    return {
        "fastest_lap_time": fastest["lap_time"] if fastest is not None else None,
        "fastest_lap_driver": fastest["driver"] if fastest is not None else None,
        "fastest_lap_number": fastest["lap_number"] if fastest is not None else None,
        "total_laps": len(laps),
        "racing_laps": len(racing),
        "total_drivers": laps["driver"].nunique(),
    }


def session_stats(laps: pd.DataFrame, session_name: str | None = None) -> SessionStats:
    """Every mart's content for one session, from that session's canonical laps."""
    flagged = flag_laps(laps, session_name)
    return SessionStats(
        driver_stats=_driver_stats(flagged),
        sector_highlights=_sector_highlights(flagged),
        lap_highlights=_lap_highlights(flagged),
        chart_matrix=_chart_matrix(flagged),
        summary=_summary(flagged),
    )
