"""Telemetry and time-bucketed marts (hourly, daily, monthly): their window comes in through --vars."""

from collections.abc import Iterator
from typing import Any

from dagster import AssetExecutionContext, Config
from dagster_dbt import DbtCliResource, dbt_assets

from core.raw_schema import ensure_raw_schema
from orchestration.dbt.invocation import dbt_events
from orchestration.dbt.project import dbt_project
from orchestration.dbt.session_assets import TELEMETRY_MARTS_SELECT
from orchestration.dbt.translator import LapstackTranslator
from orchestration.resources import WarehouseResource
from orchestration.settings import WAREHOUSE_POOL


class TelemetryMartsConfig(Config):
    """Empty = incremental with the models' own lookbacks; a range rebuilds exactly [rebuild_from, rebuild_to)."""

    lookback_hours: int | None = None
    lookback_days: int | None = None
    lookback_months: int | None = None
    rebuild_from: str | None = None  # ISO date/time, e.g. 2023-11-18
    rebuild_to: str | None = None
    full_refresh: bool = False


def dbt_vars(config: TelemetryMartsConfig) -> dict[str, Any]:
    names = {"lookback_hours": "telemetry_lookback_hours", "lookback_days": "telemetry_lookback_days",
             "lookback_months": "telemetry_lookback_months", "rebuild_from": "telemetry_rebuild_from",
             "rebuild_to": "telemetry_rebuild_to"}
    return {var: getattr(config, field) for field, var in names.items() if getattr(config, field) is not None}


def dbt_args(config: TelemetryMartsConfig) -> list[str]:
    import json

    args = ["build"] + (["--full-refresh"] if config.full_refresh else [])
    window = dbt_vars(config)
    return args + (["--vars", json.dumps(window)] if window else [])


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LapstackTranslator(),
    select=TELEMETRY_MARTS_SELECT,
    name="telemetry_marts",
    pool=WAREHOUSE_POOL,
)
def telemetry_marts(context: AssetExecutionContext, config: TelemetryMartsConfig, dbt: DbtCliResource,
                warehouse: WarehouseResource) -> Iterator[Any]:
    with warehouse.connection() as wh:
        ensure_raw_schema(wh)  # every source table exists, even for a loader that has not run yet
    args = dbt_args(config)
    context.log.info(f"dbt {' '.join(args)}")
    yield from dbt_events(context, dbt, warehouse.target, args)
