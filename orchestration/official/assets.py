"""Official side files landed in raw.* (one partition per file; same content twice is a no-op)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import LoadError
from core.warehouse import Warehouse
from loaders.laps.model import Overrides
from loaders.official.load import load_side
from loaders.per_file import load_each
from orchestration.file_load_asset import file_load_asset
from orchestration.loads import FileLoadConfig
from orchestration.official.keys import OFFICIAL_FILES_KEY, official_file_partitions
from orchestration.resources import WarehouseResource


def _load(wh: Warehouse, paths: list[Path], config: FileLoadConfig) -> tuple[list[Any], list[LoadError]]:
    """Each file is its own transaction: a bad file fails the run without half-loading anything."""
    return load_each(paths, lambda path: load_side(wh, path, None, Overrides(), replace=config.replace))


def _metadata(results: list[Any], config: FileLoadConfig, warehouse: WarehouseResource) -> dict[str, Any]:
    return {"warehouse": warehouse.describe()}


official_files = file_load_asset(
    key=OFFICIAL_FILES_KEY,
    partitions_def=official_file_partitions,
    description="Official results, best laps, weather, track status, pit stops, standings and Ergast reference "
                "files (races, drivers, ...) in raw.* (one partition per file, keyed by its path under the landing "
                "folder). Run config `replace: true` supersedes a session's file loaded earlier.",
    what="official file(s)",
    load=_load,
    metadata=_metadata,
)
