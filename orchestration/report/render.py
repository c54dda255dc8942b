"""Draw every chart of one session with one style; a chart that cannot be drawn says why."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib

matplotlib.use("Agg")  # headless: CLI and run workers have no display

import matplotlib.pyplot as plt  # noqa: E402

from core.warehouse import Warehouse  # noqa: E402
from orchestration.report import derive  # noqa: E402
from orchestration.report.charts import lap_times, positions, race_trace, sectors, speed_trace, stints  # noqa: E402
from orchestration.report.charts.common import ChartContext, NotAvailable  # noqa: E402
from orchestration.report.data import SessionData, load_session  # noqa: E402
from orchestration.report.palette import driver_styles  # noqa: E402


@dataclass(frozen=True)
class Style:
    width_px: int  # every chart is this wide; heights follow the content
    dpi: int
    quantize: bool = False  # 256-colour PNG (Dagster metadata: a third of the bytes)

    @property
    def width_in(self) -> float:
        return self.width_px / self.dpi


REPORT_STYLE = Style(width_px=1300, dpi=130)
DAGSTER_STYLE = Style(width_px=880, dpi=88, quantize=True)


@dataclass
class RenderedChart:
    key: str
    title: str
    caption: str = ""
    png: bytes | None = None
    note: str = ""  # why the chart is not drawn ("not available for this session: ...")
    size: tuple[int, int] = (0, 0)


@dataclass
class SessionCharts:
    data: SessionData
    order: list[str]
    charts: list[RenderedChart] = field(default_factory=list)


Drawer = Callable[[ChartContext], tuple[plt.Figure, str]]
CHARTS: tuple[tuple[str, str, Drawer], ...] = (
    ("lap_times", "Lap times", lap_times.draw),
    ("sectors", "Sector gap to session best", sectors.draw),
    ("race_trace", "Race trace: gap to leader", race_trace.draw),
    ("positions", "Positions by lap", positions.draw),
    ("stints", "Stints", stints.draw),
    ("speed_trace", "Speed traces of the two best laps", speed_trace.draw),
)


def _png(fig: plt.Figure, style: Style) -> tuple[bytes, tuple[int, int]]:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=style.dpi, facecolor="white")
    plt.close(fig)
    raw = buf.getvalue()
    from PIL import Image

    image = Image.open(io.BytesIO(raw))
    if not style.quantize:
        return raw, image.size
    out = io.BytesIO()
    image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, format="PNG",
                                                                                      optimize=True)
    return out.getvalue(), image.size


def render_data(data: SessionData, style: Style, only: tuple[str, ...] | None = None) -> SessionCharts:
    order = derive.classification(data)
    ctx = ChartContext(data=data, order=order, styles=driver_styles(order, data.teams), width_in=style.width_in)
    result = SessionCharts(data=data, order=order)
    for key, title, draw in CHARTS:
        if only is not None and key not in only:
            continue
        chart = RenderedChart(key=key, title=title)
        try:
            fig, chart.caption = draw(ctx)
        except NotAvailable as exc:
            chart.note = f"not available for this session: {exc}"
        else:
            chart.png, chart.size = _png(fig, style)
        result.charts.append(chart)
    return result


def render_session(wh: Warehouse, session_id: str, style: Style = REPORT_STYLE,
                   only: tuple[str, ...] | None = None) -> SessionCharts:
    telemetry = only is None or "speed_trace" in only
    return render_data(load_session(wh, session_id, telemetry=telemetry), style, only)
