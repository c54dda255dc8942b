"""Session report charts: one module per chart under `charts/`, all drawn from the marts of one session.

`render_session(wh, session_id, style)` reads the session once (`data.load_session`), then draws every chart
with the same per-driver palette. Both the `lapstack report` HTML page (commands/report) and the Dagster
metadata of rebuilt sessions (orchestration/charts.py) use it; only the `Style` (pixel width, dpi) differs.
"""

from orchestration.report.render import (
    CHARTS,
    DAGSTER_STYLE,
    REPORT_STYLE,
    RenderedChart,
    SessionCharts,
    Style,
    render_session,
)

__all__ = ["CHARTS", "DAGSTER_STYLE", "REPORT_STYLE", "RenderedChart", "SessionCharts", "Style", "render_session"]
