"""Session charts and fastest-driver tables attached to session mart materialisations.

The charts are those of `lapstack report` (orchestration/report), drawn for every session a run rebuilt.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from core.warehouse import Warehouse
from orchestration.report import DAGSTER_STYLE, render_session
from orchestration.report.data import UnknownSession

METADATA_BUDGET_BYTES = 8_000_000  # all session reports of one run; past it only the lap-time chart is kept


def session_versions(wh: Warehouse) -> dict[str, int]:
    """(session, version) pairs currently in the chart matrix: the diff after a build = what it rebuilt."""
    if not wh.table_exists("marts", "session_chart_matrix"):
        return {}
    rows = wh.query("select distinct session_id, _session_version from marts.session_chart_matrix")
    return {sid: int(version) for sid, version in rows}


def rebuilt_sessions(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(sid for sid, version in after.items() if before.get(sid) != version)


def _img(png: bytes, title: str) -> str:
    return f"![{title}](data:image/png;base64,{base64.b64encode(png).decode()})"


@dataclass
class SessionMetadata:
    """Markdown for the Dagster UI: the lap-time chart of every rebuilt session (one document), and one
    document per session with all its report charts, downscaled (`DAGSTER_STYLE`: 880 px, 256 colours)."""
    lap_time_chart: str
    reports: dict[str, str] = field(default_factory=dict)  # session_id -> markdown


# The run log's lines about drawing, which `lapstack demo` follows for its session progress bar.
CHARTS_PLANNED = "drawing the report charts of rebuilt sessions:"  # + the number of sessions
CHARTS_DRAWN = "report charts drawn:"  # + the session id


def session_metadata(wh: Warehouse, sessions: list[str], budget: int = METADATA_BUDGET_BYTES,
                     on_session: Callable[[str], None] | None = None) -> SessionMetadata:
    """The charts of every session in `sessions`; `on_session(sid)` after each one, since drawing them all is
    most of a full run's time and a caller wants to show it moving."""
    lap_parts: list[str] = []
    reports: dict[str, str] = {}
    used = 0
    for sid in sessions:
        try:
            result = render_session(wh, sid, DAGSTER_STYLE)
        except UnknownSession:
            lap_parts.append(f"**{sid}**: no longer in marts.dim_sessions")
            continue
        finally:
            if on_session is not None:
                on_session(sid)
        title = result.data.title
        parts = [f"**{title}** (`{sid}`)"]
        for chart in result.charts:
            if chart.png is None:
                parts.append(f"*{chart.title}*: {chart.note}")
                continue
            image = _img(chart.png, chart.title)
            if chart.key == "lap_times":
                lap_parts.append(f"**{title}** (`{sid}`)\n\n{image}")
            if used + len(image) > budget and chart.key != "lap_times":
                parts.append(f"*{chart.title}*: left out to keep this run's metadata small; "
                             f"`lapstack report {sid}` draws it")
                continue
            used += len(image)
            parts.append(f"*{chart.title}*: {chart.caption}\n\n{image}")
        if not any(c.key == "lap_times" and c.png for c in result.charts):
            lap_parts.append(f"**{sid}**: no racing laps to draw")
        reports[sid] = "\n\n".join(parts)
    lap_md = "\n\n".join(lap_parts) if lap_parts else "no session was rebuilt by this run"
    return SessionMetadata(lap_md, reports)


def chart_markdown(wh: Warehouse, sessions: list[str]) -> str:
    """The lap-time chart of every session in `sessions` (racing laps, robust axis, status bands)."""
    return session_metadata(wh, sessions).lap_time_chart


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
