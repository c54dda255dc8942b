"""`lapstack` command line: load, delete, build and inspect the warehouse."""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from commands.load_command import add_session_overrides, overrides_of, print_outcome
from core.errors import LoadError, SettingError, TargetUnavailable
from core.settings import apply_network_hygiene
from core.warehouse import connect
from loaders.laps.delete import NotFound, delete_driver, delete_session
from loaders.laps.detect import FORMATS
from loaders.laps.load import load_paths

# Modules adding their own subcommands: each defines `register(subparsers, load_subparsers)` and
# gives every parser it adds a `func` default taking the parsed args and returning an exit code.
EXTENSIONS: tuple[str, ...] = ("commands.grants_cli", "commands.materialize_cli", "commands.telemetry_cli",
                              "commands.fastf1_cli", "commands.quality_cli", "commands.report",
                              "commands.session_page")


def _add_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--target", help="profiles.yml output (default: LAPSTACK_TARGET or duckdb)")


def _add_file_load_arguments(parser: argparse.ArgumentParser, replace_help: str) -> None:
    """What every file-loading command takes: the paths, the session overrides, `--replace`, `--target`.
    One definition, so `load all` and `load laps` cannot drift apart in what a user may pass."""
    parser.add_argument("paths", nargs="+", type=Path)
    add_session_overrides(parser)
    parser.add_argument("--replace", action="store_true", help=replace_help)
    _add_target(parser)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lapstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    load = sub.add_parser("load", help="land raw files in the warehouse: `lapstack load PATH...` loads every "
                                       "recognised file kind; `load laps` / `load telemetry` force one kind")
    load_sub = load.add_subparsers(dest="kind", required=True)
    every = load_sub.add_parser("all", help="every recognised file kind under the paths (what `lapstack load "
                                            "PATH...` runs): laps, results, best laps, weather, track status, "
                                            "pit stops, standings, lap events, telemetry")
    _add_file_load_arguments(every, "let a file supersede data of the same session loaded from a different file")
    every.set_defaults(func=_cmd_load_all)
    laps = load_sub.add_parser("laps", help="lap timing files (files or folders)")
    _add_file_load_arguments(laps, "let this file supersede a session loaded from a different file")
    laps.add_argument("--format", choices=FORMATS, help="skip detection and use this format")
    laps.set_defaults(func=_cmd_load)

    delete = sub.add_parser("delete", help="remove a session or a driver; the next build forgets them")
    del_sub = delete.add_subparsers(dest="kind", required=True)
    d_session = del_sub.add_parser("session")
    d_session.add_argument("session_id")
    _add_target(d_session)
    d_session.set_defaults(func=_cmd_delete)
    d_driver = del_sub.add_parser("driver")
    d_driver.add_argument("session_id")
    d_driver.add_argument("driver")
    _add_target(d_driver)
    d_driver.set_defaults(func=_cmd_delete)

    sessions = sub.add_parser("sessions", help="list loaded sessions")
    _add_target(sessions)
    sessions.set_defaults(func=_cmd_sessions)

    build = sub.add_parser("build", help="dbt build on the target (incremental unless --full-refresh; "
                                         "data tests, no unit tests)")
    build.add_argument("--full-refresh", action="store_true")
    build.add_argument("--select")
    _add_target(build)
    build.set_defaults(func=_cmd_build)

    demo = sub.add_parser("demo", help="load the real sample data, build, and print the fastest drivers")
    demo.add_argument("--plain", action="store_true", help="loaders + dbt build without Dagster")
    demo.add_argument("--verbose", action="store_true",
                      help="stream Dagster's and dbt's full output (always written to the log file)")
    _add_target(demo)
    demo.set_defaults(func=_cmd_demo)

    for name in EXTENSIONS:
        importlib.import_module(name).register(sub, load_sub)
    return parser


def _loaded_line(res) -> str:
    return f"{res.status:9} {res.path}  [{res.format}] {res.rows} rows, {len(res.sessions)} session(s)"


