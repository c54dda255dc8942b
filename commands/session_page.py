"""`lapstack session-page SESSION_ID [--json]`: serve one session page from the one row of marts.session_page.

A page used to take four reads (driver stats, sector and lap highlights, the chart); the mart holds them as
one JSON document per session, so serving a session is one indexed lookup on every target. The document is
text holding JSON on DuckDB, Postgres and Snowflake alike, so `json.loads` gives the same dict everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from core.warehouse import Warehouse

PAGE_SQL = "select page_json from marts.session_page where session_id = ?"


def read_session_page_text(wh: Warehouse, session_id: str) -> str | None:
    """The page's JSON text exactly as the warehouse stores it, or None for a session without a page."""
    rows = wh.query(PAGE_SQL, (session_id,))
    return rows[0][0] if rows else None


def read_session_page(wh: Warehouse, session_id: str) -> dict[str, Any] | None:
    """The page as a dict (identity, summary, driver_stats, sector_highlights, lap_highlights, chart)."""
    text = read_session_page_text(wh, session_id)
    return None if text is None else json.loads(text)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def page_lines(page: dict[str, Any]) -> list[str]:
    """A short plain-text view of a page: the session, its fastest lap, and each driver's best and pace."""
    summary = page["summary"]
    lines = [f"{page['session_id']}  {page['event_name']} {page['session_name']} ({page['series']} "
             f"{page['season']})",
             f"fastest lap {_seconds(summary['fastest_lap_time'])} s by {summary['fastest_lap_driver']} on lap "
             f"{summary['fastest_lap_number']}; {summary['total_laps']} laps, {summary['total_drivers']} drivers",
             f"{'driver':>8} {'best':>9} {'optimal':>9} {'avg':>9} {'laps':>5}"]
    ranked = sorted(page["driver_stats"], key=lambda d: (d["best_lap_time"] is None, d["best_lap_time"] or 0,
                                                         d["driver"]))
    lines += [f"{d['driver']:>8} {_seconds(d['best_lap_time']):>9} {_seconds(d['optimal_lap_time']):>9} "
              f"{_seconds(d['avg_lap_time']):>9} {d['lap_count']:>5}" for d in ranked]
    return lines


def register(subparsers: argparse._SubParsersAction, load_subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "session-page", help="serve one session page (driver stats, highlights, chart) from marts.session_page")
    parser.add_argument("session_id", help="session id (see `lapstack sessions`)")
    parser.add_argument("--json", action="store_true", help="print the page's JSON document as stored")
    parser.add_argument("--target", help="profiles.yml output (default: LAPSTACK_TARGET or duckdb)")
    parser.set_defaults(func=_cmd_session_page)


def _cmd_session_page(args: argparse.Namespace) -> int:
    from core.warehouse import connect

    wh = connect(args.target)
    try:
        text = read_session_page_text(wh, args.session_id)
    finally:
        wh.close()
    if text is None:
        print(f"lapstack session-page: no page for session {args.session_id!r} (loaded and built?)",
              file=sys.stderr)
        return 1
    print(text if args.json else "\n".join(page_lines(json.loads(text))))
    return 0
