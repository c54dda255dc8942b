"""Shared pieces of the charts: context, fonts, direct labels, track-status bands."""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from orchestration.report import derive
from orchestration.report.data import SessionData
from orchestration.report.palette import DriverStyle

STATUS_COLOURS = {"yellow": "#f5d90a", "vsc": "#ffb74d", "fcy": "#ff9800", "sc": "#ff9800", "red": "#e53935"}
STATUS_ALPHA = {"yellow": 0.22, "vsc": 0.22, "fcy": 0.25, "sc": 0.25, "red": 0.25}
BASE_FONT = 10


class NotAvailable(Exception):
    """The session has not got what the chart needs; the message says what is missing."""


@dataclass
class ChartContext:
    data: SessionData
    order: list[str]  # classification; fixes colours and legend order
    styles: dict[str, DriverStyle]
    width_in: float

    def colour(self, driver: str) -> str:
        return self.styles[driver].colour

    def linestyle(self, driver: str) -> str:
        return self.styles[driver].linestyle


def figure(ctx: ChartContext, height_in: float, nrows: int = 1, **kwargs) -> tuple[plt.Figure, object]:
    plt.rcParams.update({"font.size": BASE_FONT, "axes.titlesize": BASE_FONT + 2, "axes.labelsize": BASE_FONT,
                         "xtick.labelsize": BASE_FONT - 1, "ytick.labelsize": BASE_FONT - 1,
                         "axes.spines.top": False, "axes.spines.right": False})
    fig, ax = plt.subplots(nrows, 1, figsize=(ctx.width_in, height_in), layout="constrained", **kwargs)
    return fig, ax


def spread_labels(ys: list[float], min_gap: float, lo: float, hi: float) -> list[float]:
    """Move label positions apart by at least min_gap, keeping their order, inside [lo, hi] where they fit."""
    if not ys:
        return []
    order = np.argsort(ys, kind="stable")
    placed = np.array(ys, dtype=float)[order]
    for i in range(1, len(placed)):  # push up from the lowest
        placed[i] = max(placed[i], placed[i - 1] + min_gap)
    placed[-1] = min(placed[-1], hi)
    for i in range(len(placed) - 2, -1, -1):  # and back down from the top edge
        placed[i] = min(placed[i], placed[i + 1] - min_gap)
    if placed[0] < lo:  # too many to fit: squeeze evenly
        placed = np.linspace(lo, hi, len(placed)) if len(placed) > 1 else np.array([lo])
    out = np.empty_like(placed)
    out[order] = placed
    return out.tolist()


def direct_labels(ax, ctx: ChartContext, ends: dict[str, tuple[float, float]], *, x_text: float | None = None,
                  fontsize: float = BASE_FONT - 1.5) -> None:
    """A driver label at the end of each line, spread so they never overlap (with a thin leader line)."""
    if not ends:
        return
    lo, hi = ax.get_ylim()
    inverted = lo > hi
    lo, hi = min(lo, hi), max(lo, hi)
    height_px = ax.get_window_extent().height or 400
    gap = (hi - lo) * (fontsize * 1.25 * ax.figure.dpi / 72) / height_px
    x_max = x_text if x_text is not None else ax.get_xlim()[1]
    x_last = max(x for x, _ in ends.values())
    # Lines that stop early (retired cars) are labelled where they stop; the rest spread at the right edge.
    early = {d for d, (x, _) in ends.items() if x < x_last - 1.5}
    for driver in early:
        x_end, y = ends[driver]
        ax.text(x_end + 0.3, min(max(y, lo), hi), driver, fontsize=fontsize - 0.5, color=ctx.colour(driver),
                va="center", ha="left", fontweight="bold", clip_on=False)
    drivers = [d for d in ends if d not in early]
    ys = [min(max(ends[d][1], lo), hi) for d in drivers]
    placed = spread_labels(ys, gap, lo, hi)
    for driver, y, y_text in zip(drivers, ys, placed, strict=True):
        x_end = ends[driver][0]
        ax.annotate(driver, xy=(x_end, y), xytext=(x_max, y_text), textcoords="data", fontsize=fontsize,
                    color=ctx.colour(driver), va="center", ha="left", annotation_clip=False, fontweight="bold",
                    arrowprops={"arrowstyle": "-", "color": ctx.colour(driver), "lw": 0.5, "alpha": 0.6,
                                "shrinkA": 0, "shrinkB": 2})
    if inverted:
        ax.set_ylim(hi, lo)


def status_bands(ax, status: dict[int, str], *, label: bool = True) -> list[str]:
    """Shade laps run under yellow / VSC / SC / FCY / red; returns the statuses drawn (for the legend)."""
    drawn: list[str] = []
    last_x, level = -1e9, 0
    for first, last, kind in derive.status_runs(status):
        ax.axvspan(first - 0.5, last + 0.5, color=STATUS_COLOURS[kind], alpha=STATUS_ALPHA[kind], lw=0, zorder=0)
        if label:
            x = (first + last) / 2
            level = (level + 1) % 2 if x - last_x < 3.5 else 0  # neighbouring labels stagger
            last_x = x
            ax.text(x, 1.0 + 0.035 * level, derive.STATUS_LABEL[kind], transform=ax.get_xaxis_transform(),
                    ha="center", va="bottom", fontsize=BASE_FONT - 2, color="#7a5200", clip_on=False)
        if kind not in drawn:
            drawn.append(kind)
    return drawn


def race_rows(ctx: ChartContext, column: str, missing: str) -> tuple[derive.RaceTable, pd.DataFrame]:
    """The race table and its rows that have `column`, for the charts of a race (positions, race trace);
    NotAvailable, with why, for a session that is not a race or has no `column` and nothing to derive it from."""
    if not ctx.data.is_race:
        raise NotAvailable(f"{ctx.data.session_name} is not a race")
    table = derive.race_table(ctx.data)
    if table is None or table.frame[column].notna().sum() == 0:
        raise NotAvailable(missing)
    return table, table.frame.dropna(subset=[column])


def fmt_lap_time(seconds: float) -> str:
    if seconds is None or not np.isfinite(seconds):
        return ""
    mins, secs = divmod(float(seconds), 60)
    return f"{int(mins)}:{secs:06.3f}" if mins else f"{secs:.3f}"


def fmt_axis_time(seconds: float, _pos: object = None) -> str:
    mins, secs = divmod(float(seconds), 60)
    return f"{int(mins)}:{secs:04.1f}" if mins else f"{secs:.1f}"
