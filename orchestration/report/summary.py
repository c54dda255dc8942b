"""The results / fastest-lap table at the top of a session report."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.report import derive
from orchestration.report.data import SessionData


def summary_table(data: SessionData, order: list[str]) -> tuple[pd.DataFrame, str]:
    """One row per driver in classification order, and a note on where the order comes from."""
    laps = data.laps
    racing = laps[laps["is_racing_lap"] & laps["lap_time"].notna()]
    best = racing.sort_values(["lap_time", "lap_number"]).groupby("driver").head(1).set_index("driver")
    fastest = float(best["lap_time"].min()) if not best.empty else np.nan
    counted = laps[laps["lap_number"] >= 1].groupby("driver")["lap_number"].max()
    stops = laps[laps["is_pit_in_lap"]].groupby("driver").size()
    table = derive.race_table(data) if data.is_race else None
    last = None
    if table is not None:
        last = table.frame.sort_values("lap_number").groupby("driver").tail(1).set_index("driver")
    rows = []
    for pos, driver in enumerate(order, start=1):
        row: dict[str, object] = {"pos": pos, "driver": driver}
        if data.teams:
            row["team"] = data.teams.get(driver, "")
        row["laps"] = int(counted.get(driver, 0))
        if last is not None:
            if driver in last.index:
                ahead_laps = int(last["lap_number"].max())
                down = ahead_laps - int(last.loc[driver, "lap_number"])
                gap = last.loc[driver, "gap_to_leader"]
                stopped = int(last.loc[driver, "lap_number"])
                if down > 0 and stopped < 0.9 * ahead_laps:  # under 90% of the winner's laps: stopped early
                    row["gap"] = f"stopped, lap {stopped}"
                elif down > 0:
                    row["gap"] = f"+{down} lap{'s' if down > 1 else ''}"
                elif pos == 1:
                    row["gap"] = "leader"
                else:
                    row["gap"] = "" if pd.isna(gap) else f"+{float(gap):.3f}"
            else:
                row["gap"] = ""
        if driver in best.index:
            row["best_lap"] = float(best.loc[driver, "lap_time"])
            row["best_lap_number"] = int(best.loc[driver, "lap_number"])
            row["gap_to_fastest"] = float(best.loc[driver, "lap_time"]) - fastest
        else:
            row["best_lap"], row["best_lap_number"], row["gap_to_fastest"] = np.nan, None, np.nan
        row["pit_stops"] = int(stops.get(driver, 0))
        rows.append(row)
    if table is not None:
        order_from = "derived from cumulative lap times" if table.derived else "from the timing data's positions"
        gaps_from = "derived from cumulative lap times" if table.gaps_derived else "as timed"
        note = f"order {order_from}, gaps {gaps_from} (official results are not read here)"
    else:
        note = "ordered by best racing lap"
    return pd.DataFrame(rows), note
