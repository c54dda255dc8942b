"""The code location's shape, snapshot-tested: asset keys and groups, checks, jobs and their steps, schedules,
sensors. A change to any of them shows up as a diff of tests/snapshots/dagster_definitions.json in review.

Refresh after an intended change (needs the dbt manifest: `make install` or `dbt parse`):

    PYTHONPATH=. .venv/bin/python -m tests.test_orchestration_definitions_snapshot
"""

from __future__ import annotations

import difflib
import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.orchestration_support import private_manifest_env

warnings.filterwarnings("ignore", category=Warning, module="dagster")
SNAPSHOT = Path(__file__).parent / "snapshots" / "dagster_definitions.json"
REFRESH = "PYTHONPATH=. .venv/bin/python -m tests.test_orchestration_definitions_snapshot"


@pytest.fixture(scope="module", autouse=True)
def orchestration_manifest(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield from private_manifest_env(tmp_path_factory)


def summary() -> dict[str, Any]:
    """A stable, sorted description of the Definitions (no paths, no timestamps)."""
    from dagster._core.execution.api import create_execution_plan

    from orchestration.definitions import build_definitions

    defs = build_definitions()
    graph = defs.resolve_asset_graph()
    assets = {}
    for key in sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string()):
        node = graph.get(key)
        partitions = node.partitions_def
        assets[key.to_user_string()] = {
            "group": node.group_name,
            "partitions": getattr(partitions, "name", None) or (type(partitions).__name__ if partitions else None),
            "upstream": sorted(k.to_user_string() for k in node.parent_keys),
            "checks": sorted(ck.name for ck in node.check_keys),
            "owners": sorted(node.owners),
        }
    jobs = {}
    for job in sorted(defs.resolve_all_job_defs(), key=lambda j: j.name):
        if job.name.startswith("__"):
            continue
        plan = create_execution_plan(job)
        jobs[job.name] = {"steps": [step.key for step in plan.get_all_steps_in_topo_order()]}
    schedules = {s.name: {"cron": s.cron_schedule, "job": s.job_name, "default_status": s.default_status.value}
                 for s in sorted(defs.schedules or [], key=lambda s: s.name)}
    sensors = {s.name: {"default_status": s.default_status.value,
                        "jobs": sorted(t.job_name for t in s.targets) if s.targets else []}
               for s in sorted(defs.sensors or [], key=lambda s: s.name)}
    return {"assets": assets, "jobs": jobs, "schedules": schedules, "sensors": sensors}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def test_definitions_match_snapshot() -> None:
    current = render(summary())
    committed = SNAPSHOT.read_text() if SNAPSHOT.exists() else ""
    if current != committed:
        diff = "".join(difflib.unified_diff(committed.splitlines(True), current.splitlines(True),
                                            "committed snapshot", "current definitions", n=1))
        pytest.fail(f"The Dagster definitions changed ({SNAPSHOT.relative_to(SNAPSHOT.parents[2])}). If intended, "
                    f"refresh the snapshot with `{REFRESH}` and commit it.\n{diff[:6000]}", pytrace=False)


def test_summary_names_are_meaningful() -> None:
    """No `_2` step splits, one name per concept, every dbt test check described."""
    data = json.loads(SNAPSHOT.read_text())
    steps = [step for job in data["jobs"].values() for step in job["steps"]]
    assert not [s for s in steps if s.rsplit("_", 1)[-1].isdigit()], steps
    assert {a["group"] for a in data["assets"].values()} == {"raw_loads", "staging", "session_marts",
                                                             "telemetry_marts", "exposures"}
    # Every dbt model and exposure names its owner (dbt meta / the exposure's owner), as Dagster shows it.
    dbt_assets = [a for a in data["assets"].values() if a["group"] != "raw_loads"]
    assert all(a["owners"] == ["maintainers@lapstack.invalid"] for a in dbt_assets)
    assert "telemetry_marts_job" in data["jobs"] and "telemetry_marts_nightly" in data["schedules"]
    # No island: every asset has an upstream or a downstream asset.
    downstream = {up for a in data["assets"].values() for up in a["upstream"]}
    assert not [k for k, a in data["assets"].items() if not a["upstream"] and k not in downstream]


def test_every_check_is_described() -> None:
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    undescribed = [str(ck) for ck in graph.asset_check_keys if not graph.get_check_spec(ck).description]
    assert undescribed == []
    spec = graph.get_check_spec(next(ck for ck in graph.asset_check_keys
                                     if ck.name == "not_null_dim_sessions_session_id"))
    assert spec.description.startswith("Column `session_id` of `dim_sessions` is never null")
    freshness = graph.get_check_spec(next(ck for ck in graph.asset_check_keys
                                          if ck.name == "dbt_source_freshness__gr_cup__gr_cup_laps"))
    assert freshness.asset_key.to_user_string() == "raw/lap_files"
    assert "by `_loaded_at`: warns after 4 day(s), fails after 8 day(s)" in freshness.description


def test_descriptions_are_docs_not_jinja() -> None:
    """A dbt asset's description is its docs text and its file, never dagster-dbt's un-compiled "Raw SQL"."""
    from orchestration.definitions import defs

    graph = defs.resolve_asset_graph()
    described = {k.to_user_string(): graph.get(k).description or "" for k in graph.get_all_asset_keys()
                 if k.path[0] in ("staging", "marts")}
    assert not [k for k, d in described.items() if "{{" in d or "Raw SQL" in d]
    assert described["marts/fct_laps"].startswith("One row per lap of every source")
    assert "`models/marts/core/fct_laps.sql`" in described["marts/fct_laps"]


if __name__ == "__main__":
    os.environ.setdefault("DO_NOT_TRACK", "1")
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(render(summary()))
    print(f"wrote {SNAPSHOT}")
