"""What the `lapstack load` subcommands share: the session override options and how a load's outcome is printed,
so `load`, `load laps` and `load telemetry` accept the same overrides and report files, skips and errors alike."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable

from core.errors import LoadError
from loaders.laps.model import Overrides


def add_session_overrides(parser: argparse.ArgumentParser) -> None:
    """--series/--season/--event/--session: what the file and its path do not say about its session."""
    parser.add_argument("--series")
    parser.add_argument("--season", type=int)
    parser.add_argument("--event")
    parser.add_argument("--session")


def overrides_of(args: argparse.Namespace) -> Overrides:
    return Overrides(args.series, args.season, args.event, args.session)


def print_outcome(loaded: Iterable[str], skipped: Iterable[object], errors: Iterable[LoadError]) -> int:
    """A line per loaded file and per skipped path on stdout, each error on stderr; the exit code (1 on any error)."""
    for line in loaded:
        print(line)
    for skip in skipped:
        print(f"{'skipped':9} {skip}")
    failed = False
    for err in errors:
        print(f"lapstack: error: {err}", file=sys.stderr)
        failed = True
    return 1 if failed else 0
