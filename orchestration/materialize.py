"""Materialise the lap path in-process through Dagster, recorded in $DAGSTER_HOME so `dagster dev` shows it."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from dagster import AssetKey, DagsterInstance, DynamicPartitionsDefinition, EventLogEntry, ExecuteInProcessResult

from core.settings import DAGSTER_HOME, PROJECT_ROOT
from orchestration.file_keys import key_for
from orchestration.laps.keys import lap_file_partitions

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
# What `make` exports: the instance `make dev` (and so the UI) reads.
DEFAULT_DAGSTER_HOME = PROJECT_ROOT / ".dagster_home"


def dagster_home() -> Path:
    """DAGSTER_HOME, else the repo's `.dagster_home` (as the Makefile), set up with orchestration/dagster.yaml."""
    home = DAGSTER_HOME.get()
    if home is None:
        home = DEFAULT_DAGSTER_HOME
        os.environ["DAGSTER_HOME"] = str(home)
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    return home


def instance() -> DagsterInstance:
    """The persistent instance at dagster_home(): runs launched here show in `make dev`'s UI."""
    dagster_home()
    return DagsterInstance.get()


def register_files(inst: DagsterInstance, files: list[Path],
                   partitions: DynamicPartitionsDefinition = lap_file_partitions) -> list[str]:
    """Files become partitions (readable keys, see orchestration.file_keys); returns them in partition order."""
    keys = list(dict.fromkeys(key_for(p) for p in files))
    existing = set(inst.get_dynamic_partitions(partitions.name))
    new = [k for k in keys if k not in existing]
    if new:
        inst.add_dynamic_partitions(partitions.name, new)
    order = {k: i for i, k in enumerate(inst.get_dynamic_partitions(partitions.name))}
    return sorted(keys, key=order.__getitem__)


def _materialize_files(job_name: str, partitions: DynamicPartitionsDefinition, files: list[Path],
                       inst: DagsterInstance | None, on_event: Callable[[EventLogEntry], None] | None,
                       loader_only: list[AssetKey] | None = None) -> ExecuteInProcessResult:
    from orchestration.definitions import defs

    inst = inst or instance()
    keys = register_files(inst, files, partitions)
    job = defs.resolve_job_def(job_name)
    run_id = str(uuid.uuid4())  # known before the run starts, so the listener is in place for its first event
    if on_event is not None:
        inst.add_event_listener(run_id, on_event)
    # The loader step alone is selected by its op: an asset selection would bring the `dbt source freshness`
    # checks that sit on the loader asset (they run in their own job, never in a load's run).
    ops = ["__".join(key.path) for key in loader_only] if loader_only else None
    return job.execute_in_process(instance=inst, tags={RANGE_START: keys[0], RANGE_END: keys[-1]},
                                  raise_on_error=False, run_id=run_id, op_selection=ops)


def materialize_lap_path(files: list[Path], inst: DagsterInstance | None = None,
                         on_event: Callable[[EventLogEntry], None] | None = None) -> ExecuteInProcessResult:
    """One run over the files' partition range (not one run per file), then the dbt session models.

    The target is LAPSTACK_TARGET's (duckdb by default). A range spans every partition registered between
    its ends, so previously registered files in between are re-checked too (unchanged files are no-ops).
    `on_event` receives every event of the run as it is stored (steps, logs, materialisations): what a
    caller needs to show progress without printing Dagster's console log.
    """
    return _materialize_files("lap_path_job", lap_file_partitions, files, inst, on_event)


def materialize_official_path(files: list[Path], inst: DagsterInstance | None = None,
                              on_event: Callable[[EventLogEntry], None] | None = None,
                              load_only: bool = False) -> ExecuteInProcessResult:
    """The official side files (results, weather, track status, pit stops, standings) as one run over their
    partition range, then the models downstream of them; `load_only` runs the loader step alone (a caller
    that loads laps next and builds once they are in)."""
    from orchestration.official.keys import OFFICIAL_FILES_KEY, official_file_partitions

    return _materialize_files("official_path_job", official_file_partitions, files, inst, on_event,
                              [OFFICIAL_FILES_KEY] if load_only else None)


def load_telemetry_files(files: list[Path], inst: DagsterInstance | None = None,
                         on_event: Callable[[EventLogEntry], None] | None = None) -> ExecuteInProcessResult:
    """Telemetry-family files (car data, GR Cup ECU lap events) through their loader asset alone: a caller
    that loads laps next and builds once both are in."""
    from orchestration.telemetry.keys import TELEMETRY_FILES_KEY, telemetry_file_partitions

    return _materialize_files("telemetry_path_job", telemetry_file_partitions, files, inst, on_event,
                              [TELEMETRY_FILES_KEY])
