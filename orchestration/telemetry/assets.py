"""Telemetry files (tens of millions of rows) as one dynamically partitioned asset, loaded in ranges."""

from pathlib import Path

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, MetadataValue, asset

from loaders.laps.model import Overrides
from loaders.telemetry.load import load_paths
from orchestration.loads import TelemetryLoadConfig, load_failure, paths_of, source_paths
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
    description="Car telemetry and GR Cup lap event files landed in raw.telemetry / raw.gr_cup_lap_events (one "
                "partition per file, keyed by its path under the landing folder; one batch per file). Run config: "
                "`replace: true` supersedes loaded sessions, `force: true` reloads unchanged files.",
)
def telemetry_files(context: AssetExecutionContext, config: TelemetryLoadConfig,
                    warehouse: WarehouseResource) -> MaterializeResult:
    paths = paths_of(context.partition_keys)
    with warehouse.connection() as wh:
        results, errors = load_paths(wh, paths, Overrides(), show_progress=False, replace=config.replace,
                                     force=config.force)
    for res in results:
        context.log.info(f"{res.status} {res.path} [{res.format}] {res.rows} rows")
    if errors:
        raise load_failure(errors, len(paths), "telemetry file(s)", context.op_def.name) from None
    return MaterializeResult(metadata={
        "files": len(results),
        "files_loaded": sum(r.status == "loaded" for r in results),
        "rows_loaded": sum(r.rows for r in results if r.status == "loaded"),
        "loads": MetadataValue.md("\n".join(f"- {Path(r.path).name}: {r.status}, {r.rows} rows" for r in results)),
        "replace": config.replace,
        "force": config.force,
        "source_path": source_paths(paths),
    })
