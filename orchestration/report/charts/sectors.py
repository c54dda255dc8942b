"""Heatmap: each driver's best racing-lap sectors (and best / optimal lap) as the gap to the session best."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orchestration.report.charts.common import BASE_FONT, ChartContext, NotAvailable, figure

COLUMNS = ("sector_1_time", "sector_2_time", "sector_3_time")
LABELS = ("S1", "S2", "S3", "optimal lap\n(S1+S2+S3)", "best lap")


def draw(ctx: ChartContext):
    racing = ctx.data.laps[ctx.data.laps["is_racing_lap"]]
    best = racing.groupby("driver")[list(COLUMNS) + ["lap_time"]].min()
    if best[list(COLUMNS)].notna().sum().sum() == 0:
        raise NotAvailable("no sector times recorded")
    best["optimal"] = best[list(COLUMNS)].sum(axis=1, min_count=3)
    best = best[list(COLUMNS) + ["optimal", "lap_time"]]
    drivers = [d for d in ctx.order if d in best.index]
    best = best.loc[drivers]
    gaps = best - best.min()
    height = 1.3 + 0.27 * len(drivers)
    fig, ax = figure(ctx, height)
    values = gaps.to_numpy(dtype=float)
    # Colour per column (a lap gap is three sector gaps): 0 = the best, full red = the column's 90th percentile.
    caps = np.array([max(float(np.nanquantile(col, 0.9)) if np.isfinite(col).any() else 1.0, 0.02)
                     for col in values.T])
    shade = np.clip(values / caps, 0, 1)
    ax.imshow(np.where(np.isfinite(shade), shade, np.nan), aspect="auto", cmap="YlOrRd", vmin=0, vmax=1.15)
    for (i, j), gap in np.ndenumerate(values):
        if not np.isfinite(gap):
            text, colour = "-", "#888"
        else:
            absolute = best.iloc[i, j]
            text = f"{absolute:.3f}" if gap == 0 else f"+{gap:.3f}"
            colour = "white" if gap > caps[j] * 0.75 else "black"
        weight = "bold" if np.isfinite(gap) and gap == 0 else "normal"
        ax.text(j, i, text, ha="center", va="center", fontsize=BASE_FONT - 2, color=colour, fontweight=weight)
    ax.set_xticks(np.arange(-0.5, len(LABELS)), minor=True)
    ax.set_yticks(np.arange(-0.5, len(drivers)), minor=True)
    ax.grid(which="minor", color="white", lw=1.2)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fastest = pd.Series({LABELS[k].split("\n")[0]: best.iloc[:, k].idxmin() for k in range(3)})
    leaders = ", ".join(f"{k} {v}" for k, v in fastest.items())
    caption = ("Each driver's best racing-lap sector times against the session's best (bold: the best time "
               f"itself); colour scaled per column, darkest = the column's slowest tenth. Fastest sectors: {leaders}.")
    return fig, caption
