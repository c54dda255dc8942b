"""One factory for the file-load assets (lap, official and telemetry files), so they partition, batch, fail
and report alike: one dynamic partition per landed file, a backfill as one run over the key range, every file
its own transaction, the positioned errors as the step's failure, and the same core metadata.

No `from __future__ import annotations` here: Dagster reads the `config` parameter's annotation as a class
to derive the run config schema, and the class is the factory's argument.
"""

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from dagster import (
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    MaterializeResult,
    PartitionsDefinition,
    asset,
)

from core.errors import LoadError
from core.warehouse import Warehouse
from orchestration.loads import FileLoadConfig, load_failure, paths_of, source_paths
from orchestration.resources import WarehouseResource
from orchestration.settings import WAREHOUSE_POOL

# Loads the run's files into the warehouse: the results of the files that loaded, the errors of the others.
LoadFiles = Callable[[Warehouse, list[Path], Any], tuple[list[Any], list[LoadError]]]
# The asset's own metadata on top of the shared counts, from the results, the run config and the warehouse.
ExtraMetadata = Callable[[list[Any], Any, WarehouseResource], Mapping[str, Any]]


def sessions_log_line(res: Any) -> str:
    """The log line of one loaded file that carries sessions (lap and official results)."""
    return f"{res.status} {res.path} [{res.format}] {res.rows} rows, {len(res.sessions)} session(s)"


def no_extra_metadata(results: list[Any], config: Any, warehouse: WarehouseResource) -> Mapping[str, Any]:
    return {}


def file_load_asset(*, key: AssetKey, partitions_def: PartitionsDefinition, description: str, what: str,
                    load: LoadFiles, config_type: type[FileLoadConfig] = FileLoadConfig,
                    metadata: ExtraMetadata = no_extra_metadata,
                    log_line: Callable[[Any], str] = sessions_log_line) -> AssetsDefinition:
    """The asset that loads the files of the run's partitions with `load`; `what` names them in the failure."""

    @asset(
        key=key,
        partitions_def=partitions_def,
        # A season backfill is one run over the key range, not one run per file.
        backfill_policy=BackfillPolicy.single_run(),
        pool=WAREHOUSE_POOL,
        group_name="raw_loads",
        kinds={"python"},
        description=description,
    )
    def load_files(context: AssetExecutionContext, config: config_type,  # type: ignore[valid-type]
                   warehouse: WarehouseResource) -> MaterializeResult:
        paths = paths_of(context.partition_keys)
        with warehouse.connection() as wh:
            results, errors = load(wh, paths, config)
        for res in results:
            context.log.info(log_line(res))
        if errors:
            raise load_failure(errors, len(paths), what, context.op_def.name) from None
        return MaterializeResult(metadata={
            "files": len(results),
            "files_loaded": sum(res.status == "loaded" for res in results),
            "rows_loaded": sum(res.rows for res in results if res.status == "loaded"),
            **metadata(results, config, warehouse),
            "replace": config.replace,
            "source_path": source_paths(paths),
        })

    return load_files
