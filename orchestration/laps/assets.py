"""Lap timing files as one dynamically partitioned asset: a partition per file, backfilled in ranges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dagster import MetadataValue

from core.errors import LoadError
from core.warehouse import Warehouse
from loaders.laps.load import load_paths
from loaders.laps.model import Overrides
from loaders.laps.store import LoadResult
from orchestration.file_load_asset import file_load_asset
from orchestration.laps.keys import LAP_FILES_KEY, lap_file_partitions
from orchestration.loads import FileLoadConfig
from orchestration.resources import WarehouseResource


def _summary_table(results: list) -> str:
    lines = ["| file | status | format | rows | sessions |", "|---|---|---|---:|---:|"]
    for res in results[:50]:
        lines.append(f"| {Path(res.path).name} | {res.status} | {res.format} | {res.rows} | {len(res.sessions)} |")
    if len(results) > 50:
        lines.append(f"| ... {len(results) - 50} more | | | | |")
    return "\n".join(lines)


def _load(wh: Warehouse, paths: list[Path], config: FileLoadConfig) -> tuple[list[LoadResult], list[LoadError]]:
    """Each file is its own transaction, so a bad file fails the run without half-loading anything."""
    return load_paths(wh, paths, None, Overrides(), replace=config.replace)


def _metadata(results: list[LoadResult], config: FileLoadConfig, warehouse: WarehouseResource) -> dict[str, Any]:
    sessions = sorted({sid for res in results for sid in res.sessions})
    return {
        "files_unchanged": sum(res.status == "unchanged" for res in results),
        "sessions": len(sessions),
        "load_summary": MetadataValue.md(_summary_table(results)),
        "warehouse": warehouse.describe(),
    }


lap_files = file_load_asset(
    key=LAP_FILES_KEY,
    partitions_def=lap_file_partitions,
    description="Lap timing files landed in raw.* (one partition per file, keyed by its path under the landing "
                "folder; same content twice is a no-op). Run config `replace: true` supersedes loaded sessions.",
    what="lap file(s)",
    load=_load,
    metadata=_metadata,
)
