"""The dbt build's run config: the telemetry and time-bucketed marts' window (hourly, daily, monthly) comes in
through --vars; empty, every mart builds incrementally with its own lookback."""

from typing import Any

from dagster import Config

# dbt's unit tests run where the logic changes (CI, plain `dbt build`), not in production builds: each Dagster
# run leaves them out as `lapstack build` does (core.dbt_runner.NO_UNIT_TESTS); the data tests always run.
from core.dbt_runner import NO_UNIT_TESTS


class DbtBuildConfig(Config):
    """Empty = incremental with the models' own lookbacks; a range rebuilds exactly [rebuild_from, rebuild_to)
    of the telemetry marts; full_refresh rebuilds the selected models from scratch."""

    lookback_hours: int | None = None
    lookback_days: int | None = None
    lookback_months: int | None = None
    rebuild_from: str | None = None  # ISO date/time, e.g. 2023-11-18
    rebuild_to: str | None = None
    full_refresh: bool = False


def dbt_vars(config: DbtBuildConfig) -> dict[str, Any]:
    names = {"lookback_hours": "telemetry_lookback_hours", "lookback_days": "telemetry_lookback_days",
             "lookback_months": "telemetry_lookback_months", "rebuild_from": "telemetry_rebuild_from",
             "rebuild_to": "telemetry_rebuild_to"}
    return {var: getattr(config, field) for field, var in names.items() if getattr(config, field) is not None}


def dbt_args(config: DbtBuildConfig) -> list[str]:
    import json

    args = ["build", *NO_UNIT_TESTS] + (["--full-refresh"] if config.full_refresh else [])
    window = dbt_vars(config)
    return args + (["--vars", json.dumps(window)] if window else [])
