"""Materialise the lap path in-process through Dagster, recorded in $DAGSTER_HOME so `dagster dev` shows it."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from dagster import DagsterInstance, EventLogEntry, ExecuteInProcessResult

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


def register_files(inst: DagsterInstance, files: list[Path]) -> list[str]:
    """Lap files become partitions (readable keys, see orchestration.file_keys); returns them in partition order."""
    keys = list(dict.fromkeys(key_for(p) for p in files))
    existing = set(inst.get_dynamic_partitions(lap_file_partitions.name))
    new = [k for k in keys if k not in existing]
    if new:
        inst.add_dynamic_partitions(lap_file_partitions.name, new)
    order = {k: i for i, k in enumerate(inst.get_dynamic_partitions(lap_file_partitions.name))}
    return sorted(keys, key=order.__getitem__)


def materialize_lap_path(files: list[Path], inst: DagsterInstance | None = None,
                         on_event: Callable[[EventLogEntry], None] | None = None) -> ExecuteInProcessResult:
    """One run over the files' partition range (not one run per file), then the dbt session models.

    The target is LAPSTACK_TARGET's (duckdb by default). A range spans every partition registered between
    its ends, so previously registered files in between are re-checked too (unchanged files are no-ops).
    `on_event` receives every event of the run as it is stored (steps, logs, materialisations): what a
    caller needs to show progress without printing Dagster's console log.
    """
    from orchestration.definitions import defs

    inst = inst or instance()
    keys = register_files(inst, files)
    job = defs.resolve_job_def("lap_path_job")
    run_id = str(uuid.uuid4())  # known before the run starts, so the listener is in place for its first event
    if on_event is not None:
        inst.add_event_listener(run_id, on_event)
    return job.execute_in_process(instance=inst, tags={RANGE_START: keys[0], RANGE_END: keys[-1]},
                                  raise_on_error=False, run_id=run_id)
