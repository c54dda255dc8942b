"""Serving one session page: the one-row session_page read vs the long marts vs recomputing from raw laps,
and what building the marts costs (full refresh, one more session) as the warehouse grows to 10,000 sessions.

Volumes above the real data are built by REPLICATING REAL SESSIONS' raw rows under new session ids
(GR Cup 2025 and F1 2023 laps from $LAPSTACK_DATA); nothing is synthesised. One warehouse per target grows
through the sizes (real 28 sessions, then copies); the 10-session point is its own warehouse of the 10
largest real sessions.
Run: .venv/bin/python bench/serve_session_stats.py [--targets duckdb postgres] [--sizes 10 100 1000 3000 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.replicate import grow_to, real_sessions  # noqa: E402
from commands.demo import demo_files  # noqa: E402
from commands.session_page import read_session_page  # noqa: E402
from core.dbt_runner import build_args, run_dbt, scoped_tests_env  # noqa: E402
from core.raw_schema import LAP_TABLES, RAW  # noqa: E402
from core.settings import LAPSTACK_DUCKDB_PATH, apply_network_hygiene, data_dir  # noqa: E402
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

# Only the lap path (sources -> fct_laps -> session marts), so other domains' models don't blur the timing.
LAP_PATH = ["--selector", "lap_path"]
PG_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


def read_marts(wh: Warehouse, session_id: str, queries: list[str] = MART_QUERIES) -> int:
    return sum(len(wh.query(text, (session_id,))) for text in queries)


def read_page(wh: Warehouse, session_id: str) -> int:
    """The one-row read, parsed: what serving the page costs a Python server."""
    page = read_session_page(wh, session_id)
    assert page is not None
    return len(page["driver_stats"])


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Median seconds of `repeat` calls (after one warm-up)."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load {one:.2f} {five:.2f} {fifteen:.2f}"


def say(text: str = "") -> None:
    print(text, flush=True)


class Warehouses:
    """Throw-away warehouses: a DuckDB file, or a Postgres database created and dropped by the bench."""

    def __init__(self, work: Path, pg_prefix: str):
        self.work = work
        self.pg_prefix = pg_prefix
        self.pg_databases: list[str] = []

    def point_at(self, target: str, label: str) -> None:
        os.environ["LAPSTACK_DUCKDB_PATH"] = str(self.work / f"bench_{label}.duckdb")
        if target == "postgres":
            name = f"{self.pg_prefix}{uuid.uuid4().hex[:8]}"
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


def real_warehouse(target: str, warehouses: Warehouses, label: str, keep: int | None = None):
    """A new warehouse of the real sessions (the `keep` largest of them when given)."""
    warehouses.point_at(target, label)
    wh = connect(target)
    try:
        _, errors = load_paths(wh, demo_files(data_dir()), None, Overrides())
        if errors:
            raise SystemExit(f"load failed: {errors[0]}")
        sources = real_sessions(wh)
        for sid, _, _ in sources[keep or len(sources):]:  # smallest go first; the largest always stays
            delete_session(wh, sid)
        return sources
    finally:
        wh.close()


def child_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children: the dbt processes. DuckDB runs inside
    dbt, so on DuckDB it is the whole build's CPU, which the other engineers' load inflates far less than wall
    time; on Postgres the server's work is not in it."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def dbt_seconds(full_refresh: bool, target: str, work: Path) -> tuple[float, dict[str, float]]:
    """Wall seconds of one `lapstack build [--full-refresh]` of the lap path (core.dbt_runner.build_args: the
    same dbt arguments, so no unit tests, as in production), and where they went (dbt's run_results.json).
    The data tests are scoped the way `lapstack build` and Dagster scope them (core.rebuilt_sessions: the
    sessions the build is about to rebuild; every row on a full refresh); asking which is part of the time."""
    start, cpu = time.perf_counter(), child_cpu()
    scope = scoped_tests_env(target, full_scope=full_refresh)
    args = build_args(full_refresh, LAP_PATH)
    result = run_dbt(args, target=target, capture=True, extra_env=scope)
    wall, cpu = time.perf_counter() - start, child_cpu() - cpu
    if result.returncode != 0:
        raise SystemExit(f"dbt {' '.join(args)} failed:\n{result.stdout[-3000:]}")
    parts = {"models": 0.0, "data tests": 0.0, "unit tests": 0.0}
    run = json.loads((work / "target" / "run_results.json").read_text())
    for node in run["results"]:
        kind = node["unique_id"].split(".")[0]
        key = {"model": "models", "test": "data tests", "unit_test": "unit tests"}.get(kind)
        if key:
            parts[key] += node["execution_time"]
    # With several dbt threads (the Postgres profile has 2) node times overlap and their sum can exceed the
    # wall time: then the rest is not known and is printed as such.
    rest = wall - sum(parts.values())
    parts["dbt itself"] = rest if rest >= 0 else float("nan")
    parts["dbt cpu"] = cpu
    return wall, parts


def slowest_nodes(work: Path, count: int = 6) -> str:
    """The slowest nodes of the last build (its run_results.json), where a build's time goes."""
    run = json.loads((work / "target" / "run_results.json").read_text())
    nodes = sorted(run["results"], key=lambda n: -n["execution_time"])[:count]
    return ", ".join(f"{n['unique_id'].split('.')[-1][:40]} {n['execution_time']:.2f}s" for n in nodes)


def split(parts: dict[str, float]) -> str:
    """Node time by kind (summed over dbt's threads), the rest of the wall time, and the dbt process's CPU."""
    text = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in parts.items()
                     if seconds == seconds and name != "dbt cpu")
    text += ("" if parts["dbt itself"] == parts["dbt itself"] else "; node times overlap (dbt threads)")
    return text + f"; dbt process cpu {parts['dbt cpu']:.1f}s"


