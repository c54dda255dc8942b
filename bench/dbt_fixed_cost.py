"""The fixed cost of a dbt build with nothing new, through each entry point, side by side in one run (issue 15).

A no-op incremental `dbt build` of one small selection (dim_sessions and its tests) after one real GR Cup file
is loaded, through: plain `dbt build --project-dir dbt_project --profiles-dir .` (the user's environment),
`lapstack build --target duckdb`, and a Dagster in-process materialisation of the same asset, then plain dbt
again. For each: wall time and whether dbt parsed partially (from dbt's own log line). The sequence runs
twice: with the environment lapstack handed dbt before (absolute DuckDB path, `--target` on the command
line, emulated) and with today's (one profile resolution, core.dbt_runner). The warehouse path is relative
(`warehouse/...`), as on a default install.

Run: .venv/bin/python bench/dbt_fixed_cost.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.dbt_runner import dbt_executable, parse_verdict  # noqa: E402
from core.settings import PROJECT_ROOT, apply_network_hygiene, data_dir  # noqa: E402

SELECT = "dim_sessions"


def _timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}")
    return time.perf_counter() - start


def plain_dbt(env: dict[str, str]) -> float:
    return _timed([dbt_executable(), "build", "--select", SELECT, "--project-dir", "dbt_project",
                   "--profiles-dir", "."], env)


def lapstack_build(env: dict[str, str], before: bool) -> float:
    lapstack = str(Path(sys.executable).parent / "lapstack")
    if before:  # the old core.dbt_runner: `--target duckdb` on dbt's command line, the path made absolute
        return _timed([dbt_executable(), "build", "--select", SELECT, "--project-dir", "dbt_project",
                       "--profiles-dir", ".", "--target", "duckdb"], env)
    return _timed([lapstack, "build", "--select", SELECT, "--target", "duckdb"], env)


def dagster_step(target: Path) -> tuple[float, str]:
    """dbt_models subset to dim_sessions, in-process; the verdict from its own invocation's dbt.log."""
    from dagster import AssetKey, DagsterInstance, materialize

    from orchestration.dbt.assets import dbt_models
    from orchestration.dbt.project import dbt_resource
    from orchestration.resources import WarehouseResource

    start = time.perf_counter()
    result = materialize([dbt_models], selection=[AssetKey(["marts", SELECT])], instance=DagsterInstance.ephemeral(),
                         resources={"dbt": dbt_resource(), "warehouse": WarehouseResource()})
    seconds = time.perf_counter() - start
    assert result.success
    newest = max(target.glob("dbt_models-*"), key=lambda p: p.stat().st_mtime)
    return seconds, parse_verdict(newest / "dbt.log")


def sequence(label: str, before: bool, work: Path, relative_db: str) -> list[tuple[str, float, str]]:
    logs = work / "logs"
    user_env = {**os.environ, "LAPSTACK_DUCKDB_PATH": relative_db}
    old_env = {**user_env, "LAPSTACK_DUCKDB_PATH": str(PROJECT_ROOT / relative_db)}
    lapstack_env = old_env if before else user_env
    rows = []
    rows.append((f"{label}: plain dbt build", plain_dbt(user_env), parse_verdict(logs / "dbt.log")))
    rows.append((f"{label}: lapstack build", lapstack_build(lapstack_env, before), parse_verdict(logs / "dbt.log")))
    os.environ.update(lapstack_env)  # Dagster runs in this process: the environment its dbt steps inherit
    seconds, verdict = dagster_step(work / "target")
    os.environ.update(user_env)
    rows.append((f"{label}: Dagster materialisation", seconds, verdict))
    rows.append((f"{label}: plain dbt build again", plain_dbt(user_env), parse_verdict(logs / "dbt.log")))
    return rows


def main() -> int:
    apply_network_hygiene()
    warnings.filterwarnings("ignore")
    work = Path(os.environ.get("TMPDIR", "/tmp")) / f"lapstack_dbt_fixed_cost_{uuid.uuid4().hex[:8]}"
    relative_db = f"warehouse/bench_dbt_fixed_cost_{uuid.uuid4().hex[:8]}.duckdb"
    os.environ.update({"LAPSTACK_TARGET": "duckdb", "LAPSTACK_DUCKDB_PATH": relative_db,
                       "DBT_TARGET_PATH": str(work / "target"), "DBT_LOG_PATH": str(work / "logs"),
                       "LAPSTACK_DBT_MANIFEST_DIR": str(work / "target"),
                       # only the tests whose every parent is selected (others read marts not built here)
                       "DBT_INDIRECT_SELECTION": "cautious"})
    from core.warehouse import connect
    from loaders.laps.load import load_paths
    from loaders.laps.model import Overrides

    lap_file = next((data_dir() / "gr_cup").rglob("23_AnalysisEnduranceWithSections_Race 1*.CSV"))
    wh = connect("duckdb")
    try:
        load_paths(wh, [lap_file], None, Overrides())
    finally:
        wh.close()
    warm = _timed([dbt_executable(), "build", "--select", f"+{SELECT}", "--project-dir", "dbt_project",
                   "--profiles-dir", "."], os.environ.copy())
    rows = sequence("before", True, work, relative_db) + sequence("now", False, work, relative_db)
    load1, load5, _ = os.getloadavg()
    print(f"dbt fixed cost: no-op incremental `dbt build --select {SELECT}` after one real GR Cup file "
          f"({lap_file.name}); warm-up build of +{SELECT}: {warm:.1f} s")
    print(f"MACHINE BUSY: {os.cpu_count()} cores shared with other engineers running tests in parallel "
          f"(load average {load1:.1f} / {load5:.1f}); compare rows of this run only.")
    print(f"{'entry point':<40} {'wall s':>7}  dbt parse")
    for name, seconds, verdict in rows:
        print(f"{name:<40} {seconds:>7.1f}  {verdict}")
    (PROJECT_ROOT / relative_db).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
