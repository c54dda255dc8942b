"""Official side files landed in raw.* (one partition per file; same content twice is a no-op)."""

from dagster import AssetExecutionContext, BackfillPolicy, MaterializeResult, asset

from core.errors import LoadError, SettingError, TargetUnavailable
from loaders.laps.model import Overrides
from loaders.official.load import load_side
from orchestration.loads import FileLoadConfig, load_failure, paths_of, source_paths
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
    description="Official results, best laps, weather, track status, pit stops, standings and Ergast reference "
                "files (races, drivers, ...) in raw.* (one partition per file, keyed by its path under the landing "
                "folder). Run config `replace: true` supersedes a session's file loaded earlier.",
)
def official_files(context: AssetExecutionContext, config: FileLoadConfig,
                   warehouse: WarehouseResource) -> MaterializeResult:
    """Each file is its own transaction: a bad file fails the run without half-loading anything."""
    results, errors = [], []
    with warehouse.connection() as wh:
        paths = paths_of(context.partition_keys)
        for path in paths:
            try:
                results.append(load_side(wh, path, None, Overrides(), replace=config.replace))
            except LoadError as exc:
                errors.append(exc)
            except (SettingError, TargetUnavailable):
                raise  # the deployment's configuration, not this file
            except Exception as exc:  # noqa: BLE001 - as `lapstack load`: one broken file never hides the others
                errors.append(LoadError(path, None, None, f"unexpected error, nothing of this file was loaded "
                                        f"(please report it): {type(exc).__name__}: {exc}"))
    for res in results:
        context.log.info(f"{res.status} {res.path} [{res.format}] {res.rows} rows, {len(res.sessions)} session(s)")
    if errors:
        raise load_failure(errors, len(paths), "official file(s)", context.op_def.name) from None
    return MaterializeResult(metadata={
        "files": len(results),
        "files_loaded": sum(res.status == "loaded" for res in results),
        "rows_loaded": sum(res.rows for res in results if res.status == "loaded"),
        "warehouse": warehouse.describe(),
        "replace": config.replace,
        "source_path": source_paths(paths),
    })
