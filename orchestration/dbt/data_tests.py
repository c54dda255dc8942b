"""The dbt data tests of the session marts as Dagster asset checks: what the scheduled full-scope run selects.

Builds test only the sessions they rebuild (core.rebuilt_sessions, dbt_project/macros/test_scope.sql); a row
that went bad outside those sessions (a hand edit, a bug in a model since fixed) is found by this run, which
selects the checks alone, so dbt runs the tests with no scope and builds nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dagster import AssetCheckKey

from orchestration.dbt.assets import TELEMETRY_FOLDER
from orchestration.dbt.translator import LapstackTranslator


def data_test_check_keys(manifest: Mapping[str, Any]) -> list[AssetCheckKey]:
    """One check per dbt data test attached to a model outside marts/telemetry (dagster-dbt names a check
    after its test)."""
    translator = LapstackTranslator()
    nodes = manifest["nodes"]
    keys = []
    for props in nodes.values():
        model = nodes.get(props.get("attached_node") or "")
        if props["resource_type"] != "test" or model is None or model["resource_type"] != "model":
            continue
        if model["original_file_path"].startswith(TELEMETRY_FOLDER):
            continue
        keys.append(AssetCheckKey(translator.get_asset_key(model), props["name"]))
    return sorted(keys, key=lambda k: (k.asset_key.to_user_string(), k.name))
