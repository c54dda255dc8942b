"""The dbt project and its manifest, built at set-up (`make install` runs `dbt parse`), never per load."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
from functools import cached_property
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource, DbtProject
from packaging import version

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


class LapstackDbtCliResource(DbtCliResource):
    """dagster-dbt's dbt CLI resource without the two things it does in the run worker before dbt starts
    (issue 15: ~9 s of CPU per run on this project, on the critical path of every landed file):

    - `dbt --version` in a subprocess to learn whether the executable is dbt Core or Fusion: when the
      executable is this environment's own `dbt` (core.dbt_runner.dbt_executable), its version is the
      installed dbt-core package's, read from the package metadata;
    - an in-process dbt adapter (profile, project and dbt's macros loaded), which dagster-dbt uses only for
      `fetch_row_counts()` / `fetch_column_metadata()`: the dbt steps fetch both in two queries of their own
      (orchestration.dbt.table_metadata), so no step asks for the adapter.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable).resolve() == Path(dbt_executable()).resolve():
            return version.parse(importlib.metadata.version("dbt-core"))
        return super()._cli_version

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        return None


def dbt_resource() -> DbtCliResource:
    """The dbt CLI on the one profiles.yml; every step starts it through orchestration.dbt.invocation."""
    return LapstackDbtCliResource(project_dir=dbt_project, profiles_dir=str(profiles_dir()),
                                  dbt_executable=dbt_executable())


def manifest() -> dict[str, Any]:
    """The parsed manifest the dbt assets load from (exposures are read from it too)."""
    return json.loads(dbt_project.manifest_path.read_text())
