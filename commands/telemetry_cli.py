"""`lapstack load telemetry PATH...` and `lapstack compare`: registered through commands.cli.EXTENSIONS."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from commands.load_command import add_session_overrides, overrides_of, print_outcome
from core.errors import LoadError
from core.warehouse import connect


def register(subparsers: argparse._SubParsersAction, load_subparsers: argparse._SubParsersAction) -> None:
    tel = load_subparsers.add_parser(
        "telemetry", help="car telemetry (GR Cup long format, FastF1 car_data, lapstack Parquet/CSV) and "
                          "GR Cup ECU lap events; streamed, one atomic batch per file")
    tel.add_argument("paths", nargs="+", type=Path)
    add_session_overrides(tel)
    tel.add_argument("--driver", help="driver for a single-car file (default: from the file / the session's laps)")
    tel.add_argument("--replace", action="store_true",
                     help="let this file supersede telemetry of the same cars loaded from a different file")
    tel.add_argument("--force", action="store_true",
                     help="reload an unchanged file (e.g. to pick up lap numbers from laps loaded since)")
    tel.add_argument("--target")
    tel.set_defaults(func=_cmd_load)

    cmp_ = subparsers.add_parser("compare", help="compare two drivers' telemetry in a session")
    cmp_.add_argument("--session", required=True, help="session id (see `lapstack sessions`)")
    cmp_.add_argument("--drivers", nargs=2, required=True, metavar=("A", "B"))
    cmp_.add_argument("--lap", type=int, help="compare this lap instead of each driver's best racing lap")
    cmp_.add_argument("--step", type=float, default=None,
                      help="distance grid step, metres (default: best laps on their precomputed grid of lap length "
                           "/ 1000, ~6 m at Las Vegas; 5 m for --lap)")
    cmp_.add_argument("--json", action="store_true", help="print the full result as JSON")
    cmp_.add_argument("--target")
    cmp_.set_defaults(func=_cmd_compare)


def _cmd_load(args: argparse.Namespace) -> int:
    from loaders.telemetry.load import load_paths

    skipped: list = []
    wh = connect(args.target)
    try:
        results, errors = load_paths(wh, args.paths, overrides_of(args), driver=args.driver, replace=args.replace,
                                     force=args.force, skipped=skipped)
    finally:
        wh.close()
    return print_outcome(map(_loaded_line, results), skipped, errors)


def _loaded_line(res) -> str:
    who = f", drivers {', '.join(res.drivers)}" if res.drivers else ""
    return f"{res.status:9} {res.path}  [{res.format}] {res.rows} rows, {', '.join(res.sessions)}{who}"


def _cmd_compare(args: argparse.Namespace) -> int:
    from commands.compare import CompareError, compare, format_table

    wh = connect(args.target)
    try:
        result = compare(args.session, *args.drivers, lap=args.lap, wh=wh, step_m=args.step)
    except CompareError as exc:
        print(f"lapstack: error: {exc}", file=sys.stderr)
        return 1
    finally:
        wh.close()
    print(json.dumps(result, default=str, indent=2) if args.json else format_table(result))
    return 0


__all__ = ["register", "LoadError"]
