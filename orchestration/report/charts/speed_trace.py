"""Speed traces of the session's two best laps with telemetry, and the running time delta between them.

Aligned on the telemetry's `distance` channel where it is recorded; otherwise on distance integrated from
speed over each lap (trapezoids over the sample times), each lap scaled to the two laps' mean length so the
traces end together. The axis label says which.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.report.charts.common import ChartContext, NotAvailable, figure, fmt_lap_time

GRID_STEP_M = 5.0


def _lap_frame(samples: pd.DataFrame) -> pd.DataFrame:
    lap = samples.sort_values("sample_time").copy()
    if lap["session_time"].notna().all():
        t = lap["session_time"].to_numpy(dtype=float)
    else:
        t = (pd.to_datetime(lap["sample_time"]) - pd.to_datetime(lap["sample_time"]).iloc[0]).dt.total_seconds()
        t = t.to_numpy(dtype=float)
    lap["elapsed"] = t - t[0]
    v = lap["speed"].to_numpy(dtype=float) / 3.6
    steps = np.diff(lap["elapsed"].to_numpy()) * (v[1:] + v[:-1]) / 2
    lap["integrated"] = np.concatenate([[0.0], np.cumsum(steps)])
    return lap


def draw(ctx: ChartContext):
    tel = ctx.data.telemetry
    if tel is None or tel.empty:
        raise NotAvailable(ctx.data.telemetry_note or "no telemetry")
    laps = [_lap_frame(tel[tel["rank"] == k]) for k in (0, 1)]
    if any(len(lap) < 10 for lap in laps):
        raise NotAvailable("too few telemetry samples on the best laps")
    measured = all(lap["distance"].notna().mean() > 0.9 for lap in laps)
    if measured:
        for lap in laps:
            d = lap["distance"].interpolate().bfill().ffill()
            lap["d"] = d - d.iloc[0]
        xlabel = "distance along the lap (m, telemetry distance channel)"
        aligned = "Aligned on the telemetry's distance channel."
    else:
        mean_length = float(np.mean([lap["integrated"].iloc[-1] for lap in laps]))
        for lap in laps:
            lap["d"] = lap["integrated"] * mean_length / lap["integrated"].iloc[-1]
        xlabel = (f"distance (m) integrated from speed, no distance channel recorded; each lap scaled to "
                  f"{mean_length:,.0f} m")
        aligned = ("Aligned on distance integrated from speed over each lap (this telemetry has no distance "
                   f"channel), each lap scaled to {mean_length:,.0f} m.")
    length = min(float(lap["d"].max()) for lap in laps)
    grid = np.arange(0, length, GRID_STEP_M)
    times = [np.interp(grid, np.maximum.accumulate(lap["d"].to_numpy()), lap["elapsed"].to_numpy()) for lap in laps]
    delta = times[1] - times[0]
    who = [(str(lap["driver"].iloc[0]), int(lap["lap_number"].iloc[0]), lap["lap_time"].iloc[0]) for lap in laps]
    names = [f"{d} lap {n} ({fmt_lap_time(t)})" for d, n, t in who]
    fig, (top, bottom) = figure(ctx, 6.4, nrows=2, sharex=True, gridspec_kw={"height_ratios": [2.3, 1]})
    same_driver = who[0][0] == who[1][0]
    for k, lap in enumerate(laps):
        driver = who[k][0]
        colour = ctx.colour(driver) if not (same_driver and k == 1) else "#777777"
        top.plot(lap["d"], lap["speed"], color=colour, lw=1.4, ls="-" if k == 0 else "--", label=names[k])
    top.set_ylabel("speed (km/h)")
    top.grid(alpha=0.25)
    top.legend(loc="lower right", fontsize=9, frameon=True)
    bottom.axhline(0, color="#444", lw=0.8)
    bottom.fill_between(grid, delta, 0, where=delta >= 0, color=ctx.colour(who[0][0]), alpha=0.35, lw=0)
    bottom.fill_between(grid, delta, 0, where=delta < 0, color="#777777" if same_driver else ctx.colour(who[1][0]),
                        alpha=0.35, lw=0)
    bottom.plot(grid, delta, color="#222", lw=1.1)
    bottom.set_ylabel(f"delta (s)\n+ = {who[1][0]} behind")
    bottom.set_xlabel(xlabel)
    bottom.grid(alpha=0.25)
    gap = (who[1][2] - who[0][2]) if who[0][2] and who[1][2] else float("nan")
    caption = (f"{names[0]} against {names[1]}: speed (top) and the running time difference (bottom; above zero "
               f"{who[1][0]} is behind). Timed lap difference {gap:+.3f} s; delta at the end of the aligned trace "
               f"{delta[-1]:+.3f} s. {aligned}")
    return fig, caption
