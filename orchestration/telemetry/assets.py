"""Telemetry files (tens of millions of rows) as one dynamically partitioned asset, loaded in ranges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dagster import MetadataValue

from core.errors import LoadError
from core.warehouse import Warehouse
from loaders.laps.model import Overrides
from loaders.telemetry.load import TelemetryResult, load_paths
from orchestration.file_load_asset import file_load_asset
from orchestration.loads import TelemetryLoadConfig
from orchestration.resources import WarehouseResource
from orchestration.telemetry.keys import TELEMETRY_FILES_KEY, telemetry_file_partitions


def _load(wh: Warehouse, paths: list[Path],
          config: TelemetryLoadConfig) -> tuple[list[TelemetryResult], list[LoadError]]:
    return load_paths(wh, paths, Overrides(), show_progress=False, replace=config.replace, force=config.force)


def _log_line(res: TelemetryResult) -> str:
    return f"{res.status} {res.path} [{res.format}] {res.rows} rows"


def _metadata(results: list[TelemetryResult], config: TelemetryLoadConfig,
              warehouse: WarehouseResource) -> dict[str, Any]:
    return {
        "loads": MetadataValue.md("\n".join(f"- {Path(r.path).name}: {r.status}, {r.rows} rows" for r in results)),
        "force": config.force,
    }


telemetry_files = file_load_asset(
    key=TELEMETRY_FILES_KEY,
    partitions_def=telemetry_file_partitions,
    description="Car telemetry and GR Cup lap event files landed in raw.telemetry / raw.gr_cup_lap_events (one "
                "partition per file, keyed by its path under the landing folder; one batch per file). Run config: "
                "`replace: true` supersedes loaded sessions, `force: true` reloads unchanged files.",
    what="telemetry file(s)",
    load=_load,
    config_type=TelemetryLoadConfig,
    metadata=_metadata,
    log_line=_log_line,
)
