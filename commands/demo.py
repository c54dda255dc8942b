"""`make demo`: real GR Cup and F1 2023 laps into DuckDB, `dbt build`, then the fastest drivers.

Quiet by default: a progress bar per stage and one summary (at most 40 lines); Dagster's and dbt's full output
goes to a log file whose path the summary ends with. `--verbose` streams that output as well.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from rich import box
from rich.console import Console
from rich.table import Table

from commands.console import table_console
from commands.demo_progress import LineSink, StageProgress, captured_output
from commands.report import DEFAULT_OUT as REPORT_DIR
from core.dbt_runner import stream_dbt
from core.settings import PROJECT_ROOT, Target, data_dir, resolve_target
from core.warehouse import connect
from loaders.laps.load import load_paths
from loaders.laps.model import Overrides


def demo_files(root: Path) -> list[Path]:
    """Full-race files only: the `Samples/` excerpts would duplicate Barber Race 1."""
    gr_cup = sorted(p for p in (root / "gr_cup").rglob("23_AnalysisEnduranceWithSections_*.CSV")
                    if "Samples" not in p.parts)
    f1 = sorted((root / "f1_2023_fastf1").glob("*/laps.csv"))
    return gr_cup + f1


# The official side files beside the demo's lap files that the race marts read (results, weather, track status).
SIDE_FILE_PREFIXES = ("03_", "00_", "26_")
F1_SIDE_FILES = ("results.csv", "weather_data.csv", "track_status.csv")


def demo_side_files(root: Path) -> list[Path]:
    """Official results, weather, track status and ECU lap ends beside each demo lap file (`lapstack load`)."""
    side: list[Path] = []
    for laps in demo_files(root):
        if laps.name == "laps.csv":
            side += [laps.parent / name for name in F1_SIDE_FILES if (laps.parent / name).is_file()]
        else:
            # ECU lap-end events give GR Cup its UTC offset, which the weather match needs
            side += sorted(p for p in laps.parent.iterdir()
                           if p.name.startswith(SIDE_FILE_PREFIXES) or "lap_end" in p.name)
    return sorted(set(side))


def _fastest_table(target: str | None) -> tuple[Table, int, int]:
    """The fastest driver of every session, one line each (the table, sessions, laps)."""
    wh = connect(target)
    try:
        rows = wh.query(
            "select series, season, event, session_name, fastest_lap_driver, fastest_lap_time, total_laps, "
            "total_drivers from marts.session_summary order by series, season, event, session_name")
    finally:
        wh.close()
    # no outer border and one space between columns: 28 sessions fit 80 columns and the 40-line budget
    table = Table(title="Fastest driver per session (marts.session_summary)", box=box.SIMPLE_HEAD,
                  show_edge=False, pad_edge=False, padding=(0, 1), collapse_padding=True)
    for col in ("series", "event", "session", "fastest", "best lap"):
        table.add_column(col, overflow="fold")
    for col in ("laps", "drivers"):
        table.add_column(col, justify="right", no_wrap=True)
    for series, season, event, name, driver, best, laps, drivers in rows:
        mins, secs = divmod(best or 0.0, 60)
        table.add_row(f"{series} {season or ''}".strip(), event, name, str(driver),
                      f"{int(mins)}:{secs:06.3f}" if best else "-", str(laps), str(drivers))
    return table, len(rows), sum(int(r[6] or 0) for r in rows)


def demo_log_path(resolved: Target) -> Path:
    """Beside the DuckDB warehouse (so a private warehouse gets a private log), else the repo's logs/."""
    folder = Path(resolved.config["path"]).parent if resolved.kind == "duckdb" else PROJECT_ROOT / "logs"
    return folder / "lapstack-demo.log"


def _load_and_build_plain(sink: LineSink, bars: StageProgress, files: list[Path], target: str | None) -> str | None:
    """The CLI path: loaders, then `dbt build`, no orchestrator. Returns what failed, or None."""
    errors = []
    wh = connect(target)
    try:
        for path in files:
            results, file_errors = load_paths(wh, [path], None, Overrides())
            errors += file_errors
            for res in results:
                sink.line(f"{res.status} {res.path} [{res.format}] {res.rows} rows")
                bars.file_done(res.status)
    finally:
        wh.close()
    if not errors:
        from loaders.dispatch import load_everything

        wh = connect(target)
        try:
            _, _, side_errors = load_everything(wh, demo_side_files(data_dir()))
        finally:
            wh.close()
        errors += side_errors
    for err in errors:
        sink.line(f"error: {err}")
    if errors:
        return f"{len(errors)} file(s) failed to load, first: {errors[0]}"
    code = stream_dbt(["build"], sink.line, target=target)
    return None if code == 0 else f"dbt build exited with code {code}"


