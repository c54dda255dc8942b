"""Landing-to-marts (issue 15): from a lap file copied into the landing folder to its session's rows being
queryable in marts.session_driver_stats and marts.session_page, through the REAL Dagster daemon.

Set-up: a private DuckDB warehouse holding the demo's real files (GR Cup 2025 and F1 2023 laps with their
official side files) built with `dbt build`, except the held-out lap files; a private DAGSTER_HOME (the repo's
orchestration/dagster.yaml: telemetry off, the warehouse-writer run queue), a private landing folder, and
`dagster-daemon run -m orchestration.definitions` (the sensor, run-queue and run-launcher daemons, with the code
server it starts) as a deployment runs it. Once the landing sensor has ticked, each held-out file is copied in
(one after another, keeping its path under $LAPSTACK_DATA, as a user drops a file) and the clock runs until a
fresh read-only connection sees the new session in both marts. The warehouse is read only after the run
reached a final status (DuckDB has one writer: a reader holding the file between two steps would fail the
next one).

Where the time goes, from the instance's own records: the settle wait (LAPSTACK_LANDING_SETTLE_SECONDS) and
the sensor's tick after it, the run queue (RUN_ENQUEUED -> RUN_STARTING), the launch (run worker start-up and
definitions load: RUN_STARTING -> RUN_START), each step's duration from the event log and the gaps between
steps, and dbt's own node times from each invocation's run_results.json.

Run: .venv/bin/python bench/landing_to_marts.py [--files 3] [--settle 2]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from commands.demo import demo_files, demo_side_files  # noqa: E402
from core.dbt_runner import parse_verdict, run_dbt  # noqa: E402
from core.settings import PROJECT_ROOT, apply_network_hygiene, data_dir  # noqa: E402
from tests.orchestration_support import stop_process_group  # noqa: E402

SENSOR = "landing_folder_sensor"
SOURCE_TAG = "lapstack/source_sha256"  # orchestration.landing.sensor tags each run with the file's hash
MARTS = ("session_driver_stats", "session_page")
FINAL = {"SUCCESS", "FAILURE", "CANCELED"}


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    busy = "busy: other work held the cores" if one >= (os.cpu_count() or 1) else "quiet"
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min) on {os.cpu_count()} cores ({busy})"


def held_out(root: Path, count: int) -> list[Path]:
    """Race 2 of the first `count` GR Cup tracks (sorted): real files the warehouse does not hold yet."""
    gr_cup = [p for p in demo_files(root) if p.suffix == ".CSV"]
    return [p for p in gr_cup if "Race 2" in p.name or "Race 2" in p.parent.name][:count]


def private_env(base: Path, settle: float) -> dict[str, str]:
    env = {
        "LAPSTACK_TARGET": "duckdb",
        "LAPSTACK_DUCKDB_PATH": str(base / "lapstack.duckdb"),
        "DBT_TARGET_PATH": str(base / "target"),
        "DBT_LOG_PATH": str(base / "logs"),
        "LAPSTACK_DBT_MANIFEST_DIR": str(base / "manifest"),
        "DAGSTER_HOME": str(base / "dagster_home"),
        "LAPSTACK_LANDING_DIR": str(base / "landing"),
        "LAPSTACK_LANDING_SETTLE_SECONDS": f"{settle:g}",
        "LAPSTACK_QUALITY_REPORT_DIR": str(base / "quality"),
        "LAPSTACK_DATA": str(data_dir()),
        "DO_NOT_TRACK": "1",
    }
    os.environ.update(env)
    return env


def build_warehouse(base: Path, skip: list[Path]) -> float:
    """The demo's files minus the held-out ones, loaded and built with `dbt build` (the CLI path)."""
    from core.warehouse import connect
    from loaders.dispatch import load_everything
    from loaders.laps.load import load_paths
    from loaders.laps.model import Overrides

    start = time.perf_counter()
    files = [p for p in demo_files(data_dir()) if p not in skip]
    wh = connect(None)
    try:
        _, errors = load_paths(wh, files, None, Overrides())
        _, _, side_errors = load_everything(wh, demo_side_files(data_dir()))
    finally:
        wh.close()
    if errors or side_errors:
        raise SystemExit(f"set-up load failed: {(errors + side_errors)[0]}")
    for args in (["parse", "--quiet", "--target-path", str(base / "manifest")], ["build", "--quiet"]):
        done = run_dbt(args, capture=True)
        if done.returncode != 0:
            raise SystemExit(f"dbt {args[0]} failed:\n{done.stdout[-3000:]}")
    home = base / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    (base / "landing").mkdir()
    return time.perf_counter() - start


