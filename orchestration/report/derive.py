"""What the charts need, from the mart columns when they exist, otherwise derived from fct_laps here.

- track status per lap: `track_status` (green/yellow/sc/vsc/red) when present, else the source's `flag`
  (FastF1 TrackStatus digits 1 green, 2 yellow, 4 SC, 5 red, 6/7 VSC; GR Cup GF / FCY / FF).
- race order, positions and gap to leader: `position` / `gap_to_leader` (or `marts.lap_positions`) when
  present, else from cumulative lap times: at lap L every driver who completed L is ranked by the sum of
  laps 1..L. A missing lap time is taken as its sector sum, else as the median of that lap across drivers
  (`estimated` counts those).
- stints: `stint` / `compound` (or `marts.driver_stints`) when present, else a new stint after every pit-in
  lap (or at every pit-out lap).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from orchestration.report.data import SessionData

SEVERITY = {"green": 0, "yellow": 1, "vsc": 2, "fcy": 3, "sc": 4, "red": 5}
STATUS_LABEL = {"yellow": "yellow", "vsc": "VSC", "fcy": "FCY", "sc": "SC", "red": "red"}
F1_CODES = {"1": "green", "2": "yellow", "4": "sc", "5": "red", "6": "vsc", "7": "vsc"}
TEXT_CODES = {"gf": "green", "ff": "green", "green": "green", "fcy": "fcy", "yellow": "yellow", "y": "yellow",
              "sc": "sc", "vsc": "vsc", "red": "red", "rf": "red"}
SESSION_SHARE = 0.25  # a lap number is marked when at least this share of its laps ran under that status


def lap_status(value: object) -> str:
    """One lap's worst status from a track_status / flag value."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "green"
    text = str(value).strip().lower()
    if text in TEXT_CODES:
        return TEXT_CODES[text]
    if text.isdigit():
        found = [F1_CODES.get(ch, "green") for ch in text]
        return max(found, key=SEVERITY.__getitem__)
    return "green"


def laps_with_status(data: SessionData) -> pd.DataFrame:
    laps = data.laps.copy()
    source = "track_status" if "track_status" in laps and laps["track_status"].notna().any() else "flag"
    laps["status"] = [lap_status(v) for v in laps[source]] if source in laps else "green"
    return laps


def session_status(laps: pd.DataFrame) -> dict[int, str]:
    """lap number -> the worst status run by at least SESSION_SHARE of the laps with that number."""
    out: dict[int, str] = {}
    for lap, group in laps.groupby("lap_number"):
        shares = group["status"].value_counts(normalize=True)
        marked = [s for s, share in shares.items() if s != "green" and share >= SESSION_SHARE]
        if marked:
            out[int(lap)] = max(marked, key=SEVERITY.__getitem__)
    return out


def status_runs(status: dict[int, str]) -> list[tuple[int, int, str]]:
    """Consecutive lap numbers of one status as (first, last, status)."""
    runs: list[tuple[int, int, str]] = []
    for lap in sorted(status):
        if runs and runs[-1][2] == status[lap] and runs[-1][1] == lap - 1:
            runs[-1] = (runs[-1][0], lap, status[lap])
        else:
            runs.append((lap, lap, status[lap]))
    return runs


@dataclass
class RaceTable:
    """One row per driver and completed lap: cumulative time, position, gap to leader."""
    frame: pd.DataFrame  # driver, lap_number, cum_time, position, gap_to_leader
    order: list[str]  # classification: most laps, then least time
    derived: bool  # positions computed here from lap times (not the timing data's `position`)
    estimated: int  # lap times filled in (sector sum or lap median)
    gaps_derived: bool = True  # gaps computed here from cumulative lap times (not `gap_to_leader`)


