"""`lapstack fastf1 gaps|import` and `lapstack quota`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

EXIT_STOPPED = 3  # quota or --max-calls stopped the run; rerun to resume


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--season", type=int, required=True)
    parser.add_argument("--round", type=int, dest="round_number")
    parser.add_argument("--session", dest="session_name", help="e.g. 'Qualifying', 'Practice 1'")
    parser.add_argument("--replay", type=Path, help="serve recorded responses from DIR (<host>/<path>) "
                        "instead of the network; default LAPSTACK_FASTF1_REPLAY")
    parser.add_argument("--cache-dir", type=Path, help="FastF1 cache (default LAPSTACK_FASTF1_CACHE or "
                        "fastf1_cache/ beside the warehouse)")
    parser.add_argument("--quota", help="limits as NAME=CALLS/SECONDS, e.g. all=500/3600,jolpica=200/3600 "
                        "(default LAPSTACK_FASTF1_QUOTA, else FastF1's)")
    parser.add_argument("--as-of", type=dt.datetime.fromisoformat,
                        help="UTC time before which sessions count as run (default now)")
    parser.add_argument("--retry-failed-after", type=float, default=24.0, metavar="HOURS",
                        help="retry a session whose last load failed after this many hours (default 24)")
    parser.add_argument("--target", help="profiles.yml output (default: LAPSTACK_TARGET or duckdb)")


def register(subparsers: argparse._SubParsersAction, load_subparsers: argparse._SubParsersAction) -> None:  # noqa: ARG001
    ff1 = subparsers.add_parser("fastf1", help="import from the FastF1 API, gap-driven and quota-aware")
    ff1_sub = ff1.add_subparsers(dest="fastf1_command", required=True)

    gaps = ff1_sub.add_parser("gaps", help="what the warehouse lacks for a season, and the calls to fill it")
    _common(gaps)
    gaps.set_defaults(func=_cmd_gaps)

    imp = ff1_sub.add_parser("import", help="load each missing session once and extract every data type")
    _common(imp)
    imp.add_argument("--force", action="store_true", help="re-import sessions that are already present")
    imp.add_argument("--replace", action="store_true",
                     help="let API laps supersede laps loaded from another source (files, Ergast)")
    imp.add_argument("--max-calls", type=int, help="stop before a session load could take this run past N calls")
    imp.add_argument("--wait", action=argparse.BooleanOptionalAction, default=False,
                     help="pause until the quota window frees instead of stopping (default --no-wait)")
    imp.set_defaults(func=_cmd_import)

    quota = subparsers.add_parser("quota", help="FastF1 API calls used/remaining per host and window")
    quota.add_argument("--quota", help="limits as NAME=CALLS/SECONDS (default LAPSTACK_FASTF1_QUOTA)")
    quota.add_argument("--target", help="profiles.yml output (default: LAPSTACK_TARGET or duckdb)")
    quota.set_defaults(func=_cmd_quota)


def _config(args: argparse.Namespace):
    from loaders.fastf1.config import ImportConfig

    try:
        return ImportConfig.resolve(args.target, getattr(args, "cache_dir", None), getattr(args, "replay", None),
                                    args.quota)
    except ValueError as exc:
        raise SystemExit(f"lapstack: {exc}") from None


def _options(args: argparse.Namespace):
    from loaders.fastf1.importer import ImportOptions

    as_of = args.as_of.astimezone(dt.UTC).replace(tzinfo=None) if args.as_of and args.as_of.tzinfo else args.as_of
    return ImportOptions(
        season=args.season, round_number=args.round_number, session_name=args.session_name,
        force=getattr(args, "force", False), replace=getattr(args, "replace", False),
        max_calls=getattr(args, "max_calls", None), wait=getattr(args, "wait", False), as_of=as_of,
        retry_failed_after=dt.timedelta(hours=args.retry_failed_after), target=args.target)


def _cmd_gaps(args: argparse.Namespace) -> int:
    from loaders.fastf1.importer import Importer, Stop
    from loaders.fastf1.report import gaps_text

    importer = Importer(_config(args), _options(args))
    try:
        report = importer.gaps(importer.schedule())
    except Stop as exc:
        print(f"lapstack: {exc}", file=sys.stderr)
        return EXIT_STOPPED
    finally:
        importer.ledger.close()
    print(gaps_text(report))
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from loaders.fastf1.importer import Importer
    from loaders.fastf1.notify import notify
    from loaders.fastf1.report import summary_text

    cfg = _config(args)
    importer = Importer(cfg, _options(args))
    try:
        summary = importer.run()
    except Exception as exc:
        notify(cfg.webhook_url, f"lapstack FastF1 import {args.season} FAILED: {type(exc).__name__}: {exc}")
        raise
    text = summary_text(summary)
    print(text)
    notify(cfg.webhook_url, text)
    return EXIT_STOPPED if summary.stopped else 0


def _cmd_quota(args: argparse.Namespace) -> int:
    from loaders.fastf1.ledger import Ledger
    from loaders.fastf1.report import quota_text

    cfg = _config(args)
    ledger = Ledger(cfg.ledger_path, cfg.limits)
    try:
        print(quota_text(ledger.usage(), str(cfg.ledger_path)))
    finally:
        ledger.close()
    return 0
