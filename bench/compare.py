"""`compare` on a replicated-rows telemetry warehouse (DuckDB): latency and RSS; incremental vs full dbt build;
and the distance alignment checked against the official timing for every driver pair of the real session.

Alignment check (real data only): for every pair of the 20 Las Vegas drivers, `compare` on their best racing
laps; the running delta at the finish line against the official lap-time difference, and at the sector 1 and
sector 2 ends against the official cumulative sector-time difference. The distribution is printed.

Warehouse: the real Las Vegas laps and 20 real cars, plus the lapstack-format file of real rows REPLICATED
to 15.7M (bench/telemetry_bench_data.py). Then one more session (real rows replicated once more) is loaded
and `dbt build` runs incrementally; the ratio to a full refresh is printed. `compare` runs in a fresh
process so its peak RSS is its own.

    .venv/bin/python bench/compare.py [--workdir /tmp/lapstack_bench] [--replicas 32] [--runs 51] [--reuse]

`compare` is timed in a fresh process (its peak RSS is its own): warm compare() calls, then each phase alone
(the two queries, JSON encoding, `select 1` as the driver's floor), import and connect once, and the CLI as a
new process per call. The load average is printed at the start and the end: the machine is shared.
"""

from __future__ import annotations

import argparse
import contextlib
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


def _load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} cores"


def _median_ms(fn, runs: int, cpu: list | None = None) -> float:
    """Median wall time; with `cpu`, the median CPU time of the process is appended to it (on a machine where
    other jobs hold the cores, wall time includes the wait for a core; CPU time is the work itself)."""
    times, cpu_times = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - start_cpu)
    if cpu is not None:
        cpu.append(statistics.median(cpu_times) * 1000)
    return statistics.median(times) * 1000


def _child_compare(runs: int) -> None:
    """In a fresh process: import and connect cost, then compare() warm, and where its time goes."""
    start = time.perf_counter()
    import commands.compare as cmp
    imported = time.perf_counter() - start
    from core.warehouse import connect

    start = time.perf_counter()
    wh = connect()
    connected = time.perf_counter() - start
    drivers = ["VER", "ALO"]
    result = cmp.compare(SESSION, *drivers, wh=wh)
    facts = cmp._grid_facts(wh, SESSION, drivers)
    cpu: list[float] = []
    phases = {"compare": _median_ms(lambda: cmp.compare(SESSION, *drivers, wh=wh), runs, cpu)}
    threads = wh.query("select current_setting('threads')")[0][0]
    for label, ctx in (("threads=1 as compare runs them", cmp._single_threaded),
                       (f"threads={threads} (connection default)", contextlib.nullcontext)):
        with ctx(wh):
            phases[f"[{label}] headline query"] = _median_ms(lambda: cmp._headline(wh, SESSION, drivers), runs)
            phases[f"[{label}] lap facts query"] = _median_ms(lambda: cmp._grid_facts(wh, SESSION, drivers), runs)
            phases[f"[{label}] grid query + arrays"] = _median_ms(lambda: cmp._grid_laps(wh, SESSION, facts), runs)
            phases[f"[{label}] select 1"] = _median_ms(lambda: wh.query("select 1"), runs)
    phases["json.dumps of the result"] = _median_ms(lambda: json.dumps(result), runs)
    phases["compare --lap 20 (fct_telemetry samples, 5 m)"] = _median_ms(
        lambda: cmp.compare(SESSION, *drivers, 20, wh=wh), runs)
    wh.close()
    print(json.dumps({"phases": phases, "cpu_ms": cpu[0], "import_ms": imported * 1000, "connect_ms": connected * 1000,
                      "points": len(result["points"]), "step_m": result["step_m"], "rss_mb": peak_rss_mb()}))


def _cli_ms(runs: int) -> float:
    """`lapstack compare --json` as a user runs it: a new process each time (start, imports, connect, JSON)."""
    cmd = [sys.executable, "-m", "commands.cli", "compare", "--session", SESSION, "--drivers", "VER", "ALO", "--json"]
    return _median_ms(lambda: subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=os.environ), runs)


def _lap_profiles(wh) -> tuple[dict, dict]:
    """Every timed lap of the real session: (lap fraction, elapsed) with the official anchors, and its sector
    times (telemetry_lap_windows), read once (~0.5M samples)."""
    import numpy as np

    windows = {(d, lap): (anchor, s1, s2) for d, lap, anchor, s1, s2 in wh.query(
        "select driver, lap_number, anchor_lap_time, sector_1_time, sector_2_time from marts.telemetry_lap_windows "
        "where session_id = ?", (SESSION,))}
    rows = wh.query("select driver, lap_number, lap_fraction, lap_elapsed_s from marts.fct_telemetry "
                    "where session_id = ? and lap_fraction is not null order by driver, lap_number, sample_time, "
                    "sample_seq", (SESSION,))
    grouped: dict = {}
    for d, lap, f, e in rows:
        grouped.setdefault((d, lap), []).append((f, e))
    profiles = {}
    for key, pts in grouped.items():
        if key not in windows or windows[key][0] is None:
            continue
        arr = np.array(pts, dtype=float)
        profiles[key] = (np.r_[0.0, arr[:, 0], 1.0], np.r_[0.0, arr[:, 1], windows[key][0]])
    return profiles, windows


