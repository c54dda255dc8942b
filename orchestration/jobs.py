"""Named jobs: what sensors, schedules and `lapstack materialize` launch."""

from __future__ import annotations

from dagster import AssetKey, AssetSelection, define_asset_job, in_process_executor

from orchestration.dbt.assets import TELEMETRY_MARTS_GROUP
from orchestration.dbt.data_tests import data_test_check_keys
from orchestration.dbt.freshness import freshness_check_keys
from orchestration.dbt.project import manifest
from orchestration.fastf1.keys import FASTF1_SESSIONS_KEY
from orchestration.laps.keys import LAP_FILES_KEY
from orchestration.official.keys import OFFICIAL_FILES_KEY
from orchestration.settings import WAREHOUSE_WRITER_TAG
from orchestration.telemetry.keys import TELEMETRY_FILES_KEY

LOADER_GROUP = "raw_loads"
# `dbt source freshness` checks sit on the loader assets but run in their own job, never in a load's run.
SOURCE_FRESHNESS = AssetSelection.checks(*freshness_check_keys(manifest()))


# A load path's steps run one after another in the run worker's process (issue 15): they share one pool
# (DuckDB admits one writer), so the multiprocess executor ran them serially anyway and paid a Python start-up
# and a definitions load per step; the dbt step already frees the adapter it opens (dbt.invocation).
SERIAL = in_process_executor


def load_and_build(loader: AssetKey) -> AssetSelection:
    """The loader, every model downstream of it, and the models those read from other sources
    (e.g. int_laps__unioned also reads the FastF1 API staging view), but no other loader."""
    downstream = AssetSelection.assets(loader).downstream()
    selection = AssetSelection.assets(loader) | (downstream.upstream() - AssetSelection.groups(LOADER_GROUP))
    return selection - SOURCE_FRESHNESS


def fastf1_staging_views() -> AssetSelection:
    """The FastF1 API staging views: sessions imported with `lapstack fastf1` (outside Dagster) land in raw, and
    these views are only DDL, so every lap load also (re)creates them and they never read "Never materialized"."""
    return AssetSelection.assets(FASTF1_SESSIONS_KEY).downstream(depth=1) - AssetSelection.groups(LOADER_GROUP)


lap_path_job = define_asset_job(
    "lap_path_job",
    executor_def=SERIAL,
    selection=load_and_build(LAP_FILES_KEY) | fastf1_staging_views(),
    tags=WAREHOUSE_WRITER_TAG,
    description="Load lap files (a partition range) and build the models downstream of them.",
)

official_path_job = define_asset_job(
    "official_path_job",
    executor_def=SERIAL,
    selection=load_and_build(OFFICIAL_FILES_KEY),
    tags=WAREHOUSE_WRITER_TAG,
    description="Load official side files (results, pit stops, weather, standings, Ergast reference tables; a "
                "partition range) and build the models downstream of them.",
)

telemetry_path_job = define_asset_job(
    "telemetry_path_job",
    executor_def=SERIAL,
    selection=load_and_build(TELEMETRY_FILES_KEY),
    tags=WAREHOUSE_WRITER_TAG,
    description="Load telemetry files (a partition range) and build the telemetry marts downstream of them.",
)

telemetry_marts_job = define_asset_job(
    "telemetry_marts_job",
    selection=AssetSelection.groups(TELEMETRY_MARTS_GROUP),
    tags=WAREHOUSE_WRITER_TAG,
    description="dbt build of the telemetry marts (marts/telemetry: per lap, hourly, daily, monthly) with their "
                "lookback; config rebuild_from / rebuild_to rebuilds an exact range.",
)

source_freshness_job = define_asset_job(
    "source_freshness_job",
    selection=SOURCE_FRESHNESS,
    tags=WAREHOUSE_WRITER_TAG,  # dbt opens the DuckDB file read-write
    description="`dbt source freshness` of every source declaring a loaded_at_field, as checks on the loaders.",
)

data_tests_full_job = define_asset_job(
    "data_tests_full_job",
    selection=AssetSelection.checks(*data_test_check_keys(manifest())),
    tags=WAREHOUSE_WRITER_TAG,  # dbt opens the DuckDB file read-write
    description="Every dbt data test of the session marts over every row (builds test only the sessions they "
                "rebuild): checks only, nothing is built.",
)
