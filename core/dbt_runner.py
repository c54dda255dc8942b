"""Run dbt against the same target the loaders write to, with tracking off.

dbt runs as a child process that dies with its parent: on Linux the child asks the kernel for SIGKILL
when its parent goes (`prctl(PR_SET_PDEATHSIG)`), so a `lapstack build` killed with -9 (OOM killer,
`kill -9`, a cancelled Dagster run) never leaves dbt running and holding the DuckDB write lock.
Why not dbt's in-process `dbtRunner`: dbt keeps global state (flags, adapters, logging) per process and is
documented as not safe to invoke repeatedly or concurrently in one process, and its output would no
longer be separate from the CLI's; a subprocess keeps each build isolated and its output captured.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from core.settings import DBT_PROJECT_DIR, NO_TRACKING_ENV, PROJECT_ROOT, profiles_dir, resolve_target

PR_SET_PDEATHSIG = 1


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


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` that makes the child get SIGKILL when this process dies (Linux); None elsewhere.

    libc is loaded here, in the parent, so the child between fork and exec only makes two system calls.
    If the parent already died before the request took effect, the child stops itself at once.
    """
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    parent = os.getpid()

    def request() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return request


def _dbt_command(args: list[str], target: str | None, vars_: dict | None) -> list[str]:
    cmd = [dbt_executable(), *args, "--project-dir", str(DBT_PROJECT_DIR),
           "--profiles-dir", str(profiles_dir())]
    if target:
        cmd += ["--target", target]
    if vars_:
        cmd += ["--vars", json.dumps(vars_)]
    return cmd


def run_dbt(args: list[str], target: str | None = None, vars_: dict | None = None,
            capture: bool = False) -> subprocess.CompletedProcess:
    """`dbt <args>` from the repo root; raises with dbt's own output when it fails."""
    return subprocess.run(_dbt_command(args, target, vars_), cwd=PROJECT_ROOT, env=dbt_env(target), check=False,
                          text=True, capture_output=capture, preexec_fn=die_with_parent())  # noqa: PLW1509


def stream_dbt(args: list[str], on_line: Callable[[str], None], target: str | None = None) -> int:
    """`dbt <args>` like run_dbt, each output line (stdout and stderr) handed to `on_line` as dbt prints it:
    a caller can log it and follow the build's progress without waiting for dbt to exit."""
    with subprocess.Popen(_dbt_command(args, target, None), cwd=PROJECT_ROOT, env=dbt_env(target),  # noqa: S603
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          preexec_fn=die_with_parent()) as proc:  # noqa: PLW1509
        assert proc.stdout is not None
        for line in proc.stdout:
            on_line(line.rstrip("\n"))
    return proc.returncode
