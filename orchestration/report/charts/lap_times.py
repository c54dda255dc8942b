"""Lap times of racing laps per driver; pit laps and slow laps marked at the edge, track status shaded.

The y-axis comes from green racing laps (1st to 92nd percentile plus margins), so safety-car, pit and
traffic laps never flatten the racing band: laps above the axis are drawn as markers on its top edge.
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from orchestration.report import derive
from orchestration.report.charts.common import (
    STATUS_ALPHA,
    STATUS_COLOURS,
    ChartContext,
    NotAvailable,
    direct_labels,
    figure,
    fmt_axis_time,
    fmt_lap_time,
    status_bands,
)


def draw(ctx: ChartContext):
    laps = derive.laps_with_status(ctx.data)
    timed = laps[(laps["lap_number"] >= 1) & (laps["lap_time"] > 0)]
    racing = timed[timed["is_racing_lap"]]
    if racing.empty:
        raise NotAvailable("no timed racing laps")
    green = racing[racing["status"] == "green"]
    lo, hi = derive.robust_limits(green["lap_time"] if len(green) >= 10 else racing["lap_time"])
    fig, ax = figure(ctx, 6.0)
    status = derive.session_status(laps)
    drawn = status_bands(ax, status)
    ends: dict[str, tuple[float, float]] = {}
    off_scale = 0
    for driver in ctx.order:
        mine = timed[timed["driver"] == driver].sort_values("lap_number")
        if mine.empty:
            continue
        line = mine["lap_time"].where(mine["is_racing_lap"] & (mine["lap_time"] <= hi))
        ax.plot(mine["lap_number"], line, color=ctx.colour(driver), ls=ctx.linestyle(driver), lw=1.3,
                alpha=0.9, zorder=3)
        pit = mine[mine["is_pit_in_lap"] | mine["is_pit_out_lap"]]
        if not pit.empty:
            ax.scatter(pit["lap_number"], np.minimum(pit["lap_time"], hi - (hi - lo) * 0.015), marker="v",
                       s=26, color=ctx.colour(driver), edgecolor="black", linewidth=0.4, zorder=5)
        slow = mine[~(mine["is_pit_in_lap"] | mine["is_pit_out_lap"]) & (mine["lap_time"] > hi)]
        off_scale += len(slow)
        if not slow.empty:
            ax.scatter(slow["lap_number"], np.full(len(slow), hi - (hi - lo) * 0.015), marker="^", s=14,
                       color=ctx.colour(driver), alpha=0.7, zorder=4, clip_on=False)
        valid = line.dropna()
        if not valid.empty:
            tail = valid.tail(5)
            ends[driver] = (float(mine.loc[valid.index[-1], "lap_number"]), float(tail.median()))
    ax.set_ylim(lo, hi)
    ax.set_xlim(0.5, float(timed["lap_number"].max()) + 0.5)
    ax.set_xlabel("lap")
    ax.set_ylabel("lap time (s)")
    ax.grid(alpha=0.25)
    ax.yaxis.set_major_formatter(fmt_axis_time)
    x_text = ax.get_xlim()[1] + (ax.get_xlim()[1] - ax.get_xlim()[0]) * 0.01
    direct_labels(ax, ctx, ends, x_text=x_text)
    handles = [Line2D([], [], color="#444", lw=1.3, label="racing lap"),
               Line2D([], [], marker="v", ls="", color="#888", markeredgecolor="black", label="pit in / out lap"),
               Line2D([], [], marker="^", ls="", color="#888", label="slower lap (above the axis)")]
    handles += [Patch(color=STATUS_COLOURS[k], alpha=STATUS_ALPHA[k] * 2, label=f"{derive.STATUS_LABEL[k]} laps")
                for k in drawn]
    ax.legend(handles=handles, loc="upper left", fontsize=8, ncol=len(handles), frameon=False,
              bbox_to_anchor=(0, -0.09))
    best = racing.loc[racing["lap_time"].idxmin()]
    caption = (f"Racing laps as lines; the y-axis comes from the spread of green racing laps, so the "
               f"{off_scale} slower laps (SC, VSC, yellow, traffic) sit as markers on the top edge. Fastest lap "
               f"{fmt_lap_time(best['lap_time'])} by {best['driver']} on lap {int(best['lap_number'])}.")
    return fig, caption
