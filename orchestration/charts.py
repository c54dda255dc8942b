"""Lap-time charts and fastest-driver tables attached to session mart materialisations."""

from __future__ import annotations

import base64
import io

import matplotlib
import pandas as pd
from matplotlib.figure import Figure

from core.warehouse import Warehouse

MAX_CHARTS = 6  # metadata stays small; the rest are listed by name
MAX_DRIVERS_PER_CHART = 30


def session_versions(wh: Warehouse) -> dict[str, int]:
    """(session, version) pairs currently in the chart matrix: the diff after a build = what it rebuilt."""
    if not wh.table_exists("marts", "session_chart_matrix"):
        return {}
    rows = wh.query("select distinct session_id, _session_version from marts.session_chart_matrix")
    return {sid: int(version) for sid, version in rows}


def rebuilt_sessions(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(sid for sid, version in after.items() if before.get(sid) != version)


def _png_markdown(fig: Figure, title: str) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=72, bbox_inches="tight")
    return f"![{title}](data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()})"


def lap_chart(matrix: pd.DataFrame, title: str) -> Figure:
    """Driver lines over lap number; gaps (pit, yellow, outlier laps) stay gaps. A bare Figure, not pyplot:
    no GUI backend and no global figure registry, so headless run workers need no backend switch."""
    fig = Figure(figsize=(9, 4.5))
    ax = fig.subplots()
    best = matrix.groupby("driver")["lap_time"].min().sort_values()
    cmap = matplotlib.colormaps["tab20"]
    for i, driver in enumerate(best.index[:MAX_DRIVERS_PER_CHART]):
        laps = matrix[matrix["driver"] == driver].sort_values("lap_number")
        ax.plot(laps["lap_number"], laps["lap_time"], label=str(driver), linewidth=1.0, color=cmap(i % 20))
    ax.set_xlabel("lap")
    ax.set_ylabel("lap time (s)")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=6, ncol=2, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def chart_markdown(wh: Warehouse, sessions: list[str]) -> str:
    """One chart per rebuilt session (the first MAX_CHARTS), drawn from marts.session_chart_matrix."""
    parts: list[str] = []
    for sid in sessions[:MAX_CHARTS]:
        matrix = wh.query_df("select driver, lap_number, lap_time, event, session_name "
                             "from marts.session_chart_matrix where session_id = ?", (sid,))
        matrix["lap_time"] = pd.to_numeric(matrix["lap_time"], errors="coerce")
        if matrix["lap_time"].notna().sum() == 0:
            parts.append(f"**{sid}**: no racing laps to draw")
            continue
        title = f"{matrix['event'].iloc[0]} {matrix['session_name'].iloc[0]}"
        parts.append(f"**{sid}**\n\n{_png_markdown(lap_chart(matrix, title), sid)}")
    if len(sessions) > MAX_CHARTS:
        parts.append(f"... and {len(sessions) - MAX_CHARTS} more rebuilt: " + ", ".join(sessions[MAX_CHARTS:]))
    return "\n\n".join(parts) if parts else "no session was rebuilt by this run"


def fastest_drivers(wh: Warehouse, sessions: list[str], limit: int = 12) -> pd.DataFrame:
    """The fastest driver of each rebuilt session (marts.session_summary); lap times of different tracks
    do not compare, so the table is per session, not a ranking across them."""
    if not sessions:
        return pd.DataFrame(columns=["session_id", "driver", "best_lap_s", "lap"])
    placeholders = ", ".join("?" for _ in sessions)
    frame = wh.query_df(
        "select session_id, fastest_lap_driver as driver, fastest_lap_time as best_lap_s, "
        f"fastest_lap_number as lap from marts.session_summary where session_id in ({placeholders}) "
        "and fastest_lap_time is not null order by session_id", sessions)
    frame["best_lap_s"] = pd.to_numeric(frame["best_lap_s"]).round(3)
    return frame.head(limit)


def fastest_markdown(frame: pd.DataFrame) -> str:
    if frame.empty:
        return "no racing laps in the rebuilt sessions"
    lines = ["| session | driver | best lap | lap |", "|---|---|---:|---:|"]
    for row in frame.itertuples(index=False):
        mins, secs = divmod(float(row.best_lap_s), 60)
        lines.append(f"| {row.session_id} | {row.driver} | {int(mins)}:{secs:06.3f} | {row.lap} |")
    return "\n".join(lines)
