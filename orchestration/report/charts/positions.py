"""Positions by lap, start label on the left and finish label on the right."""

from __future__ import annotations

from orchestration.report import derive
from orchestration.report.charts.common import BASE_FONT, ChartContext, figure, race_rows, status_bands


def draw(ctx: ChartContext):
    table, frame = race_rows(ctx, "position", "no positions and no lap times to derive them from")
    count = int(frame["position"].max())
    fig, ax = figure(ctx, 1.2 + 0.26 * count)
    status_bands(ax, derive.session_status(derive.laps_with_status(ctx.data)))
    last_lap = float(frame["lap_number"].max())
    for driver in ctx.order:
        mine = frame[frame["driver"] == driver].sort_values("lap_number")
        if mine.empty:
            continue
        colour = ctx.colour(driver)
        ax.plot(mine["lap_number"], mine["position"], color=colour, ls=ctx.linestyle(driver), lw=1.8,
                marker="o" if len(mine) < 3 else None, ms=3)
        first, last = mine.iloc[0], mine.iloc[-1]
        ax.text(first["lap_number"] - 0.6, first["position"], f"{driver} P{int(first['position'])}", ha="right",
                va="center", fontsize=BASE_FONT - 2, color=colour, fontweight="bold")
        if last["lap_number"] < 0.9 * last_lap:  # stopped early: a cross where the line ends, label beside it
            ax.plot(last["lap_number"], last["position"], marker="X", ms=7, color=colour, mec="white", mew=0.8)
            ax.text(last["lap_number"] + 0.5, last["position"] - 0.35, f"{driver} out", ha="left", va="bottom",
                    fontsize=BASE_FONT - 2.5, color=colour, fontweight="bold",
                    bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
            continue
        down = int(last_lap - last["lap_number"])
        lapped = f" (+{down} lap{'s' if down > 1 else ''})" if down > 0 else ""
        ax.text(last_lap + 0.6, last["position"], f" P{int(last['position'])} {driver}{lapped}", ha="left",
                va="center", fontsize=BASE_FONT - 2, color=colour, fontweight="bold")
    ax.set_ylim(count + 0.6, 0.4)
    ax.set_yticks(range(1, count + 1), [""] * count)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="y", alpha=0.12)
    ax.set_xlim(0.5, last_lap + 0.5)
    ax.set_xlabel("lap")
    ax.grid(axis="x", alpha=0.25)
    how = "derived from cumulative lap times" if table.derived else "as timed"
    return fig, (f"Running order at the end of each lap ({how}); left: position after lap 1, right: final "
                 "position; a cross marks a car's last timed lap when it stopped early.")
