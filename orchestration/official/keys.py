"""Asset key and partitions of the official side files, shared by the asset and the dbt translator."""

from __future__ import annotations

from dagster import AssetKey, DynamicPartitionsDefinition

from core.registry import OFFICIAL_FILES_ASSET

OFFICIAL_FILES_KEY = AssetKey(list(OFFICIAL_FILES_ASSET))  # declared in the registry
# One partition per side file (absolute path), like the lap files.
official_file_partitions = DynamicPartitionsDefinition(name="official_files")
