"""Lap timing files as one dynamically partitioned asset: a partition per file, backfilled in ranges."""


from pathlib import Path

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, MetadataValue, asset

from loaders.laps.load import load_paths
from loaders.laps.model import Overrides
from orchestration.laps.keys import LAP_FILES_KEY, lap_file_partitions
from orchestration.loads import FileLoadConfig, load_failure, paths_of, source_paths
from orchestration.resources import WarehouseResource
from orchestration.settings import WAREHOUSE_POOL


def _summary_table(results: list) -> str:
    lines = ["| file | status | format | rows | sessions |", "|---|---|---|---:|---:|"]
    for res in results[:50]:
        lines.append(f"| {Path(res.path).name} | {res.status} | {res.format} | {res.rows} | {len(res.sessions)} |")
    if len(results) > 50:
        lines.append(f"| ... {len(results) - 50} more | | | | |")
    return "\n".join(lines)


@asset(
    key=LAP_FILES_KEY,
    partitions_def=lap_file_partitions,
    # A season backfill is one run over the key range, not one run per file.
    backfill_policy=BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    group_name="raw_loads",
    kinds={"python"},
    description="Lap timing files landed in raw.* (one partition per file, keyed by its path under the landing "
                "folder; same content twice is a no-op). Run config `replace: true` supersedes loaded sessions.",
)
def lap_files(context: AssetExecutionContext, config: FileLoadConfig,
              warehouse: WarehouseResource) -> MaterializeResult:
    """Each file is its own transaction, so a bad file fails the run without half-loading anything."""
    paths = paths_of(context.partition_keys)
    with warehouse.connection() as wh:
        results, errors = load_paths(wh, paths, None, Overrides(), replace=config.replace)
    for res in results:
        context.log.info(f"{res.status} {res.path} [{res.format}] {res.rows} rows, {len(res.sessions)} session(s)")
    if errors:
        raise load_failure(errors, len(paths), "lap file(s)", context.op_def.name) from None
    sessions = sorted({sid for res in results for sid in res.sessions})
    return MaterializeResult(metadata={
        "files": len(results),
        "files_loaded": sum(res.status == "loaded" for res in results),
        "files_unchanged": sum(res.status == "unchanged" for res in results),
        "rows_loaded": sum(res.rows for res in results if res.status == "loaded"),
        "sessions": len(sessions),
        "load_summary": MetadataValue.md(_summary_table(results)),
        "warehouse": warehouse.describe(),
        "replace": config.replace,
        "source_path": source_paths(paths),
    })
