"""Run dbt against the same target the loaders write to, with tracking off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from core.settings import DBT_PROJECT_DIR, NO_TRACKING_ENV, PROJECT_ROOT, profiles_dir, resolve_target


def dbt_env(target: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(NO_TRACKING_ENV)
    resolved = resolve_target(target)
    env["LAPSTACK_TARGET"] = resolved.name
    if resolved.kind == "duckdb":
        env["LAPSTACK_DUCKDB_PATH"] = resolved.config["path"]
    return env


def dbt_executable() -> str:
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(args: list[str], target: str | None = None, vars_: dict | None = None,
            capture: bool = False) -> subprocess.CompletedProcess:
    """`dbt <args>` from the repo root; raises with dbt's own output when it fails."""
    cmd = [dbt_executable(), *args, "--project-dir", str(DBT_PROJECT_DIR),
           "--profiles-dir", str(profiles_dir())]
    if target:
        cmd += ["--target", target]
    if vars_:
        cmd += ["--vars", json.dumps(vars_)]
    return subprocess.run(cmd, cwd=PROJECT_ROOT, env=dbt_env(target), check=False, text=True,
                          capture_output=capture)
