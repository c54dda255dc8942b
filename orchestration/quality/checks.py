"""Each GX suite is an asset check on the asset owning its table; critical suites block downstream assets."""

from collections.abc import Iterator

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    MetadataValue,
    multi_asset_check,
)

from core.registry import REGISTRY
from expectations.suites import select
from orchestration.fastf1.keys import FASTF1_SESSIONS_KEY
from orchestration.laps.keys import LAP_FILES_KEY
from orchestration.resources import WarehouseResource
from orchestration.settings import WAREHOUSE_POOL
from orchestration.telemetry.keys import TELEMETRY_FILES_KEY

# raw tables -> the loader asset that writes them (anything else in raw belongs to the lap loader).
RAW_OWNERS = {"telemetry": TELEMETRY_FILES_KEY, "gr_cup_lap_events": TELEMETRY_FILES_KEY}


def owner_key(table: str) -> AssetKey:
    schema, _, name = table.partition(".")
    if schema != "raw":
        return AssetKey([schema, name])
    if name.startswith("fastf1_api_"):
        return FASTF1_SESSIONS_KEY
    if name in RAW_OWNERS:
        return RAW_OWNERS[name]
    try:  # the registry names every raw table's owning loader asset
        return AssetKey(list(REGISTRY.get(name).dagster_asset))
    except KeyError:
        return LAP_FILES_KEY


SUITES = {spec.name: spec for spec in select(None)}
SPECS = [AssetCheckSpec(name=f"gx_{spec.name}", asset=owner_key(spec.table), blocking=spec.severity == "critical",
                        description=f"Great Expectations suite {spec.name} on {spec.table} ({spec.severity})")
         for spec in SUITES.values()]


@multi_asset_check(specs=SPECS, can_subset=True, pool=WAREHOUSE_POOL, name="gx_quality_checks")
def gx_quality_checks(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[AssetCheckResult]:
    from core.settings import LAPSTACK_QUALITY_REPORT_DIR
    from expectations.runner import run_quality

    wanted = [key.name.removeprefix("gx_") for key in context.selected_asset_check_keys]
    run = run_quality(warehouse.target, wanted, LAPSTACK_QUALITY_REPORT_DIR.get())
    for result in run.suites:
        spec = SUITES[result.suite]
        failed = result.failed_checks
        yield AssetCheckResult(
            asset_key=owner_key(spec.table), check_name=f"gx_{result.suite}", passed=result.success,
            severity=AssetCheckSeverity.ERROR if spec.severity == "critical" else AssetCheckSeverity.WARN,
            metadata={"status": result.status, "severity": spec.severity, "rows_validated": result.rows_validated,
                      "failed_expectations": MetadataValue.md("\n".join(
                          f"- {e.check}: {e.unexpected_count} unexpected" for e in failed[:20]) or "none"),
                      "report": result.report_path or run.index_path})
