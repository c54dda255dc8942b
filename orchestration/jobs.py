"""Named jobs: what sensors, schedules and `lapstack materialize` launch."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from orchestration.laps.keys import LAP_FILES_KEY
from orchestration.settings import WAREHOUSE_WRITER_TAG

# Lap files and every model downstream of them: one run loads the files, then dbt rebuilds changed sessions.
lap_path_job = define_asset_job(
    "lap_path_job",
    selection=AssetSelection.assets(LAP_FILES_KEY).downstream(),
    tags=WAREHOUSE_WRITER_TAG,
    description="Load lap files (a partition range) and build the staging models and session marts.",
)
