"""`dagster dev` (what `make dev` starts) serves the code location on 127.0.0.1 and lists every asset; after a
real lap-path run and a source-freshness run recorded in its instance, the UI's GraphQL shows what dagster-dbt
attached (issue 16): row counts and column types read back against the warehouse itself, owners from dbt meta,
exposures downstream of the marts they read, and `dbt source freshness` as a check on the loader asset."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core.dbt_runner import run_dbt
from core.settings import PROJECT_ROOT
from tests.orchestration_support import stop_process_group

QUERY = "{ assetNodes { assetKey { path } groupName } }"
LAP_FILE = Path("gr_cup") / "barber" / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
ENTRIES = ("metadataEntries { label ... on IntMetadataEntry { intValue } ... on TextMetadataEntry { text } "
           "... on TableSchemaMetadataEntry { schema { columns { name type } } } }")
NODES = ("{ assetNodes(assetKeys: [%s]) { assetKey { path } owners { ... on UserAssetOwner { email } } "
         "dependedByKeys { path } assetMaterializations(limit: 1) { " + ENTRIES + " } } }")
FRESHNESS = ('{ assetCheckExecutions(assetKey: {path: ["raw", "lap_files"]}, '
             'checkName: "dbt_source_freshness__gr_cup__gr_cup_laps", limit: 1) { status evaluation { '
             + ENTRIES + " } } }")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def _entries(event: dict) -> dict:
    return {e["label"]: e for e in event["metadataEntries"]}


def record_real_runs(home: Path, data_dir: Path) -> None:
    """A real GR Cup file loaded, then the session marts' dbt build and `source_freshness_job` as Dagster runs
    recorded in `home` (the lap-path tests cover the loader and GX steps; here only dbt's metadata matters)."""
    from dagster import AssetSelection, DagsterInstance, materialize

    from commands.cli import main
    from orchestration.dbt.assets import TELEMETRY_MARTS_GROUP, dbt_models
    from orchestration.definitions import defs

    assert main(["load", "laps", str(data_dir / LAP_FILE)]) == 0
    instance = DagsterInstance.from_config(str(home))
    resources = {"dbt": defs.resources["dbt"], "warehouse": defs.resources["warehouse"]}
    session_models = AssetSelection.all() - AssetSelection.groups(TELEMETRY_MARTS_GROUP)
    assert materialize([dbt_models], selection=session_models, instance=instance, resources=resources).success
    assert defs.resolve_job_def("source_freshness_job").execute_in_process(instance=instance).success


def assert_dbt_metadata_served(port: int, db: Path) -> None:
    """Row counts and column types as the warehouse has them; owners, exposures and freshness as declared."""
    import duckdb

    keys = ", ".join(json.dumps({"path": k.split("/")}).replace('"path"', "path") for k in
                     ("marts/fct_laps", "marts/session_summary", "exposures/session_dashboard"))
    nodes = {"/".join(n["assetKey"]["path"]): n for n in _graphql(port, NODES % keys)["data"]["assetNodes"]}
    with duckdb.connect(str(db), read_only=True) as con:
        laps = con.execute("select count(*) from marts.fct_laps").fetchone()[0]
        types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                 "where table_schema = 'marts' and table_name = 'fct_laps'").fetchall())
        loaded_at = con.execute("select max(_loaded_at) from raw.gr_cup_laps").fetchone()[0]
    fct = _entries(nodes["marts/fct_laps"]["assetMaterializations"][0])
    assert laps > 0 and fct["dagster/row_count"]["intValue"] == laps
    columns = {c["name"]: c["type"] for c in fct["dagster/column_schema"]["schema"]["columns"]}
    assert columns == types and columns["session_id"] == "VARCHAR"
    for key in nodes:
        assert [o["email"] for o in nodes[key]["owners"]] == ["maintainers@lapstack.invalid"], key
    downstream = {"/".join(k["path"]) for k in nodes["marts/session_summary"]["dependedByKeys"]}
    assert {"exposures/session_dashboard", "exposures/dagster_session_metadata"} <= downstream
    execution = _graphql(port, FRESHNESS)["data"]["assetCheckExecutions"][0]
    assert execution["status"] == "SUCCEEDED"
    checked = _entries(execution["evaluation"])
    assert checked["status"]["text"] == "pass"
    measured = dt.datetime.fromisoformat(checked["max_loaded_at"]["text"])
    assert measured.replace(tzinfo=None) == loaded_at.replace(tzinfo=None)


@pytest.mark.slow
def test_dagster_dev_lists_every_asset(tmp_path: Path, duckdb_env: Path, data_dir: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "manifest"
    assert run_dbt(["parse", "--quiet", "--target-path", str(target), "--log-path", str(target)],
                   capture=True).returncode == 0
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    monkeypatch.setenv("LAPSTACK_QUALITY_REPORT_DIR", str(tmp_path / "quality"))
    monkeypatch.setenv("LAPSTACK_DBT_MANIFEST_DIR", str(target))
    record_real_runs(home, data_dir)
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "DO_NOT_TRACK": "1", "LAPSTACK_DBT_MANIFEST_DIR": str(target),
           "LAPSTACK_LANDING_DIR": str(tmp_path / "landing")}
    dagster = Path(sys.executable).parent / "dagster"
    proc = subprocess.Popen([str(dagster), "dev", "-h", "127.0.0.1", "-p", str(port)], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 150
        nodes = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"dagster dev exited early:\n{proc.stdout.read().decode()[-4000:]}")
            try:
                data = _graphql(port, QUERY)
                nodes = data.get("data", {}).get("assetNodes")
                if nodes:
                    break
            except OSError:
                pass
            time.sleep(2)
        assert nodes, "dagster dev did not serve the asset graph in time"
        from orchestration.definitions import defs

        expected = {"/".join(k.path) for k in defs.resolve_asset_graph().get_all_asset_keys()}
        listed = {"/".join(n["assetKey"]["path"]) for n in nodes}
        assert expected <= listed
        assert {"raw/lap_files", "raw/telemetry_files", "raw/fastf1_sessions", "marts/session_summary"} <= listed
        repos = _graphql(port, "{ repositoriesOrError { ... on RepositoryConnection { nodes { "
                               "sensors { name } schedules { name } } } } }")["data"]["repositoriesOrError"]["nodes"]
        names = {item["name"] for repo in repos for item in repo["sensors"] + repo["schedules"]}
        assert {"landing_folder_sensor", "fastf1_quota_sensor", "notify_run_failure", "fastf1_gap_refresh",
                "telemetry_marts_nightly", "source_freshness_hourly"} <= names
        assert_dbt_metadata_served(port, duckdb_env)
    finally:
        stop_process_group(proc)
    assert proc.returncode is not None
