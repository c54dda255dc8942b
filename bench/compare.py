"""`compare` on a replicated-rows telemetry warehouse (DuckDB): latency and RSS; incremental vs full dbt build;
and the distance alignment checked against the official timing for every driver pair of the real session.

Alignment check (real data only): for every pair of the 20 Las Vegas drivers, `compare` on their best racing
laps; the running delta at the finish line against the official lap-time difference, and at the sector 1 and
sector 2 ends against the official cumulative sector-time difference. The distribution is printed.

Warehouse: the real Las Vegas laps and 20 real cars, plus the lapstack-format file of real rows REPLICATED
to 15.7M (bench/telemetry_bench_data.py). Then one more session (real rows replicated once more) is loaded
and `dbt build` runs incrementally; the ratio to a full refresh is printed. `compare` runs in a fresh
process so its peak RSS is its own.

    .venv/bin/python bench/compare.py [--workdir /tmp/lapstack_bench] [--replicas 32] [--runs 21]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.peak_rss import peak_rss_mb  # noqa: E402

SESSION = "f1-2023-las_vegas_grand_prix-race"
SELECT = ["--select", "+path:models/marts/telemetry", "--indirect-selection", "cautious"]


def _child_compare(runs: int) -> None:
    from commands.compare import compare
    from core.warehouse import connect

    wh = connect()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = compare(SESSION, "VER", "ALO", wh=wh)
        times.append(time.perf_counter() - start)
    wh.close()
    print(json.dumps({"median_ms": statistics.median(times) * 1000, "points": len(result["points"]),
                      "rss_mb": peak_rss_mb()}))


def alignment_check(wh) -> list[str]:
    """Every driver pair of the real session: telemetry delta vs official timing at the sector ends and the line."""
    import itertools

    import numpy as np

    from commands.compare import compare

    drivers = [r[0] for r in wh.query("select driver from marts.session_driver_telemetry where session_id = ? "
                                      "and best_lap_is_racing_lap order by driver", (SESSION,))]
    final, sector = [], {1: [], 2: []}
    for a, b in itertools.combinations(drivers, 2):
        res = compare(SESSION, a, b, wh=wh)
        final.append(abs(res["final_delta_s"] - res["lap_times"]["diff_s"]))
        for s in res["sectors"][:2]:
            if s["delta_at_end_s"] is not None:
                sector[s["sector"]].append(abs(s["delta_at_end_s"] - s["official_cumulative_diff_s"]))
    both = np.array(sector[1] + sector[2])
    out = [f"Alignment on real data ({SESSION}, {len(drivers)} drivers with a best racing lap, {len(final)} pairs, "
           "best racing laps; distance = speed integrated over each lap's own time, anchored to its official start "
           "and lap time):",
           f"  finish line: |delta - official lap-time difference| max {max(final) * 1000:.3f} ms (target <= 10 ms)"]
    for k, errs in sector.items():
        e = np.array(errs) * 1000
        out.append(f"  sector {k} end: {len(e)} pairs, within 100 ms {np.mean(e <= 100) * 100:.1f}% | error ms "
                   f"p50 {np.percentile(e, 50):.0f}, p90 {np.percentile(e, 90):.0f}, max {e.max():.0f}")
    out.append(f"  both sector ends: within 100 ms {np.mean(both <= 0.1) * 100:.1f}% of {len(both)} pair-boundaries "
               "(target >= 90%)")
    return out


def _load(paths: list[Path], *extra: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "commands.cli", "load", "telemetry", *map(str, paths), *extra],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def _dbt(*args: str) -> float:
    from core.dbt_runner import run_dbt

    start = time.perf_counter()
    result = run_dbt(list(args), capture=True)
    if result.returncode != 0:
        raise SystemExit(result.stdout[-3000:])
    return time.perf_counter() - start


def main() -> None:
    from core.settings import LAPSTACK_BENCH_DIR

    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", type=Path, default=LAPSTACK_BENCH_DIR.get())
    parser.add_argument("--replicas", type=int, default=32)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--child", type=int)
    parser.add_argument("--skip-incremental", action="store_true", help="skip the incremental-vs-full dbt timing")
    args = parser.parse_args()
    if args.child:
        _child_compare(args.child)
        return
    import telemetry_bench_data as data

    from core.settings import data_dir
    from core.warehouse import connect
    from loaders.laps.load import load_paths
    from loaders.laps.model import Overrides

    db = args.workdir / "compare_bench.duckdb"
    for f in (db, Path(str(db) + ".wal")):
        f.unlink(missing_ok=True)
    os.environ.update(LAPSTACK_TARGET="duckdb", LAPSTACK_DUCKDB_PATH=str(db),
                      DBT_TARGET_PATH=str(args.workdir / "dbt_target"), DBT_LOG_PATH=str(args.workdir / "dbt_logs"))
    big = args.workdir / f"telemetry_x{args.replicas}.csv"
    if not big.exists():
        data.build(big, args.replicas)
    extra = args.workdir / "telemetry_x1.csv"
    if not extra.exists():
        data.build(extra, 1)
    vegas = data_dir() / "f1_2023_fastf1" / "21_Las Vegas"
    wh = connect()
    load_paths(wh, [vegas / "laps.csv"], None, Overrides())
    wh.close()
    _load(sorted(vegas.glob("*_telemetry.csv")))
    _load([big], "--series", "bench", "--event", "Replicated", "--session", "Race")
    wh = connect()
    total = wh.query("select count(*) from raw.telemetry")[0][0]
    wh.close()
    print(f"Warehouse: {total:,} telemetry rows = real Las Vegas (20 cars) + real rows REPLICATED x{args.replicas} "
          "across cars and days (DuckDB target)")
    full = _dbt("build", "--full-refresh", *SELECT)
    if not args.skip_incremental:
        _load([extra], "--series", "bench", "--event", "Replicated", "--session", "Late Session")
        incremental = _dbt("build", *SELECT)
        full_again = _dbt("build", "--full-refresh", *SELECT)
    wh = connect()
    lines = alignment_check(wh)
    wh.close()
    print("\n".join(lines))
    out = subprocess.run([sys.executable, __file__, "--child", str(args.runs)], check=True, capture_output=True,
                         text=True, env=os.environ)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    if args.skip_incremental:
        print(f"dbt build of the telemetry marts: full refresh {full:.1f} s (incremental timing skipped)")
    else:
        print(f"dbt build of the telemetry marts: full refresh {full:.1f} s (again after the extra session: "
              f"{full_again:.1f} s); incremental after loading one more session ({extra.stem}, real rows replicated "
              f"once) {incremental:.1f} s; ratio incremental/full {incremental / full_again:.2f} (target <= 0.3)")
    print(f"compare VER vs ALO ({SESSION}, best racing laps, 5 m grid) on the replicated-rows warehouse above, "
          f"{args.runs} runs: median {res['median_ms']:.1f} ms (target <= 100 ms), "
          f"peak RSS of the compare process {res['rss_mb']:.0f} MB (target <= 200 MB), "
          f"{res['points']} distance points")


if __name__ == "__main__":
    main()