def start_daemon(base: Path, env: dict[str, str]) -> subprocess.Popen:
    daemon = Path(sys.executable).parent / "dagster-daemon"
    log = (base / "daemon.log").open("wb")
    return subprocess.Popen([str(daemon), "run", "-m", "orchestration.definitions"], cwd=PROJECT_ROOT,
                            env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop_daemon(proc: subprocess.Popen) -> None:
    """SIGINT to the process group (the daemon, its code server, any run worker); SIGKILL if it hangs."""
    stop_process_group(proc)


def sensor_ticks(instance) -> list:
    from dagster._core.scheduler.instigation import InstigatorType as Kind

    for state in instance.all_instigator_state(instigator_type=Kind.SENSOR):
        if state.instigator_name == SENSOR:
            return instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=5)
    return []


def wait_for_sensor(instance, proc: subprocess.Popen, timeout: float = 300) -> float:
    """Until the daemon has evaluated the landing sensor once (its default status is RUNNING)."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if proc.poll() is not None:
            raise SystemExit("dagster-daemon exited early: see daemon.log")
        if sensor_ticks(instance):
            return time.monotonic() - start
        time.sleep(0.5)
    raise SystemExit("the landing sensor never ticked")


def sha256_of(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def sessions_in_marts(db: Path) -> dict[str, set[str]] | None:
    """The session ids of both marts through a fresh read-only connection; None while a writer holds the file."""
    import duckdb

    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return {mart: {r[0] for r in con.execute(f"select distinct session_id from marts.{mart}").fetchall()}
                    for mart in MARTS}  # MARTS: this module's two constant names
    except duckdb.IOException:
        return None


@dataclass
class Repetition:
    file: str
    total: float
    session: str
    phases: dict[str, float] = field(default_factory=dict)
    steps: list[tuple[str, float, float]] = field(default_factory=list)  # step, start offset, duration
    dbt: list[str] = field(default_factory=list)
    dbt_invocations: int = 0


def _ts(value) -> float:
    return value.timestamp() if isinstance(value, dt.datetime) else float(value)


def dbt_summary(target: Path, run_id: str) -> list[str]:
    """dbt's own view of each invocation of the run: elapsed, node count, slowest nodes, parse verdict."""
    lines = []
    for folder in sorted(target.glob(f"*-{run_id[:7]}-*")):
        results = folder / "run_results.json"
        if not results.exists():
            continue
        data = json.loads(results.read_text())
        nodes = sorted(data["results"], key=lambda r: -r["execution_time"])
        models = sum(r["unique_id"].startswith("model.") for r in nodes)
        tests = sum(r["unique_id"].startswith("test.") for r in nodes)
        top = ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}" for r in nodes[:3])
        lines.append(f"{folder.name.rsplit('-', 2)[0]}: dbt elapsed {data['elapsed_time']:.1f} s, {models} models + "
                     f"{tests} tests, node time sum {sum(r['execution_time'] for r in nodes):.1f} s; "
                     f"slowest {top}; parse {parse_verdict(folder / 'dbt.log')}")
    return lines


