"""Killed processes leave nothing behind: dbt dies with `lapstack build`, and a killed telemetry load's
stage table and pivot scratch folder are cleaned by the next load of any file (never a live load's)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest

from core.settings import PROJECT_ROOT
from tests.test_telemetry_support import GR_SAMPLE, ROWS_PER_VEGAS_CAR, VEGAS, load, query

BARBER_R1 = Path("gr_cup") / "barber" / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "DO_NOT_TRACK": "1", **extra}


def _cli(*args: str, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "commands.cli", *args], cwd=PROJECT_ROOT, env=_env(**extra),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _holds(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(fd) == str(path) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def _alive(pid: int) -> bool:
    """Any thread of the process still running (a zombie leader whose other threads still exit holds files)."""
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return False
    for task in tasks:
        try:
            if (task / "stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X"):
                return True
        except OSError:
            continue
    return False


def _stages() -> list[str]:
    return [r[0] for r in query("select table_name from information_schema.tables "
                                "where table_name like '_tstage_%' order by 1")]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_kill_9_of_build_kills_dbt_and_frees_the_duckdb_lock(duckdb_env: Path, data_dir: Path) -> None:
    from commands.cli import main

    assert main(["load", "laps", str(data_dir / BARBER_R1)]) == 0
    build = _cli("build")
    dbt_pid = None
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and dbt_pid is None:
        dbt_pid = next((c for c in _children(build.pid) if _holds(c, duckdb_env)), None)
        time.sleep(0.05)
    assert dbt_pid is not None, "dbt never opened the warehouse"
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=30)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _alive(dbt_pid):
        time.sleep(0.05)
    assert not _alive(dbt_pid), f"dbt (PID {dbt_pid}) outlived its killed parent"
    duckdb.connect(str(duckdb_env)).close()  # the write lock is free again


def _kill_after(proc: subprocess.Popen, marker: str, count: int = 1) -> None:
    seen = 0
    for line in proc.stderr:
        if line.startswith(marker):
            seen += 1
            if seen == count:
                proc.send_signal(signal.SIGKILL)
                break
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL


def test_killed_load_stage_is_dropped_by_the_next_load_of_another_file(data_dir: Path, duckdb_env: Path) -> None:
    """Killed mid-load of car 16; the next load is car 44 (another file): the stale stage goes, the live
    one of this very process (same tag as a running load) stays."""
    trace = {"LAPSTACK_TELEMETRY_TRACE": "1", "LAPSTACK_TELEMETRY_TRACE_DELAY": "0.2",
             "LAPSTACK_TELEMETRY_BLOCK_BYTES": "65536",
             "LAPSTACK_TELEMETRY_CHUNKED": "1"}  # the stage path: DuckDB's direct path has no stage table
    _kill_after(_cli("load", "telemetry", str(data_dir / VEGAS / "16_telemetry.csv"), **trace), "staged", 2)
    killed = _stages()
    assert len(killed) == 1
    from core.warehouse import connect
    from loaders.telemetry.store import host_tag, process_tag

    live = f"_tstage_{'0' * 16}_{host_tag()}_{process_tag()}_{'0' * 8}"  # as a load running right now names it
    other_host = f"_tstage_{'0' * 16}_zzzz_1_1_{'0' * 8}"
    wh = connect()
    try:
        for name in (live, other_host.replace("zzzz", "ffff" if host_tag() != "ffff" else "eeee")):
            wh.execute(f"create table raw.{name} (x integer)")
    finally:
        wh.close()
    results, errors = load([data_dir / VEGAS / "44_telemetry.csv"])
    assert not errors and results[0].status == "loaded" and results[0].rows == ROWS_PER_VEGAS_CAR
    left = _stages()
    assert killed[0] not in left
    assert live in left and len(left) == 2  # a running load's stage and another host's are never touched
    assert query("select count(*) from raw.telemetry")[0][0] == ROWS_PER_VEGAS_CAR


def test_killed_gr_cup_load_scratch_folder_is_removed_by_the_next_load(data_dir: Path, duckdb_env: Path,
                                                                        tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    trace = {"LAPSTACK_TELEMETRY_TRACE": "1", "LAPSTACK_TELEMETRY_TRACE_DELAY": "60", "TMPDIR": str(scratch_root),
             "LAPSTACK_TELEMETRY_CHUNKED": "1"}  # the chunked pivot's scratch folder (the direct path pivots in SQL)
    _kill_after(_cli("load", "telemetry", str(data_dir / GR_SAMPLE), **trace), "staged")
    left = sorted(p.name for p in scratch_root.glob("lapstack_pivot_*"))
    assert len(left) == 1 and (scratch_root / left[0] / "scratch.duckdb").exists(), left
    assert len(_stages()) == 1
    # A folder of an older lapstack (no PID in its name) that no live load holds is stale too; a held one is not.
    legacy, held = scratch_root / "lapstack_pivot_ab12cd34", scratch_root / "lapstack_pivot_held0000"
    legacy.mkdir()
    held.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(120)", str(held / "scratch.duckdb")],
                              stdout=subprocess.PIPE, text=True)  # a live load of an older lapstack
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setattr(tempfile, "tempdir", str(scratch_root))
        results, errors = load([data_dir / VEGAS / "44_telemetry.csv"])  # another file, another format
        assert not errors and results[0].status == "loaded"
        assert sorted(p.name for p in scratch_root.glob("lapstack_pivot_*")) == [held.name]
    finally:
        holder.kill()
        holder.wait()
    assert _stages() == []
    results, errors = load([data_dir / GR_SAMPLE])  # and the killed file itself loads completely
    assert not errors and results[0].status == "loaded"
    assert list(scratch_root.glob("lapstack_pivot_*")) == []  # its holder has exited since: stale now