def size_of(wh: Warehouse, target: str) -> tuple[int, int, int, int]:
    """(raw lap rows, fct_laps rows, rows in all marts, warehouse bytes)."""
    raw = sum(wh.query(f"select count(*) from {RAW}.{t}")[0][0] for t in LAP_TABLES if wh.table_exists(RAW, t))
    fct = wh.query("select count(*) from marts.fct_laps")[0][0]
    tables = [r[0] for r in wh.query("select table_name from information_schema.tables where table_schema = ? "
                                     "and table_type = ?", ("marts", "BASE TABLE"))]
    marts = sum(wh.query(f'select count(*) from marts."{t}"')[0][0] for t in tables)
    if target == "postgres":
        size = wh.query("select pg_database_size(current_database())")[0][0]
    else:
        wh.execute("checkpoint")
        size = LAPSTACK_DUCKDB_PATH.get().stat().st_size
    return raw, fct, marts, size


def measure_reads(target: str, size: int, session_id: str) -> dict[str, float]:
    wh = connect(target)
    try:
        raw, fct, marts, nbytes = size_of(wh, target)
        out = {
            "long": timed(lambda: read_marts(wh, session_id), 50),
            "doc": timed(lambda: read_marts(wh, session_id, DOC_QUERIES), 50),
            "page": timed(lambda: read_page(wh, session_id), 50),
            "fly": timed(lambda: compute_on_the_fly(wh, session_id), 10),
            "floor": timed(lambda: wh.query("select 1"), 50),
        }
    finally:
        wh.close()
    say(f"{target:>8} {size:>6} {raw:>9} {fct:>9} {marts:>10} {nbytes / 2**20:>8.0f} "
        f"{out['long'] * 1000:>7.2f} {out['doc'] * 1000:>7.2f} {out['page'] * 1000:>7.2f} "
        f"{out['fly'] * 1000:>7.1f} {out['fly'] / out['page']:>5.0f}x {out['floor'] * 1000:>6.2f}  {load()}")
    return out


def one_more(target: str, size: int, sources, work: Path, full: float, full_parts: dict[str, float]) -> float:
    noop, noop_parts = dbt_seconds(False, target, work)
    wh = connect(target)
    try:
        grow_to(wh, sources, size + 1)
    finally:
        wh.close()
    incr, incr_parts = dbt_seconds(False, target, work)
    slowest = slowest_nodes(work)
    say(f"{target}: {size} sessions, `lapstack build` of the lap path incl. its data tests ({load()}):")
    say(f"  full refresh      {full:7.2f}s  ({split(full_parts)})")
    say(f"  nothing new       {noop:7.2f}s  ({split(noop_parts)})")
    say(f"  +1 session incr.  {incr:7.2f}s  ({split(incr_parts)})  = {incr / full:.2f}x of the full refresh "
        f"(cpu {incr_parts['dbt cpu'] / full_parts['dbt cpu']:.2f}x)")
    say(f"  +1 slowest nodes: {slowest}")
    return incr


