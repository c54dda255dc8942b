"""`dbt source freshness` as asset checks on the loader assets that write the sources (issue 16).

Every dbt source that declares `loaded_at_field` (or `loaded_at_query`) and a freshness window gets one check,
`dbt_source_freshness__<source>__<table>`, on the asset the translator maps the source to. One step runs one
`dbt source freshness` for the selected checks and reports dbt's own verdict (pass / warn / error) with its
figures. The checks are not part of the load jobs (a table a run has just loaded is fresh by construction and
the extra dbt start-up would cost every load); `source_freshness_job` runs them, from the UI or its schedule.
"""

from collections.abc import Iterator, Mapping
from typing import Any

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetsDefinition,
    MetadataValue,
    multi_asset_check,
)
from dagster_dbt import DbtCliResource

from orchestration.dbt.env import dbt_target_env
from orchestration.dbt.invocation import release_adapter, share_partial_parse
from orchestration.dbt.translator import source_loader_key
from orchestration.resources import WarehouseResource
from orchestration.settings import WAREHOUSE_POOL

CHECK_PREFIX = "dbt_source_freshness"


def _window(freshness: Mapping[str, Any] | None, which: str) -> str | None:
    after = (freshness or {}).get(which) or {}
    return f"{after['count']} {after['period']}(s)" if after.get("count") and after.get("period") else None


def declared_sources(manifest: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """unique_id -> source for the sources dbt can measure: a loaded-at field or query and a window."""
    found = {}
    for uid, source in manifest.get("sources", {}).items():
        config = source.get("config") or {}
        loaded_at = (source.get("loaded_at_field") or config.get("loaded_at_field")
                     or source.get("loaded_at_query") or config.get("loaded_at_query"))
        freshness = source.get("freshness") or config.get("freshness")
        if loaded_at and (_window(freshness, "warn_after") or _window(freshness, "error_after")):
            found[uid] = source
    return found


def check_name(source: Mapping[str, Any]) -> str:
    return f"{CHECK_PREFIX}__{source['source_name']}__{source['name']}"


def _spec(source: Mapping[str, Any]) -> AssetCheckSpec:
    freshness = source.get("freshness") or (source.get("config") or {}).get("freshness")
    windows = ", ".join(f"{label} after {w}" for label, w in (("warns", _window(freshness, "warn_after")),
                                                              ("fails", _window(freshness, "error_after"))) if w)
    field = source.get("loaded_at_field") or (source.get("config") or {}).get("loaded_at_field") or "its query"
    return AssetCheckSpec(
        name=check_name(source), asset=source_loader_key(source),
        description=f"dbt source freshness of `{source['source_name']}.{source['name']}` by `{field}`: {windows} "
                    "(same as `dbt source freshness`).")


def freshness_results(context: AssetCheckExecutionContext, dbt: DbtCliResource, target: str | None,
                      sources: Mapping[str, Mapping[str, Any]]) -> Iterator[AssetCheckResult]:
    """One `dbt source freshness` over the selected sources; one check result per source from sources.json."""
    # One selector string: dagster-dbt takes only the token after `--select` as the runtime selection, so a
    # list of separate tokens would reach dbt as stray positional arguments.
    args = ["source", "freshness", "--select",
            " ".join(f"source:{s['source_name']}.{s['name']}" for s in sources.values())]
    with dbt_target_env(target):
        invocation = dbt.cli(args, raise_on_error=False)
    invocation.wait()
    release_adapter(invocation)
    share_partial_parse(invocation, args)
    results = {r["unique_id"]: r for r in invocation.get_artifact("sources.json").get("results", [])}
    for uid, source in sources.items():
        result = results.get(uid, {"status": "runtime error", "error": "dbt reported no result"})
        status = result.get("status", "runtime error")
        age = result.get("max_loaded_at_time_ago_in_s")
        yield AssetCheckResult(
            asset_key=source_loader_key(source), check_name=check_name(source), passed=status == "pass",
            severity=AssetCheckSeverity.WARN if status in ("pass", "warn") else AssetCheckSeverity.ERROR,
            metadata={"status": status, "max_loaded_at": str(result.get("max_loaded_at")),
                      "snapshotted_at": str(result.get("snapshotted_at")),
                      "age_hours": MetadataValue.float(round(age / 3600, 3)) if age is not None else None,
                      "error": str(result.get("error") or "")})


def source_freshness_checks(manifest: Mapping[str, Any]) -> list[AssetsDefinition]:
    """The multi-asset check over every declared source; none when no source declares freshness."""
    sources = declared_sources(manifest)
    if not sources:
        return []
    by_name = {check_name(s): uid for uid, s in sources.items()}

    @multi_asset_check(specs=[_spec(s) for s in sources.values()], can_subset=True, pool=WAREHOUSE_POOL,
                       name=CHECK_PREFIX, description="`dbt source freshness` of the sources that declare it.")
    def dbt_source_freshness(context: AssetCheckExecutionContext, dbt: DbtCliResource,
                             warehouse: WarehouseResource) -> Iterator[AssetCheckResult]:
        selected = {by_name[key.name]: sources[by_name[key.name]] for key in context.selected_asset_check_keys}
        yield from freshness_results(context, dbt, warehouse.target, selected)

    return [dbt_source_freshness]


def freshness_check_keys(manifest: Mapping[str, Any]) -> list[AssetCheckKey]:
    return [AssetCheckKey(source_loader_key(s), check_name(s)) for s in declared_sources(manifest).values()]
