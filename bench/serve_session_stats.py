"""Serving one session's complete stats: read from the marts vs recompute from raw laps (old per-page way).

Volumes above the real data are built by REPLICATING REAL SESSIONS' raw rows under new session ids
(GR Cup 2025 and F1 2023 laps from $LAPSTACK_DATA); nothing is synthesised.
Run: .venv/bin/python bench/serve_session_stats.py [--targets duckdb postgres] [--sizes 10 100 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.replicate import grow_to, real_sessions  # noqa: E402
from commands.demo import demo_files  # noqa: E402
from core.dbt_runner import run_dbt  # noqa: E402
from core.settings import apply_network_hygiene, data_dir  # noqa: E402
from core.warehouse import Warehouse, connect  # noqa: E402
from loaders.laps.delete import delete_session  # noqa: E402
from loaders.laps.load import load_paths  # noqa: E402
from loaders.laps.model import Overrides  # noqa: E402
from tests.oracle.raw_reader import compute_on_the_fly  # noqa: E402

MART_QUERIES = [
    "select * from marts.session_driver_stats where session_id = ?",
    "select * from marts.session_sector_highlights where session_id = ?",
    "select * from marts.session_lap_highlights where session_id = ?",
    "select driver, lap_number, lap_time from marts.session_chart_matrix where session_id = ?",
]


# The same stats with the chart read as the one JSON document per session a chart library takes.
DOC_QUERIES = [*MART_QUERIES[:3], "select chart_json from marts.session_chart_json where session_id = ?"]


def read_marts(wh: Warehouse, session_id: str, queries: list[str] = MART_QUERIES) -> int:
    return sum(len(wh.query(text, (session_id,))) for text in queries)


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


class Warehouses:
    """Throw-away warehouses: a DuckDB file, or a Postgres database created and dropped by the bench."""

    def __init__(self, work: Path):
        self.work = work
        self.pg_databases: list[str] = []

    def point_at(self, target: str, size: int) -> None:
        os.environ["LAPSTACK_DUCKDB_PATH"] = str(self.work / f"bench_{size}.duckdb")
        if target == "postgres":
            name = f"lapstack_bench_{uuid.uuid4().hex[:8]}"
            with _pg_admin() as admin:
                admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
            self.pg_databases.append(name)
            os.environ["PGDATABASE"] = name

    def drop_all(self) -> None:
        with _pg_admin() as admin:
            for name in self.pg_databases:
                admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))


def _pg_admin() -> psycopg.Connection:
    return psycopg.connect(host=os.environ.get("PGHOST", "127.0.0.1"), user=os.environ.get("PGUSER", "postgres"),
                           dbname="postgres", autocommit=True)


def fresh_warehouse(target: str, warehouses: Warehouses, size: int) -> list[tuple[str, str, int]]:
    """A new warehouse holding exactly `size` sessions: the real ones, trimmed or replicated."""
    warehouses.point_at(target, size)
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


def dbt_seconds(args: list[str], target: str) -> float:
    start = time.perf_counter()
    result = run_dbt([*args, *LAP_PATH], target=target, capture=True)
    if result.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.stdout[-3000:]}")
    return time.perf_counter() - start


def serve(target: str, warehouses: Warehouses, sizes: list[int], session_id: str) -> dict[int, float]:
    """Mart read vs on-the-fly for one session, at each warehouse size; prints one line per size."""
    reads: dict[int, float] = {}
    for size in sizes:
        fresh_warehouse(target, warehouses, size)
        dbt_seconds(["build"], target)
        wh = connect(target)
        laps = wh.query("select count(*) from marts.fct_laps")[0][0]
        mart = timed(lambda: read_marts(wh, session_id), 50)  # noqa: B023
        doc = timed(lambda: read_marts(wh, session_id, DOC_QUERIES), 50)  # noqa: B023
        fly = timed(lambda: compute_on_the_fly(wh, session_id), 10)  # noqa: B023
        floor = timed(lambda: wh.query("select 1"), 50)  # noqa: B023
        wh.close()
        reads[size] = mart
        print(f"{target:>8} {size:>8} {laps:>11} {mart * 1000:>10.2f} {fly / mart:>5.0f}x {doc * 1000:>10.2f} "
              f"{fly / doc:>5.0f}x {fly * 1000:>10.1f} {floor * 1000 * len(MART_QUERIES):>8.2f}")
    small, big = min(reads), max(reads)
    print(f"{target}: mart read growth {small} -> {big} sessions: {reads[big] / reads[small]:.2f}x "
          "(target <= 1.5x)\n")
    return reads


def incremental(target: str, warehouses: Warehouses, sources, size: int) -> None:
    """Adding one session to a `size`-session warehouse: incremental build vs full refresh."""
    fresh_warehouse(target, warehouses, size)
    dbt_seconds(["build"], target)
    noop = min(dbt_seconds(["build"], target) for _ in range(2))
    wh = connect(target)
    grow_to(wh, sources, size + 1)
    wh.close()
    incr = dbt_seconds(["build"], target)
    full = dbt_seconds(["build", "--full-refresh"], target)
    print(f"{target}: add 1 session to {size} (dbt build of the lap path incl. its tests): incremental "
          f"{incr:.2f}s, full refresh {full:.2f}s, ratio {incr / full:.2f}x (target <= 0.3x)")
    print(f"  fixed dbt cost (same build with nothing new): {noop:.2f}s; work above it: incremental "
          f"{max(incr - noop, 0):.2f}s vs full refresh {max(full - noop, 0):.2f}s")


def main() -> int:
    apply_network_hygiene()
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", nargs="+", default=["duckdb", "postgres"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="lapstack-bench-"))
    os.environ["DBT_TARGET_PATH"] = str(work / "target")
    os.environ["DBT_LOG_PATH"] = str(work / "logs")
    warehouses = Warehouses(work)
    try:
        sources = fresh_warehouse("duckdb", warehouses, 0)
        largest = sources[0]
        print(f"real sessions: {len(sources)} (GR Cup 2025 + F1 2023 files from $LAPSTACK_DATA)")
        print(f"largest real session: {largest[0]} ({largest[2]} laps)")
        print("larger warehouses replicate real sessions' raw rows under new ids (no synthetic data)")
        print("marts (long) = driver stats + sector highlights + lap highlights + chart matrix, long (4 queries)")
        print("marts (doc)  = the same three + the chart as session_chart_json, one JSON document (4 queries)")
        print("on the fly   = read the session's raw laps, compute the same in pandas (tests/oracle)")
        print("floor        = 4 x `select 1` on the same connection: the driver's per-query cost\n")
        print(f"{'target':>8} {'sessions':>8} {'laps in fct':>11} {'long ms':>10} {'gain':>6} {'doc ms':>10} "
              f"{'gain':>6} {'on-fly ms':>10} {'floor ms':>8}")
        for target in args.targets:
            serve(target, warehouses, sorted(args.sizes), largest[0])
        for size in [s for s in (100, 1000) if s in args.sizes]:
            incremental("duckdb", warehouses, sources, size)
    finally:
        warehouses.drop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
