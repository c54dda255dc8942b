"""`lapstack quality [--target ...] [--suite ...]`: run the suites, write the report, gate on critical."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.table import Table

from commands.console import table_console


def register(subparsers: argparse._SubParsersAction, load_subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "quality", help="run the Great Expectations suites and write reports/quality/index.html")
    parser.add_argument("--target", help="profiles.yml output (default: LAPSTACK_TARGET or duckdb)")
    parser.add_argument("--suite", action="append", dest="suites", metavar="NAME",
                        help="suite name, glob, table or layer (repeatable; default: all)")
    parser.add_argument("--report-dir", type=Path, default=Path("reports/quality"),
                        help="where the HTML report goes (relative to the repo root)")
    parser.add_argument("--list", action="store_true", help="list the suites and exit")
    parser.set_defaults(func=_cmd_quality)


def _cmd_quality(args: argparse.Namespace) -> int:
    from expectations.suites import select

    console = table_console()
    if args.list:
        for spec in select(args.suites):
            console.print(f"{spec.name:34} {spec.table:34} {spec.severity:8} {len(spec.checks)} checks")
        return 0
    from expectations.runner import run_quality

    try:
        run = run_quality(args.target, args.suites, args.report_dir)
    except (ValueError, FileNotFoundError) as exc:
        console.print(f"[red]lapstack quality: error:[/red] {exc}")
        return 2
    console.print(_table(run))
    console.print(f"Report: {run.index_path}  (open it in a browser; JSON: {run.report_dir}/quality_run.json)")
    if not run.success:
        console.print(f"[red]{len(run.critical_failures)} critical suite(s) failed[/red]")
    return run.exit_code


def _table(run) -> Table:
    table = Table(title=f"Data quality on {run.target} ({run.seconds:.1f} s)")
    # names are never cut: on a narrow terminal they fold onto a second line instead of ending in "…"
    for col in ("suite", "table", "severity", "status", "rows"):
        table.add_column(col, overflow="fold", no_wrap=col in ("severity", "status", "rows"))
    table.add_column("failed expectations", overflow="fold")
    for s in run.suites:
        failed = "; ".join(f"{e.check} ({e.unexpected_count})" for e in s.failed_checks) or s.message
        style = "green" if s.status == "passed" else ("dim" if s.status == "not_present" else
                                                       ("red" if s.severity == "critical" else "yellow"))
        table.add_row(s.suite, s.table, s.severity, f"[{style}]{s.status}[/{style}]", str(s.rows_validated),
                      failed)
    return table