def one_file(instance, base: Path, source: Path, settle: float, timeout: float) -> Repetition:
    from dagster import DagsterEventType, RunsFilter

    before = sessions_in_marts(base / "lapstack.duckdb") or {}
    dest = base / "landing" / source.relative_to(data_dir())
    dest.parent.mkdir(parents=True, exist_ok=True)
    digest = sha256_of(source)
    shutil.copyfile(source, dest)  # not copy2: the file's mtime is now, as a user's copy
    t0 = dest.stat().st_mtime
    record = None
    while time.time() - t0 < timeout:
        records = instance.get_run_records(filters=RunsFilter(tags={SOURCE_TAG: digest}))
        if records and records[0].dagster_run.status.value in FINAL:
            record = records[0]
            break
        time.sleep(0.25)
    if record is None:
        raise SystemExit(f"no finished run for {source.name} within {timeout:.0f} s")
    run = record.dagster_run
    if run.status.value != "SUCCESS":
        raise SystemExit(f"run {run.run_id} for {source.name} ended {run.status.value}")
    while (seen := sessions_in_marts(base / "lapstack.duckdb")) is None:
        time.sleep(0.1)
    t_end = time.time()
    new = set.intersection(*(seen[m] - before.get(m, set()) for m in MARTS))
    if len(new) != 1:
        raise SystemExit(f"expected one new session in {MARTS} after {source.name}, found {sorted(new)}")
    rep = Repetition(str(source.relative_to(data_dir())), t_end - t0, new.pop())
    events = instance.all_logs(run.run_id)
    first: dict[str, float] = {}
    starts: dict[str, float] = {}
    for entry in events:
        if entry.dagster_event is None:
            continue
        kind = entry.dagster_event.event_type
        first.setdefault(kind.value, entry.timestamp)
        if kind == DagsterEventType.STEP_START:
            starts[entry.step_key] = entry.timestamp
        elif kind in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            rep.steps.append((entry.step_key, starts[entry.step_key] - t0, entry.timestamp - starts[entry.step_key]))
    created = _ts(record.create_timestamp)
    stepped = sum(d for _, _, d in rep.steps)
    rep.phases = {
        "settle wait": settle,
        "sensor tick after settle": created - t0 - settle,
        "run queue (enqueued -> starting)": first["PIPELINE_STARTING"] - created,
        "launch (starting -> run worker up)": first["PIPELINE_START"] - first["PIPELINE_STARTING"],
        "steps (sum of durations)": stepped,
        "between steps (step process start-up)": first["PIPELINE_SUCCESS"] - first["PIPELINE_START"] - stepped,
        "run end -> rows read": t_end - first["PIPELINE_SUCCESS"],
    }
    rep.dbt = dbt_summary(base / "target", run.run_id)
    rep.dbt_invocations = len(rep.dbt)
    return rep


def report(reps: list[Repetition], settle: float) -> None:
    for i, rep in enumerate(reps, 1):
        print(f"\n[{i}] {rep.file} -> {rep.session}: {rep.total:.1f} s landing-to-marts")
        for name, secs in rep.phases.items():
            print(f"    {name:<40} {secs:6.1f} s")
        for step, offset, secs in rep.steps:
            print(f"      step {step:<30} {secs:6.1f} s (starts at +{offset:.1f} s)")
        for line in rep.dbt:
            print(f"      {line}")
    totals = [r.total for r in reps]
    print(f"\nmedian landing-to-marts over {len(reps)} files: {statistics.median(totals):.1f} s "
          f"(min {min(totals):.1f}, max {max(totals):.1f}); LAPSTACK_LANDING_SETTLE_SECONDS={settle:g}")
    names = list(reps[0].phases)
    print("median per phase: " + "; ".join(f"{n} {statistics.median(r.phases[n] for r in reps):.1f}"
                                           for n in names))
    print(f"dbt invocations per run: {sorted({r.dbt_invocations for r in reps})}")
    verdict = "met" if statistics.median(totals) <= 30 else "NOT met"
    print(f"target <= 30 s for one session on DuckDB: {verdict}; {load_average()}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=3, help="held-out lap files, landed one after another")
    parser.add_argument("--settle", type=float, default=2.0, help="LAPSTACK_LANDING_SETTLE_SECONDS")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds to wait for one file's run")
    parser.add_argument("--keep", action="store_true", help="keep the private folder (warehouse, logs)")
    args = parser.parse_args()
    apply_network_hygiene()
    files = held_out(data_dir(), args.files)
    if len(files) < args.files:
        raise SystemExit(f"only {len(files)} held-out GR Cup files under {data_dir()}")
    base = Path(tempfile.mkdtemp(prefix="landing_bench_"))
    env = private_env(base, args.settle)
    print(f"landing-to-marts bench: {len(files)} real GR Cup lap files, one at a time, through dagster-daemon; "
          f"LAPSTACK_LANDING_SETTLE_SECONDS={args.settle:g}; {load_average()}")
    print(f"set-up (demo files minus held-out, dbt build): {build_warehouse(base, files):.1f} s; folder {base}")
    from dagster import DagsterInstance

    instance = DagsterInstance.from_config(str(base / "dagster_home"))
    proc = start_daemon(base, env)
    reps = []
    try:
        print(f"daemon up, landing sensor ticked after {wait_for_sensor(instance, proc):.1f} s")
        for source in files:
            reps.append(one_file(instance, base, source, args.settle, args.timeout))
            print(f"  {reps[-1].file}: {reps[-1].total:.1f} s ({load_average()})", flush=True)
    finally:
        stop_daemon(proc)
    report(reps, args.settle)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
