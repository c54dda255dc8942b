"""`make demo`: real GR Cup and F1 2023 laps into DuckDB, `dbt build`, then the fastest drivers."""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from core.dbt_runner import run_dbt
from core.settings import data_dir, resolve_target
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


def _fastest_table(target: str | None) -> Table:
    wh = connect(target)
    try:
        rows = wh.query(
            "select series, season, event, session_name, fastest_lap_driver, fastest_lap_time, total_laps, "
            "total_drivers from marts.session_summary order by series, season, event, session_name")
    finally:
        wh.close()
    table = Table(title="Fastest driver per session (marts.session_summary)")
    for col in ("series", "season", "event", "session", "fastest", "best lap", "laps", "drivers"):
        table.add_column(col)
    for series, season, event, name, driver, best, laps, drivers in rows:
        mins, secs = divmod(best or 0.0, 60)
        table.add_row(series, str(season or "-"), event, name, str(driver),
                      f"{int(mins)}:{secs:06.3f}" if best else "-", str(laps), str(drivers))
    return table


def _load_and_build_plain(console: Console, files: list[Path], target: str | None) -> int:
    """The CLI path: loaders, then `dbt build`, no orchestrator."""
    wh = connect(target)
    try:
        results, errors = load_paths(wh, files, None, Overrides())
    finally:
        wh.close()
    if not errors:
        from loaders.dispatch import load_everything

        wh = connect(target)
        try:
            _, _, side_errors = load_everything(wh, demo_side_files(data_dir()))
        finally:
            wh.close()
        errors = [*errors, *side_errors]
    for err in errors:
        console.print(f"[red]error:[/red] {err}")
    loaded = sum(r.rows for r in results if r.status == "loaded")
    console.print(f"{len(results)} files: {loaded} new lap rows "
                  f"({sum(r.status == 'unchanged' for r in results)} unchanged)")
    if errors:
        return 1
    return run_dbt(["build"], target=target).returncode


def _load_and_build_dagster(console: Console, files: list[Path], target: str | None) -> int:
    """The same through Dagster: one run, recorded in $DAGSTER_HOME, so `make dev` shows it."""
    import os

    if target:
        os.environ["LAPSTACK_TARGET"] = target
    from orchestration.materialize import materialize_lap_path

    result = materialize_lap_path(files)
    console.print(f"Dagster run {result.run_id}: {'succeeded' if result.success else 'FAILED'}"
                  " (open it with `make dev`)")
    return 0 if result.success else 1


def run_demo(target: str | None = None, plain: bool = False) -> int:
    console = Console()
    root = data_dir()
    if not (root / "gr_cup").is_dir() or not (root / "f1_2023_fastf1").is_dir():
        console.print(f"[red]lapstack demo: the real data folder was not found at {root}.[/red]\n"
                      "Set LAPSTACK_DATA to the folder holding gr_cup/ and f1_2023_fastf1/, e.g.\n"
                      "  LAPSTACK_DATA=/path/to/shared/data make demo")
        return 2
    files = demo_files(root)
    how = "loaders + dbt build" if plain else "Dagster (loader assets -> dbt assets -> checks)"
    console.print(f"Loading {len(files)} real lap files from {root} through {how} ...")
    code = (_load_and_build_plain if plain else _load_and_build_dagster)(console, files, target)
    if code != 0:
        return code
    console.print(_fastest_table(target))
    resolved = resolve_target(target)
    where = resolved.config.get("path") if resolved.kind == "duckdb" else resolved.name
    console.print(f"Warehouse: {where}   (target: {resolved.name}; marts are in schema `marts`)")
    return 0


if __name__ == "__main__":
    sys.exit(run_demo())
