"""The lapstack code location: `dagster dev` and `dg` find these Definitions through pyproject.toml."""

from __future__ import annotations

from dagster import Definitions

from core.settings import apply_network_hygiene
from orchestration.dbt.assets import dbt_models
from orchestration.dbt.freshness import source_freshness_checks
from orchestration.dbt.project import dbt_resource, manifest
from orchestration.dbt.translator import LapstackTranslator, exposure_specs
from orchestration.fastf1.assets import fastf1_gap_report, fastf1_sessions
from orchestration.fastf1.jobs import fastf1_gap_refresh_job, fastf1_import_job
from orchestration.fastf1.sensor import fastf1_quota_sensor
from orchestration.jobs import (
    data_tests_full_job,
    lap_path_job,
    official_path_job,
    source_freshness_job,
    telemetry_marts_job,
    telemetry_path_job,
)
from orchestration.landing.sensor import landing_folder_sensor
from orchestration.laps.assets import lap_files
from orchestration.notify import notify_run_failure, notify_run_success
from orchestration.official.assets import official_files
from orchestration.quality.checks import gx_model_suites, gx_raw_suites
from orchestration.resources import WarehouseResource
from orchestration.schedules import (
    data_tests_full_weekly,
    fastf1_gap_refresh,
    source_freshness_hourly,
    telemetry_marts_nightly,
)
from orchestration.telemetry.assets import telemetry_files


def build_definitions() -> Definitions:
    """The code location's entry point: Dagster loads this module in its own processes (webserver, daemon,
    run workers), so the tracking opt-outs are set here, before any run or sensor starts dbt."""
    apply_network_hygiene()
    return Definitions(
        assets=[lap_files, official_files, telemetry_files, fastf1_gap_report, fastf1_sessions, dbt_models,
                *exposure_specs(manifest(), LapstackTranslator())],
        asset_checks=[gx_raw_suites, gx_model_suites, *source_freshness_checks(manifest())],
        jobs=[lap_path_job, official_path_job, telemetry_path_job, fastf1_import_job, fastf1_gap_refresh_job,
              telemetry_marts_job, source_freshness_job, data_tests_full_job],
        sensors=[landing_folder_sensor, fastf1_quota_sensor, notify_run_failure, notify_run_success],
        schedules=[fastf1_gap_refresh, telemetry_marts_nightly, source_freshness_hourly, data_tests_full_weekly],
        resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
    )


defs = build_definitions()
