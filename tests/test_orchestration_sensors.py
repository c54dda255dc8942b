"""Sensors with dagster's build_sensor_context: landing folder, quota-aware FastF1 import, webhooks."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
import time
import warnings
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.orchestration_support import fresh_instance, private_manifest

warnings.filterwarnings("ignore", category=Warning, module="dagster")


@pytest.fixture(scope="session", autouse=True)
def orchestration_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = private_manifest(tmp_path_factory)
    os.environ["LAPSTACK_DBT_MANIFEST_DIR"] = str(target)
    return target


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return fresh_instance(tmp_path, monkeypatch)


def _tick(sensor, instance, cursor=None):
    from dagster import build_sensor_context

    from orchestration.definitions import defs

    context = build_sensor_context(instance=instance, cursor=cursor, definitions=defs)
    return sensor(context), context


# -- landing folder ---------------------------------------------------------------------------------
def _settled(path: Path) -> None:
    old = time.time() - 60
    os.utime(path, (old, old))


def test_landing_sensor_one_run_per_content(data_dir: Path, instance, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestration.landing.sensor import landing_folder_sensor

    landing = tmp_path / "landing"
    landing.mkdir()
    monkeypatch.setenv("LAPSTACK_LANDING_DIR", str(landing))
    source = data_dir / "f1_2023_fastf1" / "10_Silverstone" / "laps.csv"
    first = landing / "silverstone_laps.csv"
    shutil.copy(source, first)
    _settled(first)

    result, _ = _tick(landing_folder_sensor, instance)
    assert len(result.run_requests) == 1
    request = result.run_requests[0]
    assert request.partition_key == "silverstone_laps.csv"  # relative to the landing folder
    assert request.job_name == "lap_path_job"
    assert request.tags["lapstack/warehouse_writer"] == "true"
    assert result.dynamic_partitions_requests[0].partition_keys == ["silverstone_laps.csv"]
    cursor = result.cursor

    # Same file touched, and the same bytes under another name: no run.
    _settled(first)
    os.utime(first, (time.time() - 30, time.time() - 30))
    copy = landing / "again.csv"
    shutil.copy(source, copy)
    _settled(copy)
    again, _ = _tick(landing_folder_sensor, instance, cursor)
    assert not again.run_requests
    assert "no new or changed" in again.skip_reason.skip_message
    instance.add_dynamic_partitions("lap_files", ["silverstone_laps.csv"])

    # A file still being written (modified just now) waits; a changed file then loads once.
    changed = landing / "budapest.csv"
    shutil.copy(data_dir / "f1_2023_fastf1" / "11_Budapest" / "laps.csv", changed)
    fresh, _ = _tick(landing_folder_sensor, instance, again.cursor)
    assert not fresh.run_requests
    _settled(changed)
    later, _ = _tick(landing_folder_sensor, instance, fresh.cursor)
    assert [r.partition_key for r in later.run_requests] == ["budapest.csv"]


def test_landing_sensor_skips_without_folder(instance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster import SkipReason

    from orchestration.landing.sensor import landing_folder_sensor

    monkeypatch.setenv("LAPSTACK_LANDING_DIR", str(tmp_path / "nowhere"))
    result, _ = _tick(landing_folder_sensor, instance)
    assert isinstance(result, SkipReason) and "does not exist" in result.skip_message


# -- quota-aware FastF1 sensor ----------------------------------------------------------------------
def _gap_report(duckdb_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quota: str) -> Path:
    """A real gap report from the real gap detection over a real (empty) warehouse and a real ledger."""
    from core.raw_schema import ensure_raw_schema
    from core.warehouse import connect
    from loaders.fastf1.config import ImportConfig
    from loaders.fastf1.gaps import detect_gaps
    from loaders.fastf1.ledger import Ledger
    from loaders.fastf1.schedule import PlannedSession
    from orchestration.fastf1.gap_file import gap_report_path, write_gap_report

    monkeypatch.setenv("LAPSTACK_FASTF1_LEDGER", str(tmp_path / "quota.sqlite"))
    monkeypatch.setenv("LAPSTACK_FASTF1_QUOTA", quota)
    cfg = ImportConfig.resolve(None)
    names = ["Practice 1", "Practice 2", "Practice 3", "Qualifying", "Race"]
    sessions = [PlannedSession(2023, 14, "Italian Grand Prix", name, dt.datetime(2023, 9, 1 + i, 12))
                for i, name in enumerate(names)]
    wh = connect()
    ledger = Ledger(cfg.ledger_path, cfg.limits)
    try:
        ensure_raw_schema(wh)
        report = detect_gaps(wh, ledger, sessions, 2023, dt.datetime(2023, 12, 1))
    finally:
        wh.close()
        ledger.close()
    assert len(report.gaps) == 5
    path = gap_report_path(cfg)
    write_gap_report(path, report, time.time())
    return cfg.ledger_path


def _spend(ledger_path: Path, calls: int, kind: str | None = None) -> None:
    """Real ledger traffic: a finished load of `kind` teaches the cost per session."""
    from loaders.fastf1.config import ImportConfig
    from loaders.fastf1.ledger import Ledger

    ledger = Ledger(ledger_path, ImportConfig.resolve(None).limits)
    try:
        rid = ledger.reserve(f"learn-{kind}", kind or "Practice", {"all": calls}, "test-run") if kind else None
        for i in range(calls):
            ledger.record_call("livetiming.formula1.com", f"/static/{i}", rid, "test-run")
        if rid is not None:
            ledger.close_reservation(rid, "ok")
    finally:
        ledger.close()


def test_quota_sensor_requests_only_what_the_quota_affords(duckdb_env: Path, instance, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestration.fastf1.sensor import fastf1_quota_sensor

    # 100 calls/h; an earlier load taught 15 calls per session; 40 more calls leave 45: exactly 3 sessions fit.
    ledger = _gap_report(duckdb_env, tmp_path, monkeypatch, "all=100/3600")
    _spend(ledger, 15, kind="Practice")
    _spend(ledger, 40)
    result, _ = _tick(fastf1_quota_sensor, instance)
    keys = [r.partition_key for r in result.run_requests]
    assert len(keys) == 3
    assert keys[0] == "f1-2023-italian_grand_prix-practice_1"
    assert all(r.tags["lapstack/fastf1_session"] == r.partition_key for r in result.run_requests)
    added = result.dynamic_partitions_requests[0].partition_keys
    assert len(added) == 5  # every gap becomes a partition, even those the quota cannot afford yet

    # Cursor: the next tick never repeats a requested session (their runs have not landed them yet).
    instance.add_dynamic_partitions("fastf1_sessions", added)
    second, _ = _tick(fastf1_quota_sensor, instance, result.cursor)
    assert not set(keys) & {r.partition_key for r in second.run_requests}
    assert len(second.run_requests) == 2


def test_quota_sensor_skips_with_reset_time_when_exhausted(duckdb_env: Path, instance, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestration.fastf1.sensor import fastf1_quota_sensor

    ledger = _gap_report(duckdb_env, tmp_path, monkeypatch, "all=30/3600")
    _spend(ledger, 20, kind="Qualifying")  # learned: 20 calls per load; 10 remain
    before = time.time()
    result, _ = _tick(fastf1_quota_sensor, instance)
    assert not result.run_requests
    message = result.skip_reason.skip_message
    assert "exhausted" in message and "20 used" in message
    # The reset is when the oldest call leaves the one-hour window.
    reset = dt.datetime.fromtimestamp(before + 3600, dt.UTC)
    assert f"resets at {reset:%Y-%m-%d %H:}" in message


def test_quota_sensor_waits_for_a_gap_report(instance, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             duckdb_env: Path) -> None:
    from dagster import SkipReason

    from orchestration.fastf1.sensor import fastf1_quota_sensor

    monkeypatch.setenv("LAPSTACK_FASTF1_GAP_REPORT", str(tmp_path / "none.json"))
    result, _ = _tick(fastf1_quota_sensor, instance)
    assert isinstance(result, SkipReason) and "no FastF1 gap report" in result.skip_message


# -- notifications ------------------------------------------------------------------------------------
class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args) -> None:  # quiet
        return


def test_failure_webhook_posts_and_never_logs_url(instance, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture) -> None:
    from dagster import DagsterEventType, Failure, build_run_status_sensor_context, job, op

    from orchestration.notify import notify_run_failure

    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret_url = f"http://127.0.0.1:{server.server_port}/hook/s3cr3t-token"
    monkeypatch.setenv("LAPSTACK_WEBHOOK_URL", secret_url)

    @op
    def boom() -> None:
        raise Failure(description="bad lap file: line 3, column 2")

    @job
    def failing() -> None:
        boom()

    result = failing.execute_in_process(instance=instance, raise_on_error=False)
    failure = next(e for e in result.all_events if e.event_type == DagsterEventType.RUN_FAILURE)
    context = build_run_status_sensor_context(sensor_name="notify_run_failure", dagster_event=failure,
                                              dagster_instance=instance, dagster_run=result.dagster_run)
    notify_run_failure(context.for_run_failure())
    server.shutdown()
    assert len(_Hook.received) == 1
    payload = _Hook.received[0]
    assert payload["status"] == "failed" and payload["run_id"] == result.run_id
    assert "s3cr3t" not in capsys.readouterr().out
