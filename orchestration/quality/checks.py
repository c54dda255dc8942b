"""Each GX suite is an asset check on the asset owning its table, in two steps per run.

`gx_raw_suites` checks the loaders' raw tables right after the load: critical ones are blocking, so a bad load
never reaches dbt (today every raw suite is warn-level). `gx_model_suites` checks the dbt models after the
run's dbt build: critical ones are not blocking, because a blocking check inside the dbt graph splits the one
`dbt build` of a run into several steps (dbt's own tests already stop what is downstream of a failed test
within the build); instead, when a critical model suite fails, the step fails after reporting every check, so
the run fails (and `notify_run_failure` fires) as before.

Dagster runs write their Data Docs to one stable folder per target, `<LAPSTACK_QUALITY_REPORT_DIR>/<target>/`:
a check's `report` link (that folder's index.html, the latest verdict with example rows) always resolves, is
never touched by `lapstack quality` (which resets only the files it generates at the top of its own folder),
and does not grow with every run. What a past evaluation found stays in the check's own metadata:
`failing_rows` holds up to SHOWN_EXAMPLES unexpected rows of each failed expectation.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    Failure,
    MetadataValue,
    multi_asset_check,
)

from core.registry import REGISTRY
from expectations.report import SHOWN_EXAMPLES
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


def is_raw(table: str) -> bool:
    return table.startswith("raw.")


def _spec(spec) -> AssetCheckSpec:
    raw = is_raw(spec.table)
    effect = ("blocks the models downstream when it fails" if raw and spec.severity == "critical"
              else "fails the run when it fails" if spec.severity == "critical" else "warns")
    return AssetCheckSpec(name=f"gx_{spec.name}", asset=owner_key(spec.table),
                          blocking=raw and spec.severity == "critical",
                          description=f"Great Expectations suite {spec.name} on {spec.table} ({spec.severity}: "
                                      f"{effect}); same suite as `lapstack quality --suite {spec.name}`.")


SPECS = [_spec(spec) for spec in SUITES.values()]
RAW_SPECS = [s for s, spec in zip(SPECS, SUITES.values(), strict=True) if is_raw(spec.table)]
MODEL_SPECS = [s for s, spec in zip(SPECS, SUITES.values(), strict=True) if not is_raw(spec.table)]


def report_dir(target: str | None) -> Path:
    """The target's Data Docs folder: the same path for every run on it, never reset by `lapstack quality`."""
    from core.settings import LAPSTACK_QUALITY_REPORT_DIR, resolve_target

    return LAPSTACK_QUALITY_REPORT_DIR.get() / resolve_target(target).name


def failing_rows(failed: list) -> dict[str, Any]:
    """Example unexpected rows per failed expectation, kept in the evaluation itself (the report folder holds
    only the latest run)."""
    return {e.check: {"unexpected": e.unexpected_count, "of": e.element_count,
                      "examples": e.examples[:SHOWN_EXAMPLES]} for e in failed[:20]}


def _run_suites(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[AssetCheckResult]:
    from expectations.runner import run_quality

    wanted = [key.name.removeprefix("gx_") for key in context.selected_asset_check_keys]
    run = run_quality(warehouse.target, wanted, report_dir(warehouse.target))
    for result in run.suites:
        spec = SUITES[result.suite]
        failed = result.failed_checks
        yield AssetCheckResult(
            asset_key=owner_key(spec.table), check_name=f"gx_{result.suite}", passed=result.success,
            severity=AssetCheckSeverity.ERROR if spec.severity == "critical" else AssetCheckSeverity.WARN,
            metadata={"status": result.status, "severity": spec.severity, "rows_validated": result.rows_validated,
                      "failed_expectations": MetadataValue.md("\n".join(
                          f"- {e.check}: {e.unexpected_count} unexpected" for e in failed[:20]) or "none"),
                      "failing_rows": MetadataValue.json(failing_rows(failed)),
                      "report": MetadataValue.path(run.index_path),
                      "suite_page": MetadataValue.path(result.report_path or run.index_path)})


@multi_asset_check(specs=RAW_SPECS, can_subset=True, pool=WAREHOUSE_POOL, name="gx_raw_suites",
                   description="Great Expectations suites on the raw tables a load wrote (critical ones block dbt).")
def gx_raw_suites(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[AssetCheckResult]:
    yield from _run_suites(context, warehouse)


@multi_asset_check(specs=MODEL_SPECS, can_subset=True, pool=WAREHOUSE_POOL, name="gx_model_suites",
                   description="Great Expectations suites on the dbt models a run built (after its dbt build).")
def gx_model_suites(context: AssetCheckExecutionContext, warehouse: WarehouseResource) -> Iterator[AssetCheckResult]:
    failed = []
    for result in _run_suites(context, warehouse):
        yield result
        if not result.passed and result.severity == AssetCheckSeverity.ERROR:
            failed.append(result.check_name)
    if failed:
        raise Failure(description=f"critical quality suite(s) failed: {', '.join(failed)} (see each check's "
                                  "`report`; the models were built, nothing downstream of this run was blocked)")
