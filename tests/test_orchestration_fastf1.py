"""FastF1 sessions materialised through Dagster from the recorded API responses, down to the session marts."""

from __future__ import annotations

import sqlite3
import warnings
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.orchestration_support import private_manifest_env
from tests.test_fastf1_helpers import count_replay, forbid_network, replay_dir

warnings.filterwarnings("ignore", category=Warning, module="dagster")

AZERBAIJAN_Q = "f1-2023-azerbaijan_grand_prix-qualifying"
BRITISH_FP1 = "f1-2024-british_grand_prix-practice_1"
SUMMARY_SQL = ("select session_id, fastest_lap_driver, fastest_lap_time, total_laps from marts.session_summary "
               "order by session_id")


@pytest.fixture(scope="module", autouse=True)
def orchestration_manifest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from private_manifest_env(tmp_path_factory)


def _q(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql, params).fetchall()


def test_fastf1_sessions_materialise_from_replay_into_marts(data_dir: Path, duckdb_env: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster import AssetKey, DagsterInstance

    from orchestration.definitions import defs
    from orchestration.fastf1.keys import fastf1_session_partitions
    from orchestration.materialize import RANGE_END, RANGE_START

    home = tmp_path / "dagster_home"
    home.mkdir()
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.setenv("LAPSTACK_FASTF1_REPLAY", str(replay_dir(data_dir)))
    monkeypatch.setenv("LAPSTACK_QUALITY_REPORT_DIR", str(tmp_path / "quality"))
    for var in ("LAPSTACK_FASTF1_LEDGER", "LAPSTACK_FASTF1_CACHE", "LAPSTACK_FASTF1_QUOTA"):
        monkeypatch.delenv(var, raising=False)  # ledger and cache sit next to the private DuckDB file
    attempts = forbid_network(monkeypatch)
    served = count_replay(monkeypatch)

    instance = DagsterInstance.get()
    instance.add_dynamic_partitions(fastf1_session_partitions.name, [AZERBAIJAN_Q, BRITISH_FP1])
    job = defs.resolve_job_def("fastf1_import_job")
    # Two seasons' sessions as one partition range: one run, not a run per session.
    result = job.execute_in_process(instance=instance, tags={RANGE_START: AZERBAIJAN_Q, RANGE_END: BRITISH_FP1},
                                    raise_on_error=False)
    failures = [e.event_specific_data.error.message[-3000:] for e in result.all_events
                if e.event_type_value == "STEP_FAILURE"]
    assert result.success, failures
    assert len(instance.get_run_records()) == 1

    mats = result.asset_materializations_for_node("raw__fastf1_sessions")
    assert sorted(m.partition for m in mats) == [AZERBAIJAN_Q, BRITISH_FP1]
    meta = mats[0].metadata
    assert meta["sessions"].value == 2
    assert meta["statuses"].value == {AZERBAIJAN_Q: "partial", BRITISH_FP1: "ok"}

    # The real numbers reach the marts built downstream in the same run.
    db = duckdb_env
    assert _q(db, SUMMARY_SQL) == [(AZERBAIJAN_Q, "LEC", 100.203, 356), (BRITISH_FP1, "NOR", 87.42, 459)]
    assert _q(db, "select count(*) from marts.fct_laps where session_id = ? and source_format = 'fastf1_api'",
              (BRITISH_FP1,)) == [(459,)]
    built = {m.asset_key for m in result.asset_materializations_for_node("dbt_models")}
    assert {AssetKey(["marts", "session_summary"]), AssetKey(["marts", "session_chart_matrix"])} <= built
    table = next(m for m in result.asset_materializations_for_node("dbt_models")
                 if m.asset_key == AssetKey(["marts", "session_summary"])).metadata["fastest_drivers"].value
    assert f"| {BRITISH_FP1} | NOR | 1:27.420 |" in table

    # The shared quota ledger next to the warehouse charged every request that went to the transport.
    with sqlite3.connect(db.parent / "fastf1_quota.sqlite") as conn:
        ledger_calls = conn.execute("select count(*) from calls").fetchone()[0]
    assert ledger_calls == len(served)
    assert 2 * 11 <= meta["api_calls"].value <= ledger_calls  # each load is 11-13 calls; schedules are extra
    assert (db.parent / "fastf1_cache").is_dir()
    assert attempts == []
