"""Official side files landed in raw.* (one partition per file; same content twice is a no-op)."""

from pathlib import Path

from dagster import AssetExecutionContext, BackfillPolicy, Failure, MaterializeResult, MetadataValue, asset

from core.errors import LoadError
from loaders.laps.model import Overrides
from loaders.official.load import load_side
from orchestration.official.keys import OFFICIAL_FILES_KEY, official_file_partitions
from orchestration.resources import WarehouseResource
from orchestration.settings import WAREHOUSE_POOL


@asset(
    key=OFFICIAL_FILES_KEY,
    partitions_def=official_file_partitions,
    backfill_policy=BackfillPolicy.single_run(),
    pool=WAREHOUSE_POOL,
    group_name="raw_loads",
    kinds={"python"},
    description="Official results, best laps, weather, track status, pit stops and standings files in raw.*.",
)
def official_files(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """Each file is its own transaction: a bad file fails the run without half-loading anything."""
    results, errors = [], []
    with warehouse.connection() as wh:
        for key in context.partition_keys:
            try:
                results.append(load_side(wh, Path(key), None, Overrides()))
            except LoadError as exc:
                errors.append(exc)
    for res in results:
        context.log.info(f"{res.status} {res.path} [{res.format}] {res.rows} rows, {len(res.sessions)} session(s)")
    if errors:
        raise Failure(description=f"{len(errors)} official file(s) failed to load:\n"
                                  + "\n".join(str(err) for err in errors),
                      metadata={"errors": MetadataValue.md("\n".join(f"- {err}" for err in errors))})
    return MaterializeResult(metadata={
        "files": len(results),
        "files_loaded": sum(res.status == "loaded" for res in results),
        "rows_loaded": sum(res.rows for res in results if res.status == "loaded"),
        "warehouse": warehouse.describe(),
    })
