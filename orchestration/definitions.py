"""The lapstack code location: `dagster dev` and `dg` find these Definitions through pyproject.toml."""

from __future__ import annotations

from orchestration.settings import apply_network_hygiene

apply_network_hygiene()

from dagster import Definitions  # noqa: E402

from orchestration.dbt.project import dbt_resource  # noqa: E402
from orchestration.dbt.session_assets import lap_models  # noqa: E402
from orchestration.jobs import lap_path_job  # noqa: E402
from orchestration.laps.assets import lap_files  # noqa: E402
from orchestration.laps.sensor import landing_folder_sensor  # noqa: E402
from orchestration.notify import notify_run_failure, notify_run_success  # noqa: E402
from orchestration.resources import WarehouseResource  # noqa: E402

defs = Definitions(
    assets=[lap_files, lap_models],
    jobs=[lap_path_job],
    sensors=[landing_folder_sensor, notify_run_failure, notify_run_success],
    resources={"warehouse": WarehouseResource(), "dbt": dbt_resource()},
)
