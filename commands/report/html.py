"""Self-contained HTML session reports: charts as inline base64 PNGs, no scripts, no network."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd

from orchestration.report import SessionCharts

CSS = """
body { font-family: -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; margin: 0; color: #1d2330;
       background: #f4f5f7; }
main { max-width: 1340px; margin: 0 auto; padding: 20px 20px 40px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
header p { margin: 0; color: #5a6272; }
section { background: white; border-radius: 8px; padding: 14px 20px 16px; margin: 18px 0;
          box-shadow: 0 1px 3px rgba(0,0,0,.08); }
h2 { font-size: 18px; margin: 0 0 6px; }
p.caption { margin: 0 0 10px; color: #4a5262; font-size: 14px; }
img.chart { display: block; width: 100%; max-width: 1300px; height: auto; }
p.note { background: #fff6e0; border-left: 4px solid #f0b400; padding: 8px 12px; margin: 4px 0; }
table { border-collapse: collapse; font-size: 14px; width: 100%; }
th, td { padding: 4px 10px; text-align: left; border-bottom: 1px solid #e6e8ec; white-space: nowrap; }
th { background: #f0f2f5; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.fastest td { background: #f3e8ff; font-weight: 600; }
span.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin-right: 6px; }
nav { font-size: 14px; margin: 10px 0 0; }
nav a { margin-right: 12px; color: #2458b3; }
a { color: #2458b3; }
"""


def slug(session_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", session_id)


def fmt_time(seconds: object) -> str:
    if seconds is None or pd.isna(seconds):
        return ""
    mins, secs = divmod(float(seconds), 60)
    return f"{int(mins)}:{secs:06.3f}" if mins else f"{secs:.3f}"


def _page(title: str, body: str) -> str:
    return (f"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title><style>{CSS}</style></head>\n<body><main>\n{body}\n</main></body></html>\n")


def _summary_html(frame: pd.DataFrame, colours: dict[str, str], note: str) -> str:
    if frame.empty:
        return "<p class=\"note\">no laps in this session</p>"
    cols = [("pos", "Pos", True), ("driver", "Driver", False)]
    if "team" in frame:
        cols.append(("team", "Team", False))
    cols.append(("laps", "Laps", True))
    if "gap" in frame:
        cols.append(("gap", "Gap", True))
    cols += [("best_lap", "Best lap", True), ("best_lap_number", "on lap", True),
             ("gap_to_fastest", "to fastest", True), ("pit_stops", "Pit stops", True)]
    head = "".join(f"<th class=\"{'num' if num else ''}\">{label}</th>" for _, label, num in cols)
    rows = []
    fastest = frame["gap_to_fastest"].min()
    for rec in frame.to_dict("records"):
        cells = []
        for key, _, num in cols:
            value = rec.get(key)
            if key == "driver":
                text = (f"<span class=\"swatch\" style=\"background:{colours.get(value, '#888')}\"></span>"
                        f"{html.escape(str(value))}")
            elif key == "best_lap":
                text = fmt_time(value)
            elif key == "gap_to_fastest":
                text = "" if value is None or pd.isna(value) else ("fastest" if value == 0 else f"+{value:.3f}")
            elif key == "best_lap_number":
                text = "" if value is None or pd.isna(value) else str(int(value))
            else:
                text = html.escape("" if value is None or (isinstance(value, float) and np.isnan(value))
                                   else str(value))
            cells.append(f"<td class=\"{'num' if num else ''}\">{text}</td>")
        cls = " class=\"fastest\"" if rec.get("gap_to_fastest") == fastest else ""
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return (f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f"<p class=\"caption\" style=\"margin-top:8px\">{html.escape(note)}; highlighted: fastest lap.</p>")


def session_html(result: SessionCharts, summary: pd.DataFrame, note: str, *, index_link: bool = False) -> str:
    data = result.data
    colours = _colours(result)
    laps = data.laps
    meta = (f"{html.escape(data.series)} &middot; session <code>{html.escape(data.session_id)}</code> &middot; "
            f"{laps['driver'].nunique()} drivers &middot; {int(laps['lap_number'].max() or 0)} laps")
    nav = "".join(f"<a href=\"#{c.key}\">{html.escape(c.title)}</a>" for c in result.charts)
    if index_link:
        nav = "<a href=\"index.html\">&larr; all sessions</a>" + nav
    parts = [f"<header><h1>{html.escape(data.title)}</h1><p>{meta}</p><nav>{nav}</nav></header>",
             f"<section id=\"summary\"><h2>Results and fastest laps</h2>{_summary_html(summary, colours, note)}"
             "</section>"]
    for chart in result.charts:
        body = f"<h2>{html.escape(chart.title)}</h2>"
        if chart.png:
            b64 = base64.b64encode(chart.png).decode()
            body += (f"<p class=\"caption\">{html.escape(chart.caption)}</p>"
                     f"<img class=\"chart\" data-chart=\"{chart.key}\" width=\"{chart.size[0]}\" "
                     f"height=\"{chart.size[1]}\" alt=\"{html.escape(chart.title)}\" "
                     f"src=\"data:image/png;base64,{b64}\">")
        else:
            body += f"<p class=\"note\" data-chart-missing=\"{chart.key}\">{html.escape(chart.note)}</p>"
        parts.append(f"<section id=\"{chart.key}\">{body}</section>")
    return _page(f"{data.title} - lapstack session report", "\n".join(parts))


def _colours(result: SessionCharts) -> dict[str, str]:
    from orchestration.report.palette import driver_styles

    return {d: s.colour for d, s in driver_styles(result.order, result.data.teams).items()}


def index_html(sessions: pd.DataFrame, files: dict[str, str]) -> str:
    rows = []
    for rec in sessions.to_dict("records"):
        sid = rec["session_id"]
        link = files.get(sid)
        name = html.escape(str(rec["session_name"]))
        cell = f"<a href=\"{html.escape(link)}\">{name}</a>" if link else name
        season = "" if rec["season"] is None or pd.isna(rec["season"]) else str(int(rec["season"]))
        rows.append(f"<tr><td>{html.escape(str(rec['series']))}</td><td class=\"num\">{season}</td>"
                    f"<td>{html.escape(str(rec['event']))}</td><td>{cell}</td>"
                    f"<td>{html.escape(str(rec['fastest_lap_driver'] or ''))}</td>"
                    f"<td class=\"num\">{fmt_time(rec['fastest_lap_time'])}</td></tr>")
    table = ("<table><thead><tr><th>Series</th><th class=\"num\">Season</th><th>Event</th><th>Session</th>"
             "<th>Fastest driver</th><th class=\"num\">Fastest lap</th></tr></thead><tbody>"
             + "".join(rows) + "</tbody></table>")
    body = (f"<header><h1>lapstack session reports</h1><p>{len(sessions)} sessions</p></header>"
            f"<section>{table}</section>")
    return _page("lapstack session reports", body)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path