def _cmd_load(args: argparse.Namespace) -> int:
    skipped: list = []
    wh = connect(args.target)
    try:
        results, errors = load_paths(wh, args.paths, args.format, overrides_of(args), replace=args.replace,
                                     skipped=skipped)
    finally:
        wh.close()
    return print_outcome(map(_loaded_line, results), skipped, errors)


def _cmd_load_all(args: argparse.Namespace) -> int:
    from loaders.dispatch import load_everything

    wh = connect(args.target)
    try:
        outcomes, skipped, errors = load_everything(wh, args.paths, overrides_of(args), replace=args.replace)
    finally:
        wh.close()
    code = print_outcome(map(_loaded_line, outcomes), (f"{path}: {reason}" for path, reason in skipped), errors)
    print(f"{sum(r.status == 'loaded' for r in outcomes)} loaded, {sum(r.status == 'unchanged' for r in outcomes)} "
          f"unchanged, {len(skipped)} skipped, {len(errors)} failed")
    return code


def _cmd_delete(args: argparse.Namespace) -> int:
    wh = connect(args.target)
    try:
        if args.kind == "session":
            removed = delete_session(wh, args.session_id)
            print(f"deleted session {args.session_id}: {removed} laps; run `lapstack build` to update the marts")
        else:
            removed = delete_driver(wh, args.session_id, args.driver)
            print(f"deleted driver {args.driver} from {args.session_id}: {removed} laps; "
                  "run `lapstack build` to update the marts")
    except NotFound as exc:
        print(f"lapstack: error: {exc}", file=sys.stderr)
        return 1
    finally:
        wh.close()
    return 0


def _cmd_sessions(args: argparse.Namespace) -> int:
    wh = connect(args.target)
    try:
        rows = wh.query("select session_id, source_format, version, source_file from raw.sessions "
                        "where not is_deleted order by session_id")
    except Exception:  # noqa: BLE001 - an empty warehouse has no raw schema yet
        rows = []
    finally:
        wh.close()
    for sid, fmt, version, source in rows:
        print(f"{sid:60} {fmt:18} v{version}  {source}")
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from core.dbt_runner import build_args, run_dbt, scoped_tests_env

    dbt_args = build_args(args.full_refresh, ["--select", args.select] if args.select else None)
    # the data tests read the sessions this build rebuilds (issue 15); a full refresh tests every row
    scope = scoped_tests_env(args.target, full_scope=args.full_refresh)
    return run_dbt(dbt_args, target=args.target, extra_env=scope).returncode


def _cmd_demo(args: argparse.Namespace) -> int:
    from commands.demo import run_demo

    return run_demo(args.target, plain=args.plain, verbose=args.verbose)


# Exit code of a refused environment variable: a usage error, like argparse's own.
EXIT_SETTING = 2


def _route_bare_load(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """`lapstack load PATH...` is `lapstack load all PATH...`; `load laps` / `load telemetry` stay explicit."""
    if len(argv) >= 2 and argv[0] == "load" and not argv[1].startswith("-"):
        kinds: set[str] = set()
        for action in parser._subparsers._group_actions:  # noqa: SLF001 - argparse keeps no public accessor
            load = action.choices.get("load")
            if load is not None and load._subparsers is not None:  # noqa: SLF001
                for sub_action in load._subparsers._group_actions:  # noqa: SLF001
                    kinds.update(sub_action.choices)
        if argv[1] not in kinds:
            return ["load", "all", *argv[1:]]
    return argv


def main(argv: list[str] | None = None) -> int:
    """The `lapstack` entry point: tracking opt-outs first, then one clear line (no traceback) for an
    environment variable, a file or a target lapstack cannot use."""
    apply_network_hygiene()
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(_route_bare_load(parser, argv))
    try:
        return int(args.func(args) or 0)
    except SettingError as exc:
        print(exc, file=sys.stderr)
        return EXIT_SETTING
    except (LoadError, TargetUnavailable) as exc:
        print(f"lapstack: error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
