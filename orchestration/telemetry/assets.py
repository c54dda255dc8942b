"""Telemetry files (tens of millions of rows) as one dynamically partitioned asset, loaded in ranges."""

from pathlib import Path

from dagster import AssetExecutionContext, BackfillPolicy, Failure, MaterializeResult, MetadataValue, asset

from loaders.laps.model import Overrides
from loaders.telemetry.load import load_paths
from orchestration.resources import WarehouseResource
from orchestration.settings import WAREHOUSE_POOL
from orchestration.telemetry.keys import TELEMETRY_FILES_KEY, telemetry_file_partitions


@asset(
    key=TELEMETRY_FILES_KEY,
    partitions_def=telemetry_file_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    group_name="raw_loads",
    kinds={"python"},
    description="Car telemetry files landed in raw.telemetry (one partition per file, one batch per file).",
)
def telemetry_files(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    paths = [Path(key) for key in context.partition_keys]
    with warehouse.connection() as wh:
        results, errors = load_paths(wh, paths, Overrides(), show_progress=False)
    for res in results:
        context.log.info(f"{res.status} {res.path} [{res.format}] {res.rows} rows")
    if errors:
        raise Failure(description=f"{len(errors)} of {len(paths)} telemetry file(s) failed:\n"
                                  + "\n".join(str(err) for err in errors))
    return MaterializeResult(metadata={
        "files": len(results),
        "files_loaded": sum(r.status == "loaded" for r in results),
        "rows_loaded": sum(r.rows for r in results if r.status == "loaded"),
        "loads": MetadataValue.md("\n".join(f"- {Path(r.path).name}: {r.status}, {r.rows} rows" for r in results)),
    })
