"""Lap timing files as one dynamically partitioned asset: a partition per file, backfilled in ranges."""


from pathlib import Path

from dagster import AssetExecutionContext, BackfillPolicy, Failure, MaterializeResult, MetadataValue, asset

from loaders.laps.load import load_paths
from loaders.laps.model import Overrides
from orchestration.laps.keys import LAP_FILES_KEY, lap_file_partitions
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
    description="Lap timing files landed in raw.* (one partition per file; same content twice is a no-op).",
)
def lap_files(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Each file is its own transaction, so a bad file fails the run without half-loading anything."""
    paths = [Path(key) for key in context.partition_keys]
    with warehouse.connection() as wh:
        results, errors = load_paths(wh, paths, None, Overrides())
    for res in results:
        context.log.info(f"{res.status} {res.path} [{res.format}] {res.rows} rows, {len(res.sessions)} session(s)")
    if errors:
        raise Failure(
            description=f"{len(errors)} of {len(paths)} lap file(s) failed to load:\n"
                        + "\n".join(str(err) for err in errors),
            metadata={"errors": MetadataValue.md("\n".join(f"- {err}" for err in errors))})
    sessions = sorted({sid for res in results for sid in res.sessions})
    return MaterializeResult(metadata={
        "files": len(results),
        "files_loaded": sum(res.status == "loaded" for res in results),
        "files_unchanged": sum(res.status == "unchanged" for res in results),
        "rows_loaded": sum(res.rows for res in results if res.status == "loaded"),
        "sessions": len(sessions),
        "load_summary": MetadataValue.md(_summary_table(results)),
        "warehouse": warehouse.describe(),
    })
