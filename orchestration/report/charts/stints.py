"""Stints per driver as horizontal bars: coloured by tyre compound where known, else between pit stops."""

from __future__ import annotations

from matplotlib.patches import Patch

from orchestration.report import derive
from orchestration.report.charts.common import BASE_FONT, ChartContext, NotAvailable, figure

COMPOUNDS = {"SOFT": "#da291c", "MEDIUM": "#ffd12e", "HARD": "#f0f0ec", "INTERMEDIATE": "#43b02a",
             "WET": "#0067ad", "UNKNOWN": "#bdbdbd", "TEST_UNKNOWN": "#bdbdbd"}
STINT_SHADES = ("#5b8fd1", "#a9c6ea")


def draw(ctx: ChartContext):
    frame, source = derive.stints(ctx.data)
    if frame.empty:
        raise NotAvailable("no laps")
    by_compound = frame["compound"].notna().any()
    if not by_compound and frame.groupby("driver").size().max() <= 1:
        raise NotAvailable("no tyre compounds and no pit stops recorded")
    drivers = [d for d in ctx.order if d in set(frame["driver"])]
    fig, ax = figure(ctx, 1.3 + 0.27 * len(drivers))
    for row, driver in enumerate(drivers):
        mine = frame[frame["driver"] == driver].sort_values("start_lap")
        for k, stint in enumerate(mine.itertuples()):
            length = stint.end_lap - stint.start_lap + 1
            if by_compound:
                name = str(stint.compound or "UNKNOWN").upper()
                colour = COMPOUNDS.get(name, "#bdbdbd")
                text = name[0] if name not in ("UNKNOWN", "TEST_UNKNOWN") else "?"
            else:
                colour, text = STINT_SHADES[k % 2], f"stint {k + 1}:"
            ax.barh(row, length, left=stint.start_lap - 0.5, height=0.72, color=colour, edgecolor="#333", lw=0.6)
            label = f"{text} {length} laps" if length >= 8 else (str(length) if length >= 2 else "")
            if label:
                ax.text(stint.start_lap - 0.5 + length / 2, row, label, ha="center", va="center",
                        fontsize=BASE_FONT - 2.5, color="black")
    ax.set_yticks(range(len(drivers)), drivers)
    for label, driver in zip(ax.get_yticklabels(), drivers, strict=True):
        label.set_color(ctx.colour(driver))
        label.set_fontweight("bold")
    ax.set_ylim(len(drivers) - 0.5, -0.5)
    ax.set_xlim(0.5, float(frame["end_lap"].max()) + 0.5)
    ax.set_xlabel("lap")
    ax.grid(axis="x", alpha=0.25)
    stops = int((frame.groupby("driver").size() - 1).sum())
    if by_compound:
        used = [c for c in COMPOUNDS if c in set(frame["compound"].dropna().str.upper())]
        ax.legend(handles=[Patch(facecolor=COMPOUNDS[c], edgecolor="#333", label=c.lower()) for c in used],
                  loc="upper left", bbox_to_anchor=(0, -0.6 / (1.3 + 0.27 * len(drivers)) * 2.2), ncol=len(used),
                  fontsize=8, frameon=False)
        caption = (f"Stints by tyre compound (compound initial and stint length in laps; from {source}); "
                   f"{stops} stops.")
    else:
        caption = (f"No tyre compounds in this session's data: stints between pit stops (from {source}), "
                   f"with their length in laps; {stops} stops.")
    return fig, caption
