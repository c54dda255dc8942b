"""Data tests that scale with the change (issue 15): the incremental "+1 session" build of the lap path with its
data tests over every row vs over the rebuilt session only, side by side in one run.

A DuckDB warehouse of `--size` sessions (the real demo sessions, replicated under new ids by bench.replicate:
real rows, nothing synthesised) is built; one session is added; then the same incremental `dbt build
--selector lap_path` runs twice on two copies of that warehouse: full scope (LAPSTACK_TEST_SESSIONS unset, what
every build did before) and scoped (the list core.rebuilt_sessions computes, what `lapstack build` hands dbt).
Both builds start from a copy of the same file at the same path (one dbt profile: partial parsing), alternated
twice; the faster of each is printed.

Run: .venv/bin/python bench/scoped_tests.py [--size 100]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.replicate import grow_to, real_sessions  # noqa: E402
from commands.demo import demo_files  # noqa: E402
from core.dbt_runner import run_dbt  # noqa: E402
from core.rebuilt_sessions import scope_env, sessions_to_rebuild  # noqa: E402
from core.settings import apply_network_hygiene, data_dir  # noqa: E402
from core.warehouse import connect  # noqa: E402
from loaders.laps.delete import delete_session  # noqa: E402
from loaders.laps.load import load_paths  # noqa: E402
from loaders.laps.model import Overrides  # noqa: E402

LAP_PATH = ["build", "--selector", "lap_path", "--quiet"]


def build(env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    result = run_dbt(LAP_PATH, capture=True, extra_env=env)
    if result.returncode != 0:
        raise SystemExit(f"dbt build failed:\n{result.stdout[-3000:]}")
    return time.perf_counter() - start


def main() -> int:
    apply_network_hygiene()
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100)
    size = parser.parse_args().size
    work = Path(tempfile.mkdtemp(prefix="lapstack-scoped-tests-"))
    db = work / "bench.duckdb"
    os.environ.update({"LAPSTACK_TARGET": "duckdb", "LAPSTACK_DUCKDB_PATH": str(db),
                       "DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs")})
    try:
        wh = connect()
        _, errors = load_paths(wh, demo_files(data_dir()), None, Overrides())
        if errors:
            raise SystemExit(f"load failed: {errors[0]}")
        sources = real_sessions(wh)
        for sid, _, _ in sources[size:]:
            delete_session(wh, sid)
        grow_to(wh, sources, size)
        wh.close()
        build()
        build()  # no-op: dbt's partial-parse state for this warehouse path
        wh = connect()
        grow_to(wh, sources, size + 1)
        scope = sessions_to_rebuild(wh)
        laps = wh.query("select count(*) from marts.fct_laps")[0][0]
        wh.close()
        snapshot = work / "before_build.duckdb"
        shutil.copy(db, snapshot)
        runs: dict[str, list[float]] = {"full scope": [], "scoped": []}
        for _ in range(2):  # alternated, on the same file path (the same dbt profile: partial parsing)
            for label, env in (("full scope", scope_env(None)), ("scoped", scope_env(scope))):
                shutil.copy(snapshot, db)
                runs[label].append(build(env))
        load1, load5, _ = os.getloadavg()
        full, scoped = min(runs["full scope"]), min(runs["scoped"])
        print(f"scoped data tests: incremental `dbt build --selector lap_path` after adding 1 session to {size} "
              f"({laps} laps in fct_laps); scope {scope}")
        print(f"MACHINE BUSY: {os.cpu_count()} cores shared with other engineers' test runs "
              f"(load average {load1:.1f} / {load5:.1f}); compare rows of this run only.")
        for label, best in (("tests over every row (before)", full), ("tests over the rebuilt session", scoped)):
            each = ", ".join(f"{t:.2f}" for t in runs["full scope" if best is full else "scoped"])
            print(f"  +1 session, {label:<31} {best:.2f}s  (runs {each})")
        print(f"  ratio scoped / full: {scoped / full:.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
