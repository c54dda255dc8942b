"""The Dagster code location: definitions load, one connected lineage, the lap path materialised on real data."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pytest

from core.dbt_runner import run_dbt
from core.settings import DBT_PROJECT_DIR
from tests.orchestration_support import assert_lap_run_shows_charts_and_checks, private_manifest

warnings.filterwarnings("ignore", category=Warning, module="dagster")
LOADER_GROUP = "raw_loads"
TELEMETRY_MODELS = {p.stem for p in (DBT_PROJECT_DIR / "models" / "marts" / "telemetry").glob("*.sql")}
LOAD_PATH_JOBS = ("lap_path_job", "official_path_job", "telemetry_path_job", "fastf1_import_job")


@pytest.fixture(scope="session", autouse=True)
def orchestration_manifest(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = private_manifest(tmp_path_factory)
    os.environ["LAPSTACK_DBT_MANIFEST_DIR"] = str(target)
    return target


def _graph():
    from orchestration.definitions import defs

    return defs, defs.resolve_asset_graph()


def test_definitions_load_and_graph_is_connected() -> None:
    defs, graph = _graph()
    keys = graph.get_all_asset_keys()
    loaders = {k for k in keys if graph.get(k).group_name == LOADER_GROUP and graph.get(k).is_materializable}
    assert {k.to_user_string() for k in loaders} >= {"raw/lap_files"}
    marts = [k for k in keys if k.path[0] == "marts"]
    assert {"marts/session_summary", "marts/session_chart_matrix", "marts/fct_laps"} <= {
        k.to_user_string() for k in marts}
    for mart in marts:
        upstream = graph.upstream_key_iterator(mart)
        assert set(upstream) & loaders, f"{mart.to_user_string()} does not reach a loader asset"
    # Every dbt source resolves to a defined loader asset: no dangling external source assets. The only
    # external assets are the dbt exposures (BI dashboards, notebooks), downstream of the marts they read.
    external = [k for k in keys if not graph.get(k).is_materializable]
    assert sorted(k.to_user_string() for k in external if graph.get(k).group_name != "exposures") == []
    assert len(external) == 5 and all(graph.get(k).parent_keys <= set(marts) for k in external)
    for mart in marts:
        assert graph.get(mart).freshness_policy is not None, mart
    assert defs.resolve_sensor_def("landing_folder_sensor") is not None
    # dbt tests and GX suites are asset checks; critical GX suites block downstream assets.
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    assert ("marts/session_summary", "gx_marts__session_summary") in checks
    assert any(name.startswith("not_null_") for _, name in checks)
    from orchestration.quality.checks import SPECS

    # Critical raw suites block dbt; suites on models never split the dbt build (see orchestration.quality).
    blocking = {spec.name: spec.blocking for spec in SPECS}
    assert blocking["gx_marts__session_summary"] is False and blocking["gx_raw__gr_cup_laps"] is False
    assert "fails the run" in next(s.description for s in SPECS if s.name == "gx_marts__session_summary")


def test_each_load_path_run_is_one_dbt_step_in_one_process() -> None:
    """Issue 15: a load path's run makes one dbt invocation (one step of the one dbt multi-asset, which
    dagster-dbt subsets to the run's selection), and the lap, official and telemetry paths run their steps in
    the run worker's process (no Python start-up and definitions load per step)."""
    from dagster._core.execution.api import create_execution_plan

    from orchestration.dbt.assets import dbt_models

    defs, _ = _graph()
    dbt_ops = {dbt_models.op.name}
    for name in LOAD_PATH_JOBS:
        job = defs.resolve_job_def(name)
        steps = [step.key for step in create_execution_plan(job).get_all_steps_in_topo_order()]
        assert [s for s in steps if s in dbt_ops] == ["dbt_models"], (name, steps)
        # the telemetry marts downstream of the loader are in the same step, not a step of their own
        assert len(steps) == 4, (name, steps)
    for name in LOAD_PATH_JOBS[:3]:
        assert defs.resolve_job_def(name).executor_def.name == "in_process", name
    # the nightly schedule's window reaches the one dbt step's config
    from dagster import validate_run_config

    from orchestration.schedules import lookback_config

    config = {"ops": {"dbt_models": {"config": lookback_config()}}}
    assert validate_run_config(defs.resolve_job_def("telemetry_marts_job"), config)["ops"]["dbt_models"]


def _mart(db: Path, sql: str) -> list[tuple]:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql).fetchall()


MART_SQL = ("select session_id, fastest_lap_driver, round(fastest_lap_time, 3), total_laps, total_drivers "
            "from marts.session_summary order by session_id")
STATS_SQL = ("select session_id, driver, round(best_lap_time, 3), lap_count from marts.session_driver_stats "
             "order by session_id, driver")


