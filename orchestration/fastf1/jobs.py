"""Jobs of the FastF1 import: one session (or a range) plus everything downstream; the gap refresh."""

from __future__ import annotations

from dagster import AssetSelection, define_asset_job

from orchestration.fastf1.keys import FASTF1_SESSIONS_KEY, GAP_REPORT_KEY
from orchestration.jobs import load_and_build
from orchestration.settings import WAREHOUSE_WRITER_TAG

fastf1_import_job = define_asset_job(
    "fastf1_import_job",
    selection=load_and_build(FASTF1_SESSIONS_KEY),
    tags=WAREHOUSE_WRITER_TAG,
    description="Import FastF1 sessions (partitions) under the shared quota, then rebuild their models.",
)
fastf1_gap_refresh_job = define_asset_job(
    "fastf1_gap_refresh_job",
    selection=AssetSelection.assets(GAP_REPORT_KEY),
    tags=WAREHOUSE_WRITER_TAG,  # reads the DuckDB file, which takes the same single lock as a write
    description="Refresh the season's FastF1 gap report that the quota sensor plans from.",
)
