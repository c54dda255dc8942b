"""Telemetry loader benchmark: throughput vs DuckDB's own read_csv, and peak RSS at 1.5M and 15.7M rows.

Volume: the real Las Vegas car telemetry and the real GR Cup Barber sample, replicated across cars and
days (see telemetry_bench_data.py); nothing is synthesised. Each measurement runs in its own process
(fresh DuckDB file) so peak RSS (ru_maxrss) is that load's alone.

    .venv/bin/python bench/telemetry_load.py [--workdir /tmp/lapstack_bench] [--replicas 32] [--small 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.peak_rss import peak_rss_mb  # noqa: E402


def _child(mode: str, csv_path: Path, db: Path) -> None:
    """Run one load in this process and print its wall time and peak RSS."""
    start = time.perf_counter()
    if mode == "duckdb_read_csv":
        import duckdb

        con = duckdb.connect(str(db))
        con.execute("create table t as select * from read_csv(?, header = true)", [str(csv_path)])
        rows = con.execute("select count(*) from t").fetchone()[0]
        con.close()
    else:
        os.environ["LAPSTACK_TARGET"] = "duckdb"
        os.environ["LAPSTACK_DUCKDB_PATH"] = str(db)
        from core.warehouse import connect
        from loaders.laps.model import Overrides
        from loaders.telemetry.load import load_file

        wh = connect()
        res = load_file(wh, csv_path, Overrides(series="bench", event="Replicated", session="Race"),
                        show_progress=False)
        wh.close()
        rows = res.rows
    seconds = time.perf_counter() - start
    rss_mb = peak_rss_mb()
    print(json.dumps({"rows": rows, "seconds": seconds, "rss_mb": rss_mb}))


def _measure(mode: str, csv_path: Path, workdir: Path) -> dict:
    db = workdir / f"{mode}_{csv_path.stem}.duckdb"
    for f in (db, Path(str(db) + ".wal")):
        f.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(csv_path), str(db)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    from core.settings import LAPSTACK_BENCH_DIR

    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, default=LAPSTACK_BENCH_DIR.get())
    parser.add_argument("--replicas", type=int, default=32)
    parser.add_argument("--small", type=int, default=3)
    parser.add_argument("--child", nargs=3)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]), Path(args.child[2]))
        return
    import telemetry_bench_data as data

    args.workdir.mkdir(parents=True, exist_ok=True)
    print("Volume: real Las Vegas 2023 car telemetry (20 cars, 488,120 rows) + real GR Cup Barber sample "
          "(pivoted), REPLICATED across cars and days; lapstack telemetry CSV format.")
    from core.settings import LAPSTACK_TELEMETRY_DUCKDB_MEMORY

    print(f"Baseline: DuckDB read_csv into a table with DuckDB's default settings (no memory_limit); lapstack "
          f"load runs its DuckDB connection with memory_limit={LAPSTACK_TELEMETRY_DUCKDB_MEMORY.get()}, "
          "preserve_insertion_order=false.")
    results = {}
    for replicas in (args.small, args.replicas):
        path = args.workdir / f"telemetry_x{replicas}.csv"
        rows = data.build(path, replicas) if not path.exists() else None
        ref = _measure("duckdb_read_csv", path, args.workdir)
        mine = _measure("lapstack_load", path, args.workdir)
        assert rows is None or rows == ref["rows"] == mine["rows"], (rows, ref, mine)
        results[replicas] = (ref, mine)
        size_mb = path.stat().st_size / 1e6
        print(f"{mine['rows']:>11,} rows ({size_mb:,.0f} MB, x{replicas} replicas): "
              f"duckdb read_csv {ref['seconds']:.2f} s ({ref['rows'] / ref['seconds']:,.0f} rows/s, "
              f"peak RSS {ref['rss_mb']:.0f} MB) | lapstack load {mine['seconds']:.2f} s "
              f"({mine['rows'] / mine['seconds']:,.0f} rows/s, peak RSS {mine['rss_mb']:.0f} MB) | "
              f"throughput ratio {ref['seconds'] / mine['seconds']:.2f}")
    small, big = results[args.small][1], results[args.replicas][1]
    print(f"peak RSS growth {small['rows']:,} -> {big['rows']:,} rows: {big['rss_mb'] / small['rss_mb']:.2f}x "
          f"(target <= 1.3x); peak RSS at {big['rows']:,} rows: {big['rss_mb']:.0f} MB (target <= 512 MB); "
          f"throughput ratio at {big['rows']:,} rows: "
          f"{results[args.replicas][0]['seconds'] / big['seconds']:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
