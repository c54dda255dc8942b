"""A real Ergast dump dropped into the landing folder: the right runs, clear failures, replace from run config."""

from __future__ import annotations

import os
import shutil
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.orchestration_support import fresh_instance, private_manifest_env

warnings.filterwarnings("ignore", category=Warning, module="dagster")
ERGAST_DROP = ["lap_times_2020_2024.csv", "races.csv", "drivers.csv", "pit_stops.csv"]
BAHRAIN_2023 = "f1-2023-bahrain_grand_prix-race"


@pytest.fixture(scope="module", autouse=True)
def orchestration_manifest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from private_manifest_env(tmp_path_factory)


@pytest.fixture
def landing(data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """What a new user does: the Ergast files, a FastF1 session folder and a stray file dropped in ./landing."""
    root = tmp_path / "landing"
    (root / "ergast").mkdir(parents=True)
    for name in ERGAST_DROP:
        shutil.copy(data_dir / "ergast" / name, root / "ergast" / name)
    shutil.copy(data_dir / "ergast" / "LICENSE.CC0.txt", root / "ergast" / "LICENSE.CC0.txt")
    sakhir = root / "1_Sakhir"
    sakhir.mkdir()
    for name in ("laps.csv", "race_info.csv"):
        shutil.copy(data_dir / "f1_2023_fastf1" / "1_Sakhir" / name, sakhir / name)
    old = time.time() - 60
    for path in root.rglob("*"):
        os.utime(path, (old, old))
    monkeypatch.setenv("LAPSTACK_LANDING_DIR", str(root))
    return root


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    return fresh_instance(tmp_path, monkeypatch)


def test_sensor_routes_every_kind_and_skips_sidecars(landing: Path, instance) -> None:
    from dagster import build_sensor_context

    from orchestration.definitions import defs
    from orchestration.landing.sensor import RANGE_END, RANGE_START, LandingCursor, landing_folder_sensor

    result = landing_folder_sensor(build_sensor_context(instance=instance, definitions=defs))
    runs = [(r.job_name, r.partition_key, r.tags.get(RANGE_START), r.tags.get(RANGE_END))
            for r in result.run_requests]
    # Laps first (one run over the two new lap partitions), then the official files (one run over three).
    assert runs == [
        ("lap_path_job", None, "1_Sakhir/laps.csv", "ergast/lap_times_2020_2024.csv"),
        ("official_path_job", None, "ergast/drivers.csv", "ergast/races.csv"),
    ]
    added = {r.partitions_def_name: r.partition_keys for r in result.dynamic_partitions_requests}
    assert added == {"lap_files": ["1_Sakhir/laps.csv", "ergast/lap_times_2020_2024.csv"],
                     "official_files": ["ergast/drivers.csv", "ergast/pit_stops.csv", "ergast/races.csv"]}
    # Readable keys: paths relative to the landing folder, never the absolute path.
    assert not any(str(landing) in key for keys in added.values() for key in keys)
    skipped = LandingCursor.parse(result.cursor).skipped
    assert set(skipped) == {"1_Sakhir/race_info.csv", "ergast/LICENSE.CC0.txt"}
    assert "sidecar" in skipped["1_Sakhir/race_info.csv"]
    assert "matches no registered file format" in skipped["ergast/LICENSE.CC0.txt"]

    # Next tick: nothing new, and the skip reasons are not repeated as new.
    instance.add_dynamic_partitions("lap_files", added["lap_files"])
    instance.add_dynamic_partitions("official_files", added["official_files"])
    again = landing_folder_sensor(build_sensor_context(instance=instance, cursor=result.cursor, definitions=defs))
    assert not again.run_requests
    assert again.skip_reason.skip_message.startswith("no new or changed files to load")

    # A changed file already registered: a run of its own partition.
    pit = landing / "ergast" / "pit_stops.csv"
    pit.write_text(pit.read_text() + "\n")
    os.utime(pit, (time.time() - 60, time.time() - 60))
    changed = landing_folder_sensor(build_sensor_context(instance=instance, cursor=again.cursor, definitions=defs))
    assert [(r.job_name, r.partition_key) for r in changed.run_requests] == [("official_path_job",
                                                                             "ergast/pit_stops.csv")]


def _load_laps(instance, key: str, replace: bool):
    from dagster import materialize

    from orchestration.laps.assets import lap_files
    from orchestration.resources import WarehouseResource

    return materialize([lap_files], partition_key=key, instance=instance, raise_on_error=False,
                       resources={"warehouse": WarehouseResource()},
                       run_config={"ops": {"raw__lap_files": {"config": {"replace": replace}}}})


def test_overlapping_lap_file_fails_clearly_then_loads_with_replace(landing: Path, instance, duckdb_env: Path) -> None:
    import duckdb
    from dagster import DagsterEventType

    instance.add_dynamic_partitions("lap_files", ["1_Sakhir/laps.csv", "ergast/lap_times_2020_2024.csv"])
    assert _load_laps(instance, "1_Sakhir/laps.csv", replace=False).success  # 2023 Bahrain from FastF1

    started = time.monotonic()
    failed = _load_laps(instance, "ergast/lap_times_2020_2024.csv", replace=False)
    print(f"overlapping Ergast load failed in {time.monotonic() - started:.1f} s")
    assert not failed.success
    event = next(e for e in failed.all_events if e.event_type == DagsterEventType.STEP_FAILURE)
    message = event.step_failure_data.user_failure_data.description
    assert "1 of 1 lap file(s) failed to load" in message
    assert "lap_times_2020_2024.csv" in message and BAHRAIN_2023 in message
    assert "replace: true" in message  # how to relaunch from the UI
    assert event.step_failure_data.error.cause is None  # the positioned error, not a chained traceback

    started = time.monotonic()
    loaded = _load_laps(instance, "ergast/lap_times_2020_2024.csv", replace=True)
    print(f"Ergast load with replace=True took {time.monotonic() - started:.1f} s")
    assert loaded.success
    meta = loaded.asset_materializations_for_node("raw__lap_files")[0].metadata
    assert meta["files_loaded"].value == 1 and meta["sessions"].value >= 100
    assert meta["source_path"].value == str(landing / "ergast" / "lap_times_2020_2024.csv")
    with duckdb.connect(str(duckdb_env), read_only=True) as conn:
        (source,) = conn.execute("select source_format from raw.sessions where session_id = ?",
                                 [BAHRAIN_2023]).fetchone()
    assert "ergast" in source


def test_official_run_from_a_sensor_request_loads_the_range(landing: Path, instance, duckdb_env: Path) -> None:
    """The sensor's batched request, executed as the daemon would: one run over the three official files."""
    import duckdb
    from dagster import build_sensor_context

    from orchestration.definitions import defs
    from orchestration.landing.sensor import landing_folder_sensor

    for name in ("lap_times_2020_2024.csv",):
        (landing / "ergast" / name).unlink()  # official files only: their run needs no laps
    shutil.rmtree(landing / "1_Sakhir")
    tick = landing_folder_sensor(build_sensor_context(instance=instance, definitions=defs))
    (request,) = tick.run_requests
    for add in tick.dynamic_partitions_requests:
        instance.add_dynamic_partitions(add.partitions_def_name, list(add.partition_keys))
    started = time.monotonic()
    result = defs.resolve_job_def(request.job_name).execute_in_process(instance=instance, tags=request.tags,
                                                                       raise_on_error=False)
    print(f"official_path_job over 3 files: {time.monotonic() - started:.1f} s")
    assert result.success
    mats = result.asset_materializations_for_node("raw__official_files")
    assert sorted(m.partition for m in mats) == ["ergast/drivers.csv", "ergast/pit_stops.csv", "ergast/races.csv"]
    with duckdb.connect(str(duckdb_env), read_only=True) as conn:
        counts = [conn.execute(f"select count(*) from raw.{t}").fetchone()[0]
                  for t in ("ergast_races", "ergast_drivers", "ergast_pit_stops")]
    assert all(count > 100 for count in counts), counts
