"""The lapstack code location: `dagster dev` and `dg` find these Definitions through pyproject.toml."""

from __future__ import annotations

from orchestration.settings import apply_network_hygiene

apply_network_hygiene()

from dagster import Definitions  # noqa: E402

from orchestration.dbt.project import dbt_resource  # noqa: E402
from orchestration.dbt.session_assets import lap_models  # noqa: E402
from orchestration.dbt.time_assets import time_models  # noqa: E402
from orchestration.fastf1.assets import fastf1_gap_report, fastf1_sessions  # noqa: E402
from orchestration.fastf1.jobs import fastf1_gap_refresh_job, fastf1_import_job  # noqa: E402
from orchestration.fastf1.sensor import fastf1_quota_sensor  # noqa: E402
from orchestration.jobs import lap_path_job, telemetry_path_job  # noqa: E402
from orchestration.laps.assets import lap_files  # noqa: E402
from orchestration.laps.sensor import landing_folder_sensor  # noqa: E402
from orchestration.notify import notify_run_failure, notify_run_success  # noqa: E402
from orchestration.official.assets import official_files  # noqa: E402
from orchestration.quality.checks import gx_quality_checks  # noqa: E402
from orchestration.resources import WarehouseResource  # noqa: E402
from orchestration.schedules import fastf1_gap_refresh, nightly_time_marts, time_marts_job  # noqa: E402
from orchestration.telemetry.assets import telemetry_files  # noqa: E402

defs = Definitions(
    assets=[lap_files, official_files, telemetry_files, fastf1_gap_report, fastf1_sessions, lap_models, time_models],
    asset_checks=[gx_quality_checks],
    jobs=[lap_path_job, telemetry_path_job, fastf1_import_job, fastf1_gap_refresh_job, time_marts_job],
    sensors=[landing_folder_sensor, fastf1_quota_sensor, notify_run_failure, notify_run_success],
    schedules=[fastf1_gap_refresh, nightly_time_marts],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
)
