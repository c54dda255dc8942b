"""Asset keys and partitions of the lap path, shared by the asset, the sensor and the dbt translator."""

from __future__ import annotations

from dagster import AssetKey, DynamicPartitionsDefinition

from core.registry import LAP_FILES_ASSET

LAP_FILES_KEY = AssetKey(list(LAP_FILES_ASSET))  # declared in the registry
# One partition per lap file (absolute path): a changed file re-materialises its own partition.
lap_file_partitions = DynamicPartitionsDefinition(name="lap_files")
