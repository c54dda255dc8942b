"""Shared steps of the Dagster tests: a private manifest, and what every lap-path run must show."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.dbt_runner import run_dbt

_PARSED: list[Path] = []


def private_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The set-up step (`dbt parse`) into a private target, so a test never reads a stale shared manifest.
    Once per test process (a full parse takes most of a minute on a busy machine): every Dagster test module
    reads the same project, and none writes to that target."""
    if _PARSED:
        return _PARSED[0]
    target = tmp_path_factory.mktemp("dbt_manifest")
    result = run_dbt(["parse", "--quiet", "--target-path", str(target), "--log-path", str(target)], capture=True)
    assert result.returncode == 0, result.stdout + result.stderr
    _PARSED.append(target)
    return target


def private_manifest_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A private manifest that the code location reads (LAPSTACK_DBT_MANIFEST_DIR) until the fixture ends:
    the body of each Dagster test module's `orchestration_manifest` fixture (`yield from` it)."""
    target = private_manifest(tmp_path_factory)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAPSTACK_DBT_MANIFEST_DIR", str(target))
        yield target


def fresh_instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A Dagster instance of its own (DAGSTER_HOME under the test's tmp_path): no run, cursor or partition
    of another test leaks in."""
    from dagster import DagsterInstance

    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    return DagsterInstance.get()


def assert_lap_run_shows_charts_and_checks(result, sessions: int, summary_row: str) -> None:
    """Charts and the fastest-driver table ride on the session marts; dbt tests and GX suites ran as checks."""
    from dagster import AssetKey

    mats = {m.asset_key: m for m in result.asset_materializations_for_node("dbt_models")}
    chart = mats[AssetKey(["marts", "session_chart_matrix"])].metadata
    assert chart["rebuilt_sessions"].value == sessions
    assert chart["lap_time_chart"].value.count("data:image/png;base64,") == sessions
    table = mats[AssetKey(["marts", "session_summary"])].metadata["fastest_drivers"].value
    assert summary_row in table
    checks = [ev.asset_check_evaluation_data for ev in result.all_events
              if ev.event_type_value == "ASSET_CHECK_EVALUATION"]
    evaluations = {(e.asset_key.to_user_string(), e.check_name): e.passed for e in checks}
    assert evaluations[("marts/session_summary", "gx_marts__session_summary")] is True
    assert any(name.startswith("not_null_") for _, name in evaluations)
    # The GX report link is the target's stable folder (same path every run, never reset by `lapstack quality`).
    summary_check = next(e for e in checks if e.check_name == "gx_marts__session_summary")
    from core.settings import LAPSTACK_QUALITY_REPORT_DIR, resolve_target

    stable = LAPSTACK_QUALITY_REPORT_DIR.get() / resolve_target().name / "index.html"
    assert summary_check.metadata["report"].value == str(stable) and stable.exists()
    # A failed suite carries example failing rows in the evaluation itself.
    for failed in (e for e in checks if not e.passed and "failing_rows" in e.metadata):
        rows = failed.metadata["failing_rows"].value
        counted = [v for v in rows.values() if v["unexpected"]]
        assert not counted or any(v["examples"] for v in counted), (failed.check_name, rows)
    # Only warn-level suites may fail on real data (e.g. the real timing glitches of the GR Cup files).
    failing = [e for e in checks if not e.passed]
    assert all(e.severity.value == "WARN" for e in failing), [(e.check_name, e.severity) for e in failing]


def stop_process_group(proc: subprocess.Popen, timeout: float = 60) -> None:
    """Stop a `dagster dev` / `dagster-daemon` started with start_new_session=True: SIGINT to its process group
    (the daemon, its code server, any run worker; in the background Dagster ignores SIGTERM), SIGKILL if it
    hangs."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
