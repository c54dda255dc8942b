"""Telemetry loader benchmark, per format: lapstack load vs DuckDB's own reader on the same file, side by side.

Formats: lapstack CSV, lapstack Parquet, FastF1 car_data CSV, GR Cup long format, each at ~1.5M and ~15.7M
rows. Volume: real rows replicated (telemetry_bench_data.py says how); nothing is synthesised. Each
measurement runs in its own process (fresh DuckDB file) so peak RSS (VmHWM) is that load's alone. The load
average is printed before and after: the machine is shared, so the figures are only comparable within a run.

    .venv/bin/python bench/telemetry_load.py [--workdir DIR] [--formats csv,parquet,fastf1,gr_cup] [--sizes small,big]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.peak_rss import peak_rss_mb  # noqa: E402

FORMATS = {
    "csv": ("lapstack CSV", "read_csv"),
    "parquet": ("lapstack Parquet", "read_parquet"),
    "fastf1": ("FastF1 car_data CSV", "read_csv"),
    "gr_cup": ("GR Cup long CSV", "read_csv"),
}
# replicas per size: csv/parquet 489,141 rows each, fastf1 488,120, gr_cup 10,000 long rows
REPLICAS = {"csv": (3, 32), "parquet": (3, 32), "fastf1": (3, 32), "gr_cup": (150, 1570)}


def _child(mode: str, fmt: str, path: Path, db: Path) -> None:
    """Run one load in this process and print its wall time, peak RSS and where the time went."""
    start = time.perf_counter()
    spent: dict[str, float] = {}
    if mode == "duckdb":
        import duckdb

        con = duckdb.connect(str(db))
        reader = "read_parquet(?)" if fmt == "parquet" else "read_csv(?, header = true)"
        con.execute(f"create table t as select * from {reader}", [str(path)])
        rows = con.execute("select count(*) from t").fetchone()[0]
        con.close()
    else:
        os.environ["LAPSTACK_TARGET"] = "duckdb"
        os.environ["LAPSTACK_DUCKDB_PATH"] = str(db)
        from core.warehouse import connect
        from loaders.laps.model import Overrides
        from loaders.telemetry import csvstream, duckdb_direct
        from loaders.telemetry.load import load_file

        spent["import"] = time.perf_counter() - start
        _timed(csvstream, "scan_file", "scan", spent)
        _timed(csvstream, "sha256_file", "scan", spent)
        _timed(duckdb_direct, "load", "direct", spent)
        _timed(duckdb_direct, "_summary", "checks", spent)
        _timed(duckdb_direct, "_parquet_in_order", "checks", spent)
        _timed(duckdb_direct, "supersede", "swap", spent)
        _timed(duckdb_direct, "record", "swap", spent)
        wh = connect()
        res = load_file(wh, path, Overrides(series="bench", season=2025, event="Replicated", session="Race"),
                        show_progress=False)
        rows = res.rows
        if fmt == "gr_cup":  # rows of the file: one per channel value (each inserted row holds several)
            rows = wh.query("select count(speed) + count(gear) + count(rpm) + count(throttle) + "
                            "count(throttle_blade) + count(brake_pressure_front) + count(brake_pressure_rear) + "
                            "count(accel_x) + count(accel_y) + count(steering_angle) + count(latitude) + "
                            "count(longitude) + count(distance) from raw.telemetry")[0][0]
        wh.close()
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)  # CPU seconds: what a shared machine does not inflate
    print(json.dumps({"rows": rows, "seconds": seconds, "rss_mb": peak_rss_mb(), "spent": spent,
                      "cpu": usage.ru_utime + usage.ru_stime}))


def _timed(module, name: str, key: str, spent: dict[str, float]) -> None:
    """Wrap module.name so its wall time adds up under `key` and its CPU time under `key_cpu` (where the load's
    time goes; CPU seconds are what a busy machine inflates least)."""
    inner = getattr(module, name)

    def wrapper(*args, **kwargs):
        t, c = time.perf_counter(), time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - t
            spent[f"{key}_cpu"] = spent.get(f"{key}_cpu", 0.0) + time.process_time() - c
    setattr(module, name, wrapper)


def _breakdown(mine: dict) -> str:
    """import | scan (hash, lines, UTF-8) | DuckDB insert (read, type, check per value, pivot, lap join) |
    batch checks (one query: rows, lines, time order per car, cars) | swap (supersede other files' rows)
    and audit row | the rest (commit, connect, lap windows)."""
    s = mine.get("spent", {})
    if "direct" not in s:
        return "chunked path"
    def part(key: str, minus: tuple[str, ...] = ()) -> str:
        wall = s.get(key, 0.0) - sum(s.get(m, 0.0) for m in minus)
        cpu = s.get(f"{key}_cpu", 0.0) - sum(s.get(f"{m}_cpu", 0.0) for m in minus)
        return f"{wall:.1f} s (CPU {cpu:.1f} s)"
    rest = mine["seconds"] - s["import"] - s.get("scan", 0.0) - s["direct"]
    return (f"import {s['import']:.1f} s, scan {part('scan')}, insert {part('direct', ('checks', 'swap'))}, "
            f"batch checks {part('checks')}, swap+audit {part('swap')}, rest {rest:.1f} s "
            "(no laps loaded: no lap join)")


def _measure(mode: str, fmt: str, path: Path, workdir: Path) -> dict:
    db = workdir / f"{mode}_{fmt}_{path.parent.name}.duckdb"
    for f in (db, Path(str(db) + ".wal")):
        f.unlink(missing_ok=True)
    out = subprocess.run([sys.executable, __file__, "--child", mode, fmt, str(path), str(db)],
                         check=True, capture_output=True, text=True)
    for f in (db, Path(str(db) + ".wal")):
        f.unlink(missing_ok=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _file(data, fmt: str, workdir: Path, replicas: int) -> Path:
    """The replicated file of this format and size, built once and kept in the work folder."""
    folder = workdir / f"{fmt}_x{replicas}"
    path = folder / {"csv": "telemetry.csv", "parquet": "telemetry.parquet", "fastf1": "1_telemetry.csv",
                     "gr_cup": "R1_telemetry.csv"}[fmt]
    if path.exists():
        return path
    if fmt == "csv":
        data.build(path, replicas)
    elif fmt == "parquet":
        data.build_parquet(_file(data, "csv", workdir, replicas), path)
    elif fmt == "fastf1":
        data.build_fastf1(path, replicas)
    else:
        data.build_gr_cup(path, replicas)
    return path


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    from core.settings import LAPSTACK_BENCH_DIR, LAPSTACK_TELEMETRY_DUCKDB_MEMORY

    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, default=LAPSTACK_BENCH_DIR.get())
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--sizes", default="small,big")
    parser.add_argument("--child", nargs=4)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], Path(args.child[2]), Path(args.child[3]))
        return
    import telemetry_bench_data as data

    args.workdir.mkdir(parents=True, exist_ok=True)
    sizes = [{"small": 0, "big": 1}[s] for s in args.sizes.split(",")]
    print("Volume: real rows REPLICATED, nothing synthesised: lapstack CSV/Parquet = the 20 real Las Vegas 2023 "
          "cars + the pivoted GR Cup Barber sample (489,141 rows) x3 / x32 under new car ids and days; FastF1 "
          "car_data = the 20 Las Vegas car files as one car file (488,120 rows) x3 / x32, shifted by days; GR Cup "
          "long = the real Barber sample (10,000 long rows) x150 / x1,570 as new cars.")
    print(f"Baseline: DuckDB's own reader (read_csv / read_parquet, auto-detect) into a table, DuckDB defaults; "
          f"lapstack load: memory_limit={LAPSTACK_TELEMETRY_DUCKDB_MEMORY.get()}, preserve_insertion_order=false, "
          f"all checks. {os.cpu_count()} cores; load average before: {_load_average()} (shared machine).")
    for fmt in args.formats.split(","):
        label, reader = FORMATS[fmt]
        results = []
        for size in sizes:
            replicas = REPLICAS[fmt][size]
            path = _file(data, fmt, args.workdir, replicas)
            ref = _measure("duckdb", fmt, path, args.workdir)
            mine = _measure("lapstack", fmt, path, args.workdir)
            assert ref["rows"] == mine["rows"], (fmt, ref, mine)
            results.append((ref, mine))
            print(f"{label:<20} {mine['rows']:>11,} rows ({path.stat().st_size / 1e6:,.0f} MB): duckdb {reader} "
                  f"{ref['seconds']:.2f} s (peak RSS {ref['rss_mb']:.0f} MB) | lapstack load {mine['seconds']:.2f} s "
                  f"(peak RSS {mine['rss_mb']:.0f} MB) | throughput ratio {ref['seconds'] / mine['seconds']:.2f} "
                  f"(CPU time: duckdb {ref['cpu']:.1f} s, lapstack {mine['cpu']:.1f} s, ratio "
                  f"{ref['cpu'] / mine['cpu']:.2f}) | load avg {_load_average()}", flush=True)
            print(f"{'':<20} lapstack time: {_breakdown(mine)}", flush=True)
        if len(results) == 2:
            (_, small), (ref, big) = results
            print(f"{label:<20} RSS growth {small['rows']:,} -> {big['rows']:,} rows: lapstack "
                  f"{big['rss_mb'] / small['rss_mb']:.2f}x (target <= 1.3x), duckdb {reader} "
                  f"{ref['rss_mb'] / results[0][0]['rss_mb']:.2f}x; lapstack peak {big['rss_mb']:.0f} MB "
                  f"(target <= 512 MB); ratio {ref['seconds'] / big['seconds']:.2f} (target >= 0.5)", flush=True)
    print(f"load average after: {_load_average()}")


if __name__ == "__main__":
    main()
