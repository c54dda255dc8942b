"""The dbt project and its manifest, built at set-up (`make install` runs `dbt parse`), never per load."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject

from core.dbt_runner import dbt_executable
from core.settings import DBT_PROJECT_DIR, LAPSTACK_DBT_MANIFEST_DIR, profiles_dir


def _dbt_on_path() -> None:
    """`make dev` runs .venv/bin/dagster without activating the venv; dagster-dbt's dev parse looks up `dbt`."""
    if shutil.which("dbt") is None:
        os.environ["PATH"] = os.pathsep.join([str(Path(dbt_executable()).parent), os.environ.get("PATH", "")])


_dbt_on_path()
dbt_project = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=profiles_dir(),
    target_path=LAPSTACK_DBT_MANIFEST_DIR.get(),
)
# `dagster dev` re-parses so a model edited during development shows up; deployments use the set-up manifest.
dbt_project.prepare_if_dev()

if not dbt_project.manifest_path.exists():
    raise FileNotFoundError(
        f"dbt manifest not found at {dbt_project.manifest_path}: run `make install` "
        "(or `dbt parse --project-dir dbt_project --profiles-dir .`) before loading the Dagster definitions")


def dbt_resource() -> DbtCliResource:
    """The dbt CLI on the one profiles.yml; every step starts it through orchestration.dbt.invocation."""
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(profiles_dir()), dbt_executable=dbt_executable())


def manifest() -> dict[str, Any]:
    """The parsed manifest the dbt assets load from (exposures are read from it too)."""
    return json.loads(dbt_project.manifest_path.read_text())