def run_target(target: str, warehouses: Warehouses, sizes: list[int], work: Path, largest: str) -> None:
    reads: dict[int, dict[str, float]] = {}
    incrs: dict[int, float] = {}
    small = [s for s in sizes if s < 28]
    for size in small:
        real_warehouse(target, warehouses, f"{target}_{size}", keep=size)
        dbt_seconds(False, target, work)
        reads[size] = measure_reads(target, size, largest)
    sources = real_warehouse(target, warehouses, f"{target}_grow")
    for size in [s for s in sizes if s >= 28]:
        wh = connect(target)
        try:
            grow_to(wh, sources, size)
        finally:
            wh.close()
        full, full_parts = dbt_seconds(True, target, work)
        reads[size] = measure_reads(target, size, largest)
        incrs[size] = one_more(target, size, sources, work, full, full_parts)
        summary(target, reads, incrs)
    say()


def summary(target: str, reads: dict[int, dict[str, float]], incrs: dict[int, float]) -> None:
    """The growth ratios so far (printed after every size, so a run stopped early still states them)."""
    lo, hi = min(reads), max(reads)
    say(f"{target}: one-row page read growth {lo} -> {hi} sessions: "
        f"{reads[hi]['page'] / reads[lo]['page']:.2f}x (target <= 1.5x); long marts "
        f"{reads[hi]['long'] / reads[lo]['long']:.2f}x")
    say(f"{target}: page read vs on the fly at the largest real session: "
        + ", ".join(f"{s}: {r['fly'] / r['page']:.0f}x" for s, r in sorted(reads.items()))
        + f"; against the {lo}-session on-the-fly time (its cheapest raw scan): "
        + ", ".join(f"{s}: {reads[lo]['fly'] / r['page']:.0f}x" for s, r in sorted(reads.items()))
        + " (target >= 100x)")
    if len(incrs) >= 2:
        a, b = min(incrs), max(incrs)
        say(f"{target}: +1 session incremental wall time growth {a} -> {b} sessions: {incrs[b] / incrs[a]:.2f}x "
            "(target <= 1.3x)")


def main() -> int:
    apply_network_hygiene()
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", nargs="+", default=["duckdb", "postgres"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 3000, 10000])
    parser.add_argument("--pg-prefix", default="lapstack_bench_", help="prefix of the Postgres databases created")
    args = parser.parse_args()
    if not PG_PREFIX.match(args.pg_prefix):
        raise SystemExit(f"--pg-prefix {args.pg_prefix!r}: lower-case letters, digits, underscores")
    work = Path(tempfile.mkdtemp(prefix="lapstack-bench-"))
    os.environ["DBT_TARGET_PATH"] = str(work / "target")
    os.environ["DBT_LOG_PATH"] = str(work / "logs")
    warehouses = Warehouses(work, args.pg_prefix)
    try:
        sources = real_warehouse("duckdb", warehouses, "real")
        largest = sources[0][0]
        say(f"real sessions: {len(sources)} (GR Cup 2025 + F1 2023 files from $LAPSTACK_DATA); "
            f"sizes {sorted(args.sizes)} on {' '.join(args.targets)}; {os.cpu_count()} cores, {load()}")
        say(f"largest real session: {largest} ({sources[0][2]} laps)")
        say("warehouses above 28 sessions REPLICATE real sessions' raw rows under new ids (no synthetic data)")
        say("builds run what `lapstack build` runs: data tests scoped to the sessions rebuilt "
            "(LAPSTACK_TEST_SESSIONS), no unit tests (dbt: dev/CI, not production)")
        say("long  = driver stats + sector highlights + lap highlights + chart matrix, long (4 queries)")
        say("doc   = the same three + the chart as session_chart_json (4 queries)")
        say("page  = marts.session_page: one row, its JSON parsed (1 query + json.loads)")
        say("fly   = read the session's raw laps, compute the same in pandas (tests/oracle); gain = fly / page")
        say("floor = 1 x `select 1` on the same connection: the driver's per-query cost")
        say("MB    = DuckDB file after checkpoint / pg_database_size; mart rows = all tables of schema marts\n")
        say(f"{'target':>8} {'sess':>6} {'raw laps':>9} {'fct_laps':>9} {'mart rows':>10} {'MB':>8} "
            f"{'long ms':>7} {'doc ms':>7} {'page ms':>7} {'fly ms':>7} {'gain':>6} {'floor':>6}")
        for target in args.targets:
            run_target(target, warehouses, sorted(args.sizes), work, largest)
    finally:
        warehouses.drop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