def _filled_lap_times(laps: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    laps = laps[laps["lap_number"] >= 1].sort_values(["driver", "lap_number"]).copy()
    sectors = laps[["sector_1_time", "sector_2_time", "sector_3_time"]]
    time = laps["lap_time"].where(laps["lap_time"] > 0)
    time = time.fillna(sectors.sum(axis=1, min_count=3))
    median = laps.assign(t=time).groupby("lap_number")["t"].transform("median")
    estimated = int((laps["lap_time"].isna() | ~(laps["lap_time"] > 0)).sum())
    laps["filled"] = time.fillna(median)
    return laps, estimated


def race_table(data: SessionData) -> RaceTable | None:
    laps = data.laps
    if laps.empty:
        return None
    if "position" in laps and laps["position"].notna().any():
        frame = laps.dropna(subset=["position"])[["driver", "lap_number", "position"]].copy()
        if "gap_to_leader" in laps and laps["gap_to_leader"].notna().any():
            frame["gap_to_leader"] = laps.loc[frame.index, "gap_to_leader"]
            frame["cum_time"] = np.nan
            gaps_derived = False
        else:
            filled, _ = _filled_lap_times(laps)
            cum = filled.assign(cum_time=filled.groupby("driver")["filled"].cumsum())
            frame = frame.merge(cum[["driver", "lap_number", "cum_time"]], on=["driver", "lap_number"], how="left")
            frame["gap_to_leader"] = frame["cum_time"] - frame.groupby("lap_number")["cum_time"].transform("min")
            gaps_derived = True
        last = frame.sort_values("lap_number").groupby("driver").tail(1)
        order = last.sort_values(["lap_number", "position"], ascending=[False, True])["driver"].tolist()
        return RaceTable(frame, order, False, 0, gaps_derived)
    if data.positions is not None and {"lap_number", "position"} <= set(data.positions.columns):
        frame = data.positions.copy()
        gaps_derived = "gap_to_leader" not in frame or frame["gap_to_leader"].isna().all()
        if gaps_derived:
            filled, _ = _filled_lap_times(laps)
            cum = filled.assign(cum_time=filled.groupby("driver")["filled"].cumsum())
            frame = frame.drop(columns=["gap_to_leader", "cum_time"], errors="ignore").merge(
                cum[["driver", "lap_number", "cum_time"]], on=["driver", "lap_number"], how="left")
            frame["gap_to_leader"] = frame["cum_time"] - frame.groupby("lap_number")["cum_time"].transform("min")
        last = frame.sort_values("lap_number").groupby("driver").tail(1)
        order = last.sort_values(["lap_number", "position"], ascending=[False, True])["driver"].tolist()
        return RaceTable(frame, order, False, 0, gaps_derived)
    filled, estimated = _filled_lap_times(laps)
    filled["cum_time"] = filled.groupby("driver")["filled"].cumsum()
    frame = filled.dropna(subset=["cum_time"])[["driver", "lap_number", "cum_time"]].copy()
    frame["position"] = frame.groupby("lap_number")["cum_time"].rank(method="first").astype(int)
    frame["gap_to_leader"] = frame["cum_time"] - frame.groupby("lap_number")["cum_time"].transform("min")
    last = frame.sort_values("lap_number").groupby("driver").tail(1)
    order = last.sort_values(["lap_number", "cum_time"], ascending=[False, True])["driver"].tolist()
    return RaceTable(frame, order, True, estimated, True)


def classification(data: SessionData) -> list[str]:
    """Drivers in result order for a race (laps, then time), by best lap otherwise; drivers without a
    timed lap last. This order fixes each driver's colour for the whole report."""
    drivers = sorted(data.laps["driver"].unique(), key=str)
    if data.is_race:
        table = race_table(data)
        if table is not None:
            ranked = [d for d in table.order if d in drivers]
            return ranked + [d for d in drivers if d not in ranked]
    racing = data.laps[data.laps["is_racing_lap"]]
    best = racing.groupby("driver")["lap_time"].min().sort_values()
    ranked = [str(d) for d in best.index]
    return ranked + [d for d in drivers if d not in ranked]


def stints(data: SessionData) -> tuple[pd.DataFrame, str]:
    """driver, stint, start_lap, end_lap, compound (may be None); and where it came from."""
    if data.stints is not None and {"stint", "start_lap", "end_lap"} <= set(data.stints.columns):
        frame = data.stints.copy()
        if "compound" not in frame:
            frame["compound"] = None
        return frame[["driver", "stint", "start_lap", "end_lap", "compound"]], "marts.driver_stints"
    laps = data.laps[data.laps["lap_number"] >= 1].sort_values(["driver", "lap_number"]).copy()
    if "stint" in laps and laps["stint"].notna().any():
        laps["stint_no"] = laps.groupby("driver")["stint"].ffill().bfill()
        source = "fct_laps.stint"
    else:
        pit_before = laps.groupby("driver")["is_pit_in_lap"].shift(1, fill_value=False).astype(bool)
        out = laps["is_pit_out_lap"] & ~pit_before
        starts = pit_before | out
        laps["stint_no"] = starts.groupby(laps["driver"]).cumsum() + 1
        source = "pit laps"
    has_compound = "compound" in laps and laps["compound"].notna().any()
    rows = []
    for (driver, stint), group in laps.groupby(["driver", "stint_no"], sort=False):
        compound = None
        if has_compound and group["compound"].notna().any():
            compound = str(group["compound"].dropna().mode().iloc[0])
        rows.append({"driver": driver, "stint": int(stint), "start_lap": int(group["lap_number"].min()),
                     "end_lap": int(group["lap_number"].max()), "compound": compound})
    frame = pd.DataFrame(rows, columns=["driver", "stint", "start_lap", "end_lap", "compound"])
    return frame, ("fct_laps.compound" if has_compound else source)


def robust_limits(values: pd.Series, low_q: float = 0.01, high_q: float = 0.92) -> tuple[float, float]:
    """Y-limits of a lap-time axis from racing laps: the slow tail (SC, traffic, a spin) is clipped and
    marked, not allowed to flatten the racing band."""
    v = values.dropna()
    lo, hi = float(v.quantile(low_q)), float(v.quantile(high_q))
    span = max(hi - lo, 0.5)
    return lo - 0.12 * span, hi + 0.45 * span
