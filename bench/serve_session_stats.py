"""Serving one session's complete stats: read from the marts vs recompute from raw laps (old per-page way).

Volumes above the real data are built by REPLICATING REAL SESSIONS' raw rows under new session ids
(GR Cup 2025 and F1 2023 laps from $LAPSTACK_DATA); nothing is synthesised.
Run: .venv/bin/python bench/serve_session_stats.py [--target duckdb|postgres] [--sizes 10 100 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.replicate import grow_to, real_sessions  # noqa: E402
from loaders.dbt_runner import run_dbt  # noqa: E402
from loaders.demo import demo_files  # noqa: E402
from loaders.laps.delete import delete_session  # noqa: E402
from loaders.laps.load import load_paths  # noqa: E402
from loaders.laps.model import Overrides  # noqa: E402
from loaders.reference.raw_reader import compute_on_the_fly  # noqa: E402
from loaders.settings import apply_network_hygiene, data_dir  # noqa: E402
from loaders.warehouse import Warehouse, connect  # noqa: E402

MART_QUERIES = [
    "select * from marts.session_driver_stats where session_id = ?",
    "select * from marts.session_sector_highlights where session_id = ?",
    "select * from marts.session_lap_highlights where session_id = ?",
    "select driver, lap_number, lap_time from marts.session_chart_matrix where session_id = ?",
]


def read_marts(wh: Warehouse, session_id: str) -> int:
    return sum(len(wh.query(sql, (session_id,))) for sql in MART_QUERIES)


def timed(fn, repeat: int) -> float:
    """Median seconds of `repeat` calls (after one warm-up)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


# Only the lap path (sources -> fct_laps -> session marts), so other domains' models don't blur the timing.
LAP_PATH = ["--selector", "lap_path"]


def fresh_warehouse(target: str | None, work: Path, size: int) -> list[tuple[str, str, int]]:
    """A new warehouse holding exactly `size` sessions: the real ones, trimmed or replicated."""
    os.environ["LAPSTACK_DUCKDB_PATH"] = str(work / f"bench_{size}.duckdb")
    wh = connect(target)
    try:
        _, errors = load_paths(wh, demo_files(data_dir()), None, Overrides())
        if errors:
            raise SystemExit(f"load failed: {errors[0]}")
        sources = real_sessions(wh)
        for sid, _, _ in sources[size:]:  # smallest real sessions go first; the largest always stays
            delete_session(wh, sid)
        grow_to(wh, sources, size)
        return sources
    finally:
        wh.close()


def dbt_seconds(args: list[str], target: str | None) -> float:
    start = time.perf_counter()
    result = run_dbt([*args, *LAP_PATH], target=target, capture=True)
    if result.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.stdout[-3000:]}")
    return time.perf_counter() - start


def main() -> int:
    apply_network_hygiene()
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lapstack-bench-"))
    os.environ["DBT_TARGET_PATH"] = str(work / "target")
    os.environ["DBT_LOG_PATH"] = str(work / "logs")

    if (args.target or os.environ.get("LAPSTACK_TARGET", "duckdb")) != "duckdb":
        raise SystemExit("this benchmark builds throw-away DuckDB warehouses; run it on the duckdb target")
    sources = fresh_warehouse(args.target, work, 0)
    largest = sources[0]
    print(f"real sessions: {len(sources)} (GR Cup 2025 + F1 2023 files from $LAPSTACK_DATA)")
    print(f"largest real session: {largest[0]} ({largest[2]} laps)")
    print("larger warehouses replicate real sessions' raw rows under new ids (no synthetic data)\n")
    print(f"{'sessions':>8} {'laps in fct':>11} {'mart read ms':>13} {'on-the-fly ms':>14} {'speed-up':>9}")

    reads: dict[int, float] = {}
    for size in sorted(args.sizes):
        fresh_warehouse(args.target, work, size)
        dbt_seconds(["build"], args.target)
        wh = connect(args.target)
        laps = wh.query("select count(*) from marts.fct_laps")[0][0]
        mart = timed(lambda: read_marts(wh, largest[0]), 50)  # noqa: B023
        fly = timed(lambda: compute_on_the_fly(wh, largest[0]), 10)  # noqa: B023
        wh.close()
        reads[size] = mart
        print(f"{size:>8} {laps:>11} {mart * 1000:>13.2f} {fly * 1000:>14.1f} {fly / mart:>8.0f}x")
    small, big = min(reads), max(reads)
    print(f"\nmart read growth {small} -> {big} sessions: {reads[big] / reads[small]:.2f}x (target <= 1.5x)")

    if 100 in args.sizes:
        _incremental(args.target, sources)
    return 0


def _incremental(target: str | None, sources) -> None:
    """Adding one session to a 100-session warehouse: incremental build vs full refresh."""
    fresh_warehouse(target, Path(os.environ["DBT_TARGET_PATH"]).parent, 100)
    dbt_seconds(["build"], target)
    noop = dbt_seconds(["build"], target)
    wh = connect(target)
    grow_to(wh, sources, 101)
    wh.close()
    incremental = dbt_seconds(["build"], target)
    full = dbt_seconds(["build", "--full-refresh"], target)
    print(f"\nadd 1 session to 100 (dbt build incl. tests): incremental {incremental:.2f}s, "
          f"full refresh {full:.2f}s, ratio {incremental / full:.2f}x (target <= 0.3x)")
    print(f"  of which fixed dbt cost (a build with nothing new): {noop:.2f}s; work above it: "
          f"incremental {max(incremental - noop, 0):.2f}s vs full {full - noop:.2f}s")


if __name__ == "__main__":
    sys.exit(main())
