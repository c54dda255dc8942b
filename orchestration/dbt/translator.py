"""Asset keys and groups for dbt nodes; dbt sources resolve to the loader assets that write them."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from dagster import AssetCheckSpec, AssetDep, AssetKey, AssetSpec, FreshnessPolicy
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
TELEMETRY_MART_FOLDER = "telemetry"
# Marts are rebuilt by the loads (a landed file runs its path's dbt build), and loads follow race weekends:
# warn after 4 days, fail after 8. The telemetry marts get the same policy: their nightly schedule is off by
# default, so a policy of hours would fail on every default install although each load rebuilds them.
SESSION_MART_FRESHNESS = FreshnessPolicy.time_window(fail_window=timedelta(days=8), warn_window=timedelta(days=4))
TELEMETRY_MART_FRESHNESS = SESSION_MART_FRESHNESS


def source_loader_key(props: Mapping[str, Any]) -> AssetKey:
    """The loader writing the source's table: by the registry's table (one dbt source such as `ergast` holds
    tables of the lap loader and of the official loader), else by the source name."""
    try:
        return AssetKey(list(REGISTRY.get(props["name"]).dagster_asset))
    except KeyError:
        return SOURCE_LOADERS.get(props["source_name"], AssetKey(["raw", props["name"]]))


def layer(props: Mapping[str, Any]) -> str:
    """staging | intermediate | marts, from the model's folder (fqn = [project, folder, ..., name])."""
    fqn = props.get("fqn", [])
    return fqn[1] if len(fqn) > 2 else "marts"


def is_telemetry_mart(props: Mapping[str, Any]) -> bool:
    fqn = props.get("fqn", [])
    return layer(props) == "marts" and TELEMETRY_MART_FOLDER in fqn[2:-1]


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


def _ref_name(text: Any) -> str:
    """`{{ get_where_subquery(ref('fct_laps')) }}` / `ref('dim_sessions')` -> fct_laps / dim_sessions."""
    match = re.search(r"ref\(\s*['\"]([^'\"]+)['\"]", str(text or ""))
    return match.group(1) if match else str(text or "")


def test_description(test: Mapping[str, Any], model: str) -> str:
    """A dbt test's description, meta.description, or a sentence from its generic test and arguments."""
    meta = test.get("config", {}).get("meta") or test.get("meta") or {}
    given = test.get("description") or meta.get("description")
    if given:
        return given
    generic = test.get("test_metadata") or {}
    name, kwargs = generic.get("name"), generic.get("kwargs", {})
    column = kwargs.get("column_name") or test.get("column_name")
    subject = f"column `{column}` of `{model}`" if column else f"`{model}`"
    if name == "not_null":
        sentence = f"{subject} is never null"
    elif name == "unique":
        sentence = f"{subject} is unique"
    elif name == "accepted_values":
        values = ", ".join(map(str, kwargs.get("values", [])))
        sentence = f"{subject} only takes the values {values}"
    elif name == "relationships":
        sentence = (f"every `{column}` of `{model}` exists as `{kwargs.get('field')}` in "
                    f"`{_ref_name(kwargs.get('to'))}`")
    elif name == "accepted_range" and ("min_value" in kwargs or "max_value" in kwargs):
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        bound = (f"between {low} and {high}" if low is not None and high is not None
                 else f"at least {low}" if low is not None else f"at most {high}")
        sentence = f"{subject} is {bound}"
    elif name and "combination" in name and kwargs.get("columns"):
        sentence = f"({', '.join(kwargs['columns'])}) is unique in `{model}`"
    elif name:
        args = {k: v for k, v in kwargs.items() if k not in ("model", "column_name")}
        namespace = f"{generic['namespace']}." if generic.get("namespace") else ""
        sentence = f"dbt test {namespace}{name} on {subject}" + (f" ({json.dumps(args, default=str)})" if args else "")
    else:
        path = test.get("original_file_path") or test.get("path", "")
        sentence = f"singular dbt test `{test['name']}` on `{model}` ({path}): returns no rows"
    return sentence[0].upper() + sentence[1:] + " (dbt test, run by dbt build)."


