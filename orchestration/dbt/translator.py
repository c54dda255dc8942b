"""Asset keys and groups for dbt nodes; dbt sources resolve to the loader assets that write them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from dagster import AssetDep, AssetKey, AssetSpec, FreshnessPolicy
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtProject

from core.registry import REGISTRY

# dbt source name -> the loader asset that lands its tables, from the registry (several sources share one loader).
SOURCE_LOADERS: dict[str, AssetKey] = {}
for _source in REGISTRY:
    SOURCE_LOADERS.setdefault(_source.dbt_source, AssetKey(list(_source.dagster_asset)))
# Source tables written by more than one loader: a dbt source maps to one asset key, the others become deps.
# raw.sessions is the registry both the lap loaders and the FastF1 import write, so dim_sessions must wait for
# either (else a FastF1 import run builds the session marts from the registry as it was before the import).
SHARED_SOURCE_WRITERS: dict[str, list[AssetKey]] = {
    f"{s.dbt_source}.{s.table}": [AssetKey(list(k)) for k in s.extra_writers] for s in REGISTRY if s.extra_writers
}
TIME_MART_FOLDER = "telemetry"
# Session marts follow race weekends; time marts are rebuilt nightly by a schedule.
SESSION_MART_FRESHNESS = FreshnessPolicy.time_window(fail_window=timedelta(days=8), warn_window=timedelta(days=4))
TIME_MART_FRESHNESS = FreshnessPolicy.time_window(fail_window=timedelta(hours=50), warn_window=timedelta(hours=26))


def source_loader_key(props: Mapping[str, Any]) -> AssetKey:
    return SOURCE_LOADERS.get(props["source_name"], AssetKey(["raw", props["name"]]))


def layer(props: Mapping[str, Any]) -> str:
    """staging | intermediate | marts, from the model's folder (fqn = [project, folder, ..., name])."""
    fqn = props.get("fqn", [])
    return fqn[1] if len(fqn) > 2 else "marts"


def is_time_mart(props: Mapping[str, Any]) -> bool:
    fqn = props.get("fqn", [])
    return layer(props) == "marts" and TIME_MART_FOLDER in fqn[2:-1]


def extra_writer_deps(manifest: Mapping[str, Any], props: Mapping[str, Any]) -> list[AssetKey]:
    """The other loaders writing the shared source tables this model reads."""
    if props["resource_type"] != "model":
        return []
    keys: list[AssetKey] = []
    for node in props.get("depends_on", {}).get("nodes", []):
        source = manifest.get("sources", {}).get(node)
        if source is not None:
            keys += SHARED_SOURCE_WRITERS.get(f"{source['source_name']}.{source['name']}", [])
    return keys


class LapstackTranslator(DagsterDbtTranslator):
    """Keys are [schema, model]; groups follow the jaffle-shop folders; marts carry freshness policies."""

    def __init__(self) -> None:
        super().__init__(DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True,
                                                      enable_asset_checks=True))

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return source_loader_key(dbt_resource_props)
        schema = "marts" if layer(dbt_resource_props) == "marts" else "staging"
        return AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw_loads"
        if layer(dbt_resource_props) != "marts":
            return "staging"
        return "time_marts" if is_time_mart(dbt_resource_props) else "session_marts"

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        extra = extra_writer_deps(manifest, props)
        if extra:
            spec = spec.merge_attributes(deps=[AssetDep(key) for key in extra])
        if props["resource_type"] != "model" or layer(props) != "marts":
            return spec
        policy = TIME_MART_FRESHNESS if is_time_mart(props) else SESSION_MART_FRESHNESS
        return spec.replace_attributes(freshness_policy=policy)