def _files(data_dir: Path) -> list[Path]:
    gr = sorted((data_dir / "gr_cup").rglob("23_AnalysisEnduranceWithSections_*.CSV"))
    gr = [p for p in gr if "Samples" not in p.parts and "barber" in str(p).lower()]
    f1 = sorted((data_dir / "f1_2023_fastf1").glob("*/laps.csv"))[:2]
    assert len(gr) == 2 and len(f1) == 2
    return gr + f1


def test_lap_path_materialises_same_marts_as_cli(data_dir: Path, duckdb_env: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from dagster import DagsterInstance

    from orchestration.materialize import materialize_lap_path

    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    (tmp_path / "dagster_home").mkdir()
    files = _files(data_dir)
    result = materialize_lap_path(files, DagsterInstance.get())
    assert result.success

    # One run over the range, not one run per file.
    instance = DagsterInstance.get()
    assert len(instance.get_run_records()) == 1
    # One dbt step (no `dbt_models_2` split around blocking checks) and one dbt process: dagster-dbt gives
    # each invocation its own target folder, named after the step and the run.
    steps = {ev.step_key for ev in result.all_events if ev.step_key}
    assert steps == {"raw__lap_files", "gx_raw_suites", "dbt_models", "gx_model_suites"}
    invocations = sorted(Path(os.environ["DBT_TARGET_PATH"]).glob(f"dbt_models-{result.run_id[:7]}-*/run_results.json"))
    assert len(invocations) == 1, invocations
    built = json.loads(invocations[0].read_text())["results"]
    assert {"model.lapstack.session_summary", "model.lapstack.fct_laps"} <= {r["unique_id"] for r in built}
    assert any(r["unique_id"].split(".")[2] in TELEMETRY_MODELS for r in built)  # the telemetry marts too
    # data tests ran on the new rows; dbt's unit tests (fixed inputs) are left to CI and `lapstack build`
    assert any(r["unique_id"].startswith("test.") for r in built)
    assert not any(r["unique_id"].startswith("unit_test.") for r in built)
    lap_mat = result.asset_materializations_for_node("raw__lap_files")
    assert len(lap_mat) == len(files)  # a materialisation per partition of the range
    assert lap_mat[0].metadata["files_loaded"].value == 4

    summary = _mart(duckdb_env, MART_SQL)
    assert len(summary) == 4
    barber_r1 = [row for row in summary if row[0] == "gr_cup-2025-barber-race_1"]
    assert barber_r1 and barber_r1[0][1] == "13" and barber_r1[0][2] == pytest.approx(97.428, abs=1e-3)

    assert_lap_run_shows_charts_and_checks(result, 4, "| gr_cup-2025-barber-race_1 | 13 | 1:37.428 |")
    # Every rebuilt session (not the first few) gets its report charts on session_summary, downscaled.
    from dagster import AssetKey

    mats = {m.asset_key: m for m in result.asset_materializations_for_node("dbt_models")}
    reports = {k: v.value for k, v in mats[AssetKey(["marts", "session_summary"])].metadata.items()
               if k.startswith("report ")}
    assert len(reports) == 4, sorted(reports)
    barber_md = reports["report gr_cup-2025-barber-race_1"]
    assert barber_md.count("data:image/png;base64,") >= 4  # lap times, sectors, race trace, positions (+ stints)
    assert "Speed traces of the two best laps*: not available for this session" in barber_md
    assert sum(len(md) for md in reports.values()) < 8_000_000
    # Row counts and column types (two queries per run, orchestration.dbt.table_metadata) are the warehouse's:
    # every built table's count(*) and information_schema's types in table order; views carry no count.
    for key, mat in mats.items():
        relation = ".".join(key.path)
        if key.path[0] != "marts" or "dagster/row_count" not in mat.metadata:
            continue
        assert mat.metadata["dagster/row_count"].value == _mart(duckdb_env, f"select count(*) from {relation}")[0][0]
        assert [(c.name, c.type) for c in mat.metadata["dagster/column_schema"].value.columns] == _mart(
            duckdb_env, "select column_name, data_type from information_schema.columns where table_schema = 'marts' "
                        f"and table_name = '{key.path[1]}' order by ordinal_position")
    counted = {k.path[1] for k, m in mats.items() if "dagster/row_count" in m.metadata}
    assert {"fct_laps", "session_summary", "session_driver_stats"} <= counted
    assert not counted & {"stg_gr_cup__laps", "int_laps__unioned"}  # views: columns only, as dagster-dbt
    assert mats[AssetKey(["staging", "stg_gr_cup__laps"])].metadata["dagster/column_schema"].value.columns

    # The same files through the plain CLI path into a second warehouse give identical marts.
    cli_db = tmp_path / "cli" / "lapstack.duckdb"
    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(cli_db))
    from commands.cli import main

    assert main(["load", "laps", *map(str, files)]) == 0
    assert run_dbt(["run", "--quiet", "--select", "+session_summary", "+session_driver_stats"],
                   capture=True).returncode == 0
    assert _mart(cli_db, MART_SQL) == summary
    assert _mart(cli_db, STATS_SQL) == _mart(duckdb_env, STATS_SQL)
