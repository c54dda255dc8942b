"""`lapstack report SESSION | --all [--out DIR] [--target T]`: self-contained offline HTML session reports.

The charts are drawn by `orchestration.report` (the same ones the Dagster run attaches to rebuilt sessions);
this package writes them into pages with the results table on top, and an index for `--all`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEFAULT_OUT = Path("reports/sessions")


def register(subparsers: argparse._SubParsersAction, load_subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="write an offline HTML session report (lap times, sectors, race trace, positions, "
                       "stints, speed traces): `report SESSION` or `report --all`")
    parser.add_argument("session", nargs="?", help="session id (see `lapstack sessions`)")
    parser.add_argument("--all", action="store_true", help="one report per session plus index.html")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--target", help="profiles.yml output (default: LAPSTACK_TARGET or duckdb)")
    parser.set_defaults(func=_cmd_report)


def write_session(wh, session_id: str, out: Path, *, index_link: bool = False) -> Path:
    from commands.report import html
    from orchestration.report import REPORT_STYLE, render_session
    from orchestration.report.summary import summary_table

    result = render_session(wh, session_id, REPORT_STYLE)
    summary, note = summary_table(result.data, result.order)
    return html.write(out / f"{html.slug(session_id)}.html",
                      html.session_html(result, summary, note, index_link=index_link))


def write_all(wh, out: Path) -> tuple[Path, list[Path]]:
    from commands.report import html
    from orchestration.report.data import list_sessions

    sessions = list_sessions(wh)
    files = {}
    written = []
    for sid in sessions["session_id"]:
        path = write_session(wh, sid, out, index_link=True)
        files[sid] = path.name
        written.append(path)
        print(f"wrote {path}")
    return html.write(out / "index.html", html.index_html(sessions, files)), written


def _cmd_report(args: argparse.Namespace) -> int:
    from core.warehouse import connect
    from orchestration.report.data import UnknownSession

    if bool(args.session) == bool(args.all):
        print("lapstack report: give a SESSION id or --all", file=sys.stderr)
        return 2
    wh = connect(args.target)
    try:
        if args.all:
            index, written = write_all(wh, args.out)
            print(f"{len(written)} session reports; index: {index}")
        else:
            print(f"wrote {write_session(wh, args.session, args.out)}")
    except UnknownSession as exc:
        print(f"lapstack report: error: {exc}", file=sys.stderr)
        return 1
    finally:
        wh.close()
    return 0