def owners(props: Mapping[str, Any]) -> list[str] | None:
    """`meta.dagster.owners` (dbt_project.yml sets the project's, a model's yml may narrow it), else `meta.owner`,
    else the dbt group's owner email (dagster-dbt's default)."""
    meta = {**(props.get("meta") or {}), **((props.get("config") or {}).get("meta") or {})}
    given = (meta.get("dagster") or {}).get("owners") or meta.get("owner")
    if isinstance(given, str):
        return [given]
    return list(given) if given else None


def description(props: Mapping[str, Any]) -> str:
    """The dbt docs description (doc blocks already rendered by dbt) and where the model comes from, instead of
    dagster-dbt's default that appends the un-compiled Jinja as "Raw SQL"."""
    text = props.get("description") or f"dbt {props['resource_type']} {props['name']}"
    config = props.get("config") or {}
    how = config.get("materialized") or props["resource_type"]
    if config.get("unique_key"):
        how += f", unique key {config['unique_key']}"
    return f"{text}\n\ndbt {props['resource_type']} `{props['name']}` ({how}): `{props.get('original_file_path', '')}`"


class LapstackTranslator(DagsterDbtTranslator):
    """Keys are [schema, model]; groups follow the jaffle-shop folders; marts carry freshness policies; owners
    and descriptions come from dbt's meta and docs."""

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
        return "telemetry_marts" if is_telemetry_mart(dbt_resource_props) else "session_marts"

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> list[str] | None:
        return owners(dbt_resource_props) or super().get_owners(dbt_resource_props)

    def get_description(self, dbt_resource_props: Mapping[str, Any]) -> str:
        return description(dbt_resource_props)

    def get_asset_check_spec(self, asset_spec: AssetSpec, manifest: Mapping[str, Any], unique_id: str,
                             project: DbtProject | None) -> AssetCheckSpec | None:
        """dbt's test name stays the check's name (dagster-dbt reports results under it); the description
        says what the test asserts."""
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None:
            return None
        test = manifest["nodes"][unique_id]
        model = asset_spec.key.path[-1]
        return spec._replace(description=test_description(test, model))

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None) -> AssetSpec:
        spec = super().get_asset_spec(manifest, unique_id, project)
        props = self.get_resource_props(manifest, unique_id)
        extra = extra_writer_deps(manifest, props)
        if extra:
            spec = spec.merge_attributes(deps=[AssetDep(key) for key in extra])
        if props["resource_type"] != "model" or layer(props) != "marts":
            return spec
        policy = TELEMETRY_MART_FRESHNESS if is_telemetry_mart(props) else SESSION_MART_FRESHNESS
        return spec.replace_attributes(freshness_policy=policy)


EXPOSURE_GROUP = "exposures"


def exposure_specs(manifest: Mapping[str, Any], translator: LapstackTranslator) -> list[AssetSpec]:
    """dbt exposures (dashboards, notebooks, applications reading the marts) as external assets downstream of
    the models they read, so Dagster's lineage ends where the BI users are (dagster-dbt does not emit them)."""
    specs = []
    for exposure in manifest.get("exposures", {}).values():
        parents = [translator.get_asset_key(manifest["nodes"].get(uid) or manifest["sources"][uid])
                   for uid in exposure.get("depends_on", {}).get("nodes", [])]
        owner = (exposure.get("owner") or {}).get("email")
        url = f"\n\nOpens at {exposure['url']}" if exposure.get("url") else ""
        specs.append(AssetSpec(
            key=AssetKey([EXPOSURE_GROUP, exposure["name"]]), deps=parents, group_name=EXPOSURE_GROUP,
            description=(exposure.get("description") or exposure["name"]).strip() + url,
            owners=[owner] if owner else [], kinds={"dbt", str(exposure.get("type") or "exposure")},
            metadata={"dbt_exposure": exposure["unique_id"], "maturity": str(exposure.get("maturity") or "")},
        ))
    return specs
