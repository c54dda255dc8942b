"""Latency of the README's example BI queries on each local target, side by side, at 100 sessions.

Both warehouses hold the same content: the real GR Cup 2025 and F1 2023 laps REPLICATED to 100 sessions
(real rows under new session ids) plus the real 2023 Las Vegas car telemetry (20 cars, 488,120 samples).
Run: .venv/bin/python bench/mart_queries.py
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.replicate import grow_to, real_sessions  # noqa: E402
from commands.demo import demo_files  # noqa: E402
from commands.mart_examples import EXAMPLES  # noqa: E402
from core.dbt_runner import run_dbt  # noqa: E402
from core.settings import apply_network_hygiene, data_dir  # noqa: E402
from core.warehouse import connect  # noqa: E402
from loaders.laps.load import load_paths  # noqa: E402
from loaders.laps.model import Overrides  # noqa: E402
from loaders.telemetry.load import load_paths as load_telemetry  # noqa: E402

SESSIONS = 100
PARAMS = {
    "fastest_laps": ("f1", 2023),
    "driver_consistency": ("f1", 2023, "VER"),
    "sector_comparison": ("f1-2023-las_vegas_grand_prix-race", "VER", "LEC"),
    "daily_activity": (dt.date(2023, 1, 1),),
}


def build(target: str) -> None:
    wh = connect(target)
    try:
        _, errors = load_paths(wh, demo_files(data_dir()), None, Overrides())
        assert not errors, errors
        grow_to(wh, real_sessions(wh), SESSIONS)
        vegas = sorted((data_dir() / "f1_2023_fastf1" / "21_Las Vegas").glob("*_telemetry.csv"))
        _, errors = load_telemetry(wh, vegas, Overrides())
        assert not errors, errors
    finally:
        wh.close()
    result = run_dbt(["build"], target=target, capture=True)
    if result.returncode != 0:
        raise SystemExit(f"dbt build failed on {target}:\n{result.stdout[-3000:]}")


def latencies(target: str) -> dict[str, tuple[float, int]]:
    wh = connect(target)
    try:
        out = {}
        for example in EXAMPLES:
            params = PARAMS[example.name]
            rows = len(wh.query(example.sql, params))
            samples = []
            for _ in range(30):
                start = time.perf_counter()
                wh.query(example.sql, params)
                samples.append(time.perf_counter() - start)
            out[example.name] = (statistics.median(samples), rows)
        return out
    finally:
        wh.close()


def main() -> int:
    apply_network_hygiene()
    work = Path(tempfile.mkdtemp(prefix="lapstack-marts-"))
    os.environ["DBT_TARGET_PATH"] = str(work / "target")
    os.environ["DBT_LOG_PATH"] = str(work / "logs")
    os.environ["LAPSTACK_DUCKDB_PATH"] = str(work / "warehouse.duckdb")
    import psycopg
    from psycopg import sql

    pg_db = f"lapstack_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(host=os.environ.get("PGHOST", "127.0.0.1"), user=os.environ.get("PGUSER", "postgres"),
                            dbname="postgres", autocommit=True)
    admin.execute(sql.SQL("create database {}").format(sql.Identifier(pg_db)))
    os.environ["PGDATABASE"] = pg_db
    try:
        print(f"{SESSIONS} sessions (real GR Cup 2025 + F1 2023 laps, replicated) + real Las Vegas 2023 telemetry")
        results = {}
        for target in ("duckdb", "postgres"):
            build(target)
            results[target] = latencies(target)
        print(f"\n{'query':<20} {'rows':>5} {'duckdb ms':>10} {'postgres ms':>12}")
        for example in EXAMPLES:
            duck, rows = results["duckdb"][example.name]
            pg, _ = results["postgres"][example.name]
            print(f"{example.name:<20} {rows:>5} {duck * 1000:>10.2f} {pg * 1000:>12.2f}")
        print("\n(median of 30 runs each, one warm connection, parameters bound, times in milliseconds)")
    finally:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(pg_db)))
        admin.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
