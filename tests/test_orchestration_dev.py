"""`dagster dev` (what `make dev` starts) serves the code location on 127.0.0.1 and lists every asset."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core.dbt_runner import run_dbt
from core.settings import PROJECT_ROOT

QUERY = "{ assetNodes { assetKey { path } groupName } }"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", data=json.dumps({"query": query}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


@pytest.mark.slow
def test_dagster_dev_lists_every_asset(tmp_path: Path, duckdb_env: Path) -> None:
    target = tmp_path / "manifest"
    assert run_dbt(["parse", "--quiet", "--target-path", str(target), "--log-path", str(target)],
                   capture=True).returncode == 0
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "orchestration" / "dagster.yaml", home / "dagster.yaml")
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
                "telemetry_marts_nightly"} <= names
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode is not None