def _load_and_build_dagster(sink: LineSink, bars: StageProgress, files: list[Path], target: str | None) -> str | None:
    """The same through Dagster: one run, recorded in $DAGSTER_HOME, so `make dev` shows it."""
    import os

    if target:
        os.environ["LAPSTACK_TARGET"] = target
    from orchestration.landing.sensor import LOAD_PATHS, kind_of
    from orchestration.materialize import load_telemetry_files, materialize_lap_path, materialize_official_path

    # Side files first, loaded only (official results/weather/status; GR Cup ECU lap events through the
    # telemetry loader), so the lap run builds fct_laps with each lap's weather, status and clock time; then
    # the official path's models (results, season tables, conditions) over laps and results both.
    # Grouped by the load path the landing sensor routes each file family to (ECU lap events: telemetry).
    paths: dict[str, list[Path]] = {}
    for path in demo_side_files(data_dir()):
        route = LOAD_PATHS.get(getattr(kind_of(path), "family", ""))
        paths.setdefault(route.name if route else "skipped", []).append(path)
    official, events = paths.get("official", []), paths.get("telemetry", [])
    runs = []
    if official:
        runs.append(materialize_official_path(official, on_event=bars.dagster_event, load_only=True))
    if events:
        runs.append(load_telemetry_files(events, on_event=bars.dagster_event))
    if all(r.success for r in runs):
        runs.append(materialize_lap_path(files, on_event=bars.dagster_event))
    if official and all(r.success for r in runs):
        runs.append(materialize_official_path(official, on_event=bars.dagster_event))
    result = next((r for r in runs if not r.success), runs[-1])
    bars.run_note = (f"{len(runs)} Dagster runs {'succeeded' if result.success else 'FAILED'}, last {runs[-1].run_id} "
                     "(`make dev` shows them)")
    return None if result.success else "the Dagster run failed"


def run_demo(target: str | None = None, plain: bool = False, verbose: bool = False) -> int:
    console = table_console(sys.stdout)  # bound now: while the run is captured, sys.stdout is the log
    # The user's folder, bound now: an in-process Dagster run may leave the process in dbt_project/ (dbt's
    # project lookup changes directory), and `lapstack report` run from the user's shell writes under this one.
    shell_dir = Path.cwd()
    root = data_dir()
    if not (root / "gr_cup").is_dir() or not (root / "f1_2023_fastf1").is_dir():
        console.print(f"[red]lapstack demo: the real data folder was not found at {root}.[/red]\n"
                      "Set LAPSTACK_DATA to the folder holding gr_cup/ and f1_2023_fastf1/, e.g.\n"
                      "  LAPSTACK_DATA=/path/to/shared/data make demo")
        return 2
    files = demo_files(root)
    resolved = resolve_target(target)
    log_path = demo_log_path(resolved)
    bars = StageProgress(console, len(files), charts=not plain, enabled=not verbose)
    with bars, captured_output(log_path, bars.output_line, sys.stdout if verbose else None) as sink:
        failed = (_load_and_build_plain if plain else _load_and_build_dagster)(sink, bars, files, target)
    os.chdir(shell_dir)
    if failed:
        console.print(f"[red]lapstack demo: {failed}[/red]")
        for line in bars.failures[:5]:
            console.print(f"  {line}", markup=False)
        console.print(f"Full log: {log_path}", markup=False, soft_wrap=True)
        return 1
    _summary(console, target, resolved, bars, log_path)
    return 0


def _summary(console: Console, target: str | None, resolved: Target, bars: StageProgress, log_path: Path) -> None:
    """The table, the counts, where the warehouse is, how to get the session reports, where the log is."""
    table, sessions, laps = _fastest_table(target)
    console.print(table)
    where = resolved.config.get("path") if resolved.kind == "duckdb" else resolved.name
    lines = [
        f"{bars.loaded + bars.unchanged} lap files ({bars.loaded} new, {bars.unchanged} unchanged), {sessions} "
        f"sessions, {laps} laps, {bars.models} dbt models built",
        bars.run_note,
        f"Warehouse: {where} (target {resolved.name}; marts in schema `marts`)",
        f"Session reports: `lapstack report --all` writes {Path.cwd() / REPORT_DIR / 'index.html'}",
        f"Full log: {log_path}",
    ]
    for line in filter(None, lines):  # short lines: on an 80-column terminal each stays one row
        console.print(line, markup=False, highlight=False, soft_wrap=True)


if __name__ == "__main__":
    sys.exit(run_demo())
