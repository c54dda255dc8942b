"""Every dbt model (staging -> intermediate -> session marts, and the telemetry marts) as ONE dbt_assets
definition, so a run makes one `dbt build` of what it selected (issue 15).

A lap run selects the lap path's models and the telemetry marts downstream of the laps: as two definitions
that was two dbt invocations, each paying dbt's start-up, profile and partial parse, and the adapter's
connection. One multi-asset is subset by Dagster to the run's selection (dagster-dbt turns the selected asset
keys and checks into dbt's `--select`), so the telemetry schedule, the FastF1 import and a UI materialisation
of one model each still build only what they select.
"""

from collections.abc import Iterator
from typing import Any

from dagster import AssetExecutionContext, AssetKey, MetadataValue, Output
from dagster_dbt import DbtCliResource, dbt_assets

from core.raw_schema import ensure_raw_schema
from core.rebuilt_sessions import scope_env, sessions_to_rebuild
from orchestration import charts
from orchestration.dbt.build_config import DbtBuildConfig, dbt_args
from orchestration.dbt.invocation import dbt_events
from orchestration.dbt.project import dbt_project, manifest
from orchestration.dbt.table_metadata import table_metadata
from orchestration.dbt.translator import LapstackTranslator
from orchestration.resources import WarehouseResource
from orchestration.settings import WAREHOUSE_POOL

TELEMETRY_FOLDER = "models/marts/telemetry"
TELEMETRY_MARTS_GROUP = "telemetry_marts"  # the dbt folder marts/telemetry (LapstackTranslator's group)
CHART_MATRIX = AssetKey(["marts", "session_chart_matrix"])
SUMMARY = AssetKey(["marts", "session_summary"])
CHART_MARTS = {CHART_MATRIX, SUMMARY}


def _with_session_metadata(event: Output, key: AssetKey, rebuilt: list[str],
                           charts_md: charts.SessionMetadata | None, table_md: str | None) -> Output:
    """session_chart_matrix: the lap-time chart of every rebuilt session; session_summary: one entry per
    rebuilt session with all its report charts (`report <session_id>`). Both: the fastest drivers."""
    metadata: dict[str, Any] = {**event.metadata, "rebuilt_sessions": len(rebuilt)}
    if key in CHART_MARTS:
        metadata["fastest_drivers"] = MetadataValue.md(table_md or "")
        metadata["rebuilt_session_ids"] = MetadataValue.json(rebuilt[:200])
    if key == CHART_MATRIX:
        metadata["lap_time_chart"] = MetadataValue.md(charts_md.lap_time_chart if charts_md else "")
    if key == SUMMARY and charts_md:
        for sid, md in charts_md.reports.items():
            metadata[f"report {sid}"] = MetadataValue.md(md)
    return event.with_metadata(metadata)


def builds_session_models(context: AssetExecutionContext) -> bool:
    """Whether the step builds a model outside the telemetry marts (staging, intermediate, session marts);
    False for a run of checks alone."""
    specs = context.assets_def.specs_by_key
    return any(specs[key].group_name != TELEMETRY_MARTS_GROUP for key in context.selected_asset_keys)


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=LapstackTranslator(),
    name="dbt_models",
    pool=WAREHOUSE_POOL,
)
def dbt_models(context: AssetExecutionContext, config: DbtBuildConfig, dbt: DbtCliResource,
               warehouse: WarehouseResource) -> Iterator[Any]:
    """One `dbt build` of the selected models; session marts rebuild only sessions whose version changed, the
    telemetry marts their lookback (or the config's window). Every table carries its row count and column
    types, fetched for all models at once after dbt exits (orchestration.dbt.table_metadata).

    Charts are drawn after dbt exits: DuckDB admits one writer, and dbt holds the file while it runs.
    The data tests read only the sessions this build rebuilds (core.rebuilt_sessions, issue 15), as
    `lapstack build` does, when the step builds session models; a step of the telemetry marts alone (the
    telemetry load, the nightly schedule) tests every row as before; so does a run of checks alone
    (data_tests_full_job, the scheduled full scope).
    """
    with warehouse.connection() as wh:
        ensure_raw_schema(wh)  # every source table exists, even for a loader that has not run yet
        before = charts.session_versions(wh)
        sessions = builds_session_models(context)
        scope = sessions_to_rebuild(wh) if sessions else None
    context.log.info("data tests: every row" if scope is None else f"data tests scoped to {len(scope)} rebuilt "
                     f"session(s): {', '.join(scope[:20])}")
    args = dbt_args(config)
    context.log.info(f"dbt {' '.join(args)}")
    held: list[tuple[Output, AssetKey]] = []
    for event in dbt_events(context, dbt, warehouse.target, args, extra_env=scope_env(scope)):
        if isinstance(event, Output):
            held.append((event, context.asset_key_for_output(event.output_name)))
        else:
            yield event  # a test's verdict as soon as dbt reports it
    nodes = manifest()
    with warehouse.connection() as wh:
        tables = table_metadata(wh, [nodes["nodes"][unique_id(event)] for event, _ in held],
                                nodes["metadata"]["adapter_type"])
        held = [(event.with_metadata({**event.metadata, **tables[unique_id(event)]}), key) for event, key in held]
    if not sessions:  # the telemetry marts alone (or checks alone): no session metadata
        yield from (event for event, _ in held)
        return
    with warehouse.connection() as wh:
        rebuilt = charts.rebuilt_sessions(before, charts.session_versions(wh))
        wants_chart = any(key in CHART_MARTS for _, key in held)
        if wants_chart:
            context.log.info(f"{charts.CHARTS_PLANNED} {len(rebuilt)}")
        chart_md = charts.session_metadata(
            wh, rebuilt, on_session=lambda sid: context.log.info(f"{charts.CHARTS_DRAWN} {sid}")
        ) if wants_chart else None
        table_md = charts.fastest_markdown(charts.fastest_drivers(wh, rebuilt)) if wants_chart else None
    context.log.info(f"dbt rebuilt {len(rebuilt)} session(s)")
    specs = context.assets_def.specs_by_key
    for event, key in held:
        telemetry = specs[key].group_name == TELEMETRY_MARTS_GROUP
        yield event if telemetry else _with_session_metadata(event, key, rebuilt, chart_md, table_md)


def unique_id(event: Output) -> str:
    """The dbt node an Output of dagster-dbt's stream materialises (its `unique_id` metadata)."""
    return event.metadata["unique_id"].value
