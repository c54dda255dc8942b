"""`lapstack materialize`: the demo (or given lap files) through Dagster instead of the plain CLI path."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction, load_subparsers: argparse._SubParsersAction) -> None:  # noqa: ARG001
    parser = subparsers.add_parser(
        "materialize",
        help="load lap files and build the marts as one Dagster run (recorded in $DAGSTER_HOME, default .dagster_home)")
    parser.add_argument("paths", nargs="*", type=Path, help="lap files or folders (default: the demo's real files)")
    parser.add_argument("--target", help="profiles.yml output (default: LAPSTACK_TARGET or duckdb)")
    parser.set_defaults(func=_cmd_materialize)


def _cmd_materialize(args: argparse.Namespace) -> int:
    if args.target:
        os.environ["LAPSTACK_TARGET"] = args.target
    from commands.demo import demo_files
    from core.settings import data_dir
    from loaders.laps.load import expand
    from orchestration.materialize import dagster_home, materialize_lap_path

    files, errors = expand(args.paths) if args.paths else (demo_files(data_dir()), [])
    for err in errors:
        print(f"lapstack: error: {err}", file=sys.stderr)
    if errors or not files:
        print("lapstack: no lap files to materialise (is LAPSTACK_DATA set?)", file=sys.stderr)
        return 1
    print(f"Materialising {len(files)} lap file(s) and the session marts through Dagster ...")
    home = dagster_home()
    result = materialize_lap_path(files)
    for event in result.get_asset_materialization_events():
        mat = event.materialization
        if mat is not None and mat.asset_key.path[0] == "marts":
            print(f"  materialised {mat.asset_key.to_user_string()}")
    print(f"run {result.run_id}: {'succeeded' if result.success else 'FAILED'}")
    print(f"recorded in the Dagster instance at {home} (DAGSTER_HOME): `make dev` shows it under Runs")
    return 0 if result.success else 1
