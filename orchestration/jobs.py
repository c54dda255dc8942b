"""Named jobs: what sensors, schedules and `lapstack materialize` launch."""

from __future__ import annotations

from dagster import AssetKey, AssetSelection, define_asset_job

from orchestration.laps.keys import LAP_FILES_KEY
from orchestration.settings import WAREHOUSE_WRITER_TAG
from orchestration.telemetry.keys import TELEMETRY_FILES_KEY

LOADER_GROUP = "raw_loads"


def load_and_build(loader: AssetKey) -> AssetSelection:
    """The loader, every model downstream of it, and the models those read from other sources
    (e.g. int_laps__unioned also reads the FastF1 API staging view), but no other loader."""
    downstream = AssetSelection.assets(loader).downstream()
    return AssetSelection.assets(loader) | (downstream.upstream() - AssetSelection.groups(LOADER_GROUP))


lap_path_job = define_asset_job(
    "lap_path_job",
    selection=load_and_build(LAP_FILES_KEY),
    tags=WAREHOUSE_WRITER_TAG,
    description="Load lap files (a partition range) and build the models downstream of them.",
)

telemetry_path_job = define_asset_job(
    "telemetry_path_job",
    selection=load_and_build(TELEMETRY_FILES_KEY),
    tags=WAREHOUSE_WRITER_TAG,
    description="Load telemetry files (a partition range) and build the telemetry and time marts.",
)
