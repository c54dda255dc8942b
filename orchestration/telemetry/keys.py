"""Asset key and partitions of telemetry file loads."""

from __future__ import annotations

from dagster import AssetKey, DynamicPartitionsDefinition

from core.registry import TELEMETRY_FILES_ASSET

TELEMETRY_FILES_KEY = AssetKey(list(TELEMETRY_FILES_ASSET))  # declared in the registry
telemetry_file_partitions = DynamicPartitionsDefinition(name="telemetry_files")
