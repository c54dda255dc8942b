"""Asset key and partitions of telemetry file loads."""

from __future__ import annotations

from dagster import AssetKey, DynamicPartitionsDefinition

TELEMETRY_FILES_KEY = AssetKey(["raw", "telemetry_files"])
telemetry_file_partitions = DynamicPartitionsDefinition(name="telemetry_files")