def alignment_check(wh) -> list[str]:
    """Every driver pair of the real session: telemetry delta vs official timing at the sector ends and the line.

    Two placements of the sector lines, side by side. (1) What compare does: the mean of the two laps' positions
    at their official sector-end times. (2) A non-circular calibration tried for issue 14: each driver's own
    sector-line position (lap fraction at the official sector-end time) taken from his OTHER laps (median,
    leave-one-out), so the compared lap's sector times are not used to place its line. The spread of that
    position from lap to lap is printed: it is the limit of speed integration at 4 Hz.
    """
    import itertools

    import numpy as np

    from commands.compare import compare

    drivers = [r[0] for r in wh.query("select driver from marts.session_driver_telemetry where session_id = ? "
                                      "and best_lap_is_racing_lap order by driver", (SESSION,))]
    profiles, windows = _lap_profiles(wh)
    line: dict = {}  # (driver, lap) -> (fraction at the S1 end, fraction at the S2 end)
    for (d, lap), (f, e) in profiles.items():
        _, s1, s2 = windows[(d, lap)]
        if s1 is not None and s2 is not None:
            line[(d, lap)] = (float(np.interp(s1, e, f)), float(np.interp(s1 + s2, e, f)))
    final, sector, calibrated = [], {1: [], 2: []}, {1: [], 2: []}
    for a, b in itertools.combinations(drivers, 2):
        res = compare(SESSION, a, b, wh=wh)
        final.append(abs(res["final_delta_s"] - res["lap_times"]["diff_s"]))
        la, lb = (d["compared_lap"] for d in res["drivers"])
        for s in res["sectors"][:2]:
            if s["delta_at_end_s"] is None:
                continue
            k = s["sector"]
            sector[k].append(abs(s["delta_at_end_s"] - s["official_cumulative_diff_s"]))
            others = {d: [v[k - 1] for (dd, lap), v in line.items() if dd == d and lap != own]
                      for d, own in ((a, la), (b, lb))}
            if (a, la) in profiles and (b, lb) in profiles and others[a] and others[b]:
                ta = np.interp(np.median(others[a]), *profiles[(a, la)])
                tb = np.interp(np.median(others[b]), *profiles[(b, lb)])
                calibrated[k].append(abs(tb - ta - s["official_cumulative_diff_s"]))
    length = float(res["track_length_m"])
    spread = {k: [np.std([v[k] for (dd, _), v in line.items() if dd == d]) * length
                  for d in drivers if sum(1 for (dd, _) in line if dd == d) > 2] for k in (0, 1)}
    out = [f"Alignment on real data ({SESSION}, {len(drivers)} drivers with a best racing lap, {len(final)} pairs, "
           "best racing laps; distance = speed integrated over each lap's own time, anchored to its official start "
           "and lap time; compare reads the 1,001-point grid of best_lap_distance_trace):",
           f"  finish line: |delta - official lap-time difference| max {max(final) * 1000:.3f} ms (target <= 10 ms)"]

    def dist(label: str, errs: dict) -> None:
        both = np.array(errs[1] + errs[2]) * 1000
        for k, e in errs.items():
            e = np.array(e) * 1000
            out.append(f"  {label} sector {k} end: {len(e)} pairs, within 100 ms {np.mean(e <= 100) * 100:.1f}% | "
                       f"error ms p50 {np.percentile(e, 50):.0f}, p90 {np.percentile(e, 90):.0f}, max {e.max():.0f}")
        out.append(f"  {label} both sector ends: within 100 ms {np.mean(both <= 100) * 100:.1f}% of {len(both)} "
                   "pair-boundaries (target >= 90%)")

    dist("[pair mean]", sector)
    dist("[own other laps]", calibrated)
    out.append(f"  data limit: a sector line's position in one driver's integrated lap fraction moves from lap to lap "
               f"by {np.median(spread[0]):.1f} m (S1) / {np.median(spread[1]):.1f} m (S2) std (median driver, "
               f"{len(line)} laps with both sector times), ~60 ms at 300 km/h; no car position in the data "
               "(no Position.z in the replay, no X/Y in the CSVs) to place it better")
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
    parser.add_argument("--runs", type=int, default=51)
    parser.add_argument("--child", type=int)
    parser.add_argument("--skip-incremental", action="store_true", help="skip the incremental-vs-full dbt timing")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the warehouse a previous run left in --workdir (its raw rows and telemetry marts); "
                             "only the compare marts are rebuilt (full refresh)")
    args = parser.parse_args()
    if args.child:
        _child_compare(args.child)
        return
    import telemetry_bench_data as data

    from core.settings import data_dir
    from core.warehouse import connect
    from loaders.laps.load import load_paths
    from loaders.laps.model import Overrides

    print(f"Start: {_load_average()}")
    db = args.workdir / "compare_bench.duckdb"
    os.environ.update(LAPSTACK_TARGET="duckdb", LAPSTACK_DUCKDB_PATH=str(db),
                      DBT_TARGET_PATH=str(args.workdir / "dbt_target"), DBT_LOG_PATH=str(args.workdir / "dbt_logs"))
    reused = args.reuse and db.exists()
    if not reused:
        for f in (db, Path(str(db) + ".wal")):
            f.unlink(missing_ok=True)
        big = args.workdir / f"telemetry_x{args.replicas}.csv"
        if not big.exists():
            data.build(big, args.replicas)
        vegas = data_dir() / "f1_2023_fastf1" / "21_Las Vegas"
        wh = connect()
        load_paths(wh, [vegas / "laps.csv"], None, Overrides())
        wh.close()
        _load(sorted(vegas.glob("*_telemetry.csv")))
        _load([big], "--series", "bench", "--event", "Replicated", "--session", "Race")
    wh = connect()
    total = wh.query("select count(*) from raw.telemetry")[0][0]
    wh.close()
    print(f"Warehouse: {total:,} telemetry rows = real Las Vegas (20 cars) + real rows REPLICATED across cars and "
          f"days (DuckDB target){' - REUSED from a previous run of this script' if reused else ''}")
    if reused:
        built = _dbt("build", "--full-refresh", "--select", "stg_fastf1_api__circuit_markers",
                     "best_lap_distance_trace+", "session_corner_speeds")
        print(f"dbt build of the compare marts only (best_lap_distance_trace+, session_corner_speeds; full refresh "
              f"on the reused warehouse): {built:.1f} s")
    else:
        full = _dbt("build", "--full-refresh", *SELECT)
        if not args.skip_incremental:
            extra = args.workdir / "telemetry_x1.csv"
            if not extra.exists():
                data.build(extra, 1)
            _load([extra], "--series", "bench", "--event", "Replicated", "--session", "Late Session")
            incremental = _dbt("build", *SELECT)
            full_again = _dbt("build", "--full-refresh", *SELECT)
            print(f"dbt build of the telemetry marts: full refresh {full:.1f} s (again after the extra session: "
                  f"{full_again:.1f} s); incremental after loading one more session ({extra.stem}, real rows "
                  f"replicated once) {incremental:.1f} s; ratio incremental/full {incremental / full_again:.2f} "
                  "(target <= 0.3)")
        else:
            print(f"dbt build of the telemetry marts: full refresh {full:.1f} s (incremental timing skipped)")
    wh = connect()
    fct = wh.query("select count(*) from marts.fct_telemetry")[0][0]
    grid = wh.query("select count(*) from marts.best_lap_distance_trace")[0][0]
    lines = alignment_check(wh)
    wh.close()
    out = subprocess.run([sys.executable, __file__, "--child", str(args.runs)], check=True, capture_output=True,
                         text=True, env=os.environ)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    cli = _cli_ms(5)
    ph = res["phases"]
    print(f"marts.fct_telemetry {fct:,} rows; marts.best_lap_distance_trace {grid:,} rows")
    print("\n".join(lines))
    print(f"compare VER vs ALO ({SESSION}, best racing laps, {res['points']} points at {res['step_m']} m) on the "
          f"warehouse above, {args.runs} runs in one warm process: median {ph['compare']:.1f} ms wall "
          f"(target <= 20 ms), {res['cpu_ms']:.1f} ms CPU time of the process (the work itself, without waiting "
          f"for a core); peak RSS of the compare process {res['rss_mb']:.0f} MB")
    print("  where the time goes (medians, same process):")
    for k, v in ph.items():
        if k != "compare":
            print(f"    {k}: {v:.2f} ms")
    print(f"  once per process, not per compare: import commands.compare {res['import_ms']:.0f} ms, connect "
          f"{res['connect_ms']:.0f} ms; `lapstack compare --json` as a new process each time (5 runs): median "
          f"{cli:.0f} ms")
    busy = os.getloadavg()[0] >= (os.cpu_count() or 1)  # 1-minute load (the run itself) at or above the core count
    print(f"End: {_load_average()} ({'busy: other work held the cores' if busy else 'quiet: no other load'})")


if __name__ == "__main__":
    main()
