"""Race trace: gap to the leader after every lap (leader on top), track status shaded."""

from __future__ import annotations

from orchestration.report import derive
from orchestration.report.charts.common import ChartContext, direct_labels, figure, race_rows, status_bands

MAX_GAP_QUANTILE = 0.85


def draw(ctx: ChartContext):
    table, frame = race_rows(ctx, "gap_to_leader", "no gap to leader and no lap times to derive it from")
    fig, ax = figure(ctx, 6.0)
    status_bands(ax, derive.session_status(derive.laps_with_status(ctx.data)))
    # Lapped cars run away to minutes behind: cap the axis at a high quantile of the final gaps.
    final = frame.sort_values("lap_number").groupby("driver").tail(1)
    cap = float(max(frame["gap_to_leader"].quantile(MAX_GAP_QUANTILE), final["gap_to_leader"].quantile(0.5), 5.0))
    cap *= 1.08
    ends = {}
    for driver in ctx.order:
        mine = frame[frame["driver"] == driver].sort_values("lap_number")
        if mine.empty:
            continue
        ax.plot(mine["lap_number"], mine["gap_to_leader"].clip(upper=cap), color=ctx.colour(driver),
                ls=ctx.linestyle(driver), lw=1.4)
        ends[driver] = (float(mine["lap_number"].iloc[-1]), float(min(mine["gap_to_leader"].iloc[-1], cap)))
    ax.set_ylim(cap, -cap * 0.02)
    ax.set_xlim(0.5, float(frame["lap_number"].max()) + 0.5)
    ax.set_xlabel("lap")
    ax.set_ylabel("gap to leader (s)")
    ax.grid(alpha=0.25)
    x_text = ax.get_xlim()[1] + (ax.get_xlim()[1] - ax.get_xlim()[0]) * 0.01
    direct_labels(ax, ctx, ends, x_text=x_text)
    how = ("derived from cumulative lap times (a missing lap time counts as its sector sum or the lap's median: "
           f"{table.estimated} laps)" if table.gaps_derived else "from the timing data's gap to leader")
    caption = (f"Gap to the leader at the end of each lap, {how}. Gaps beyond {cap:.0f} s (lapped cars) are "
               "drawn on the bottom edge.")
    return fig, caption
