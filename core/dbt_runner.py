"""Run dbt against the same target the loaders write to, with tracking off.

dbt runs as a child process that dies with its parent: on Linux the child asks the kernel for SIGKILL
when its parent goes (`prctl(PR_SET_PDEATHSIG)`), so a `lapstack build` killed with -9 (OOM killer,
`kill -9`, a cancelled Dagster run) never leaves dbt running and holding the DuckDB write lock.
Why not dbt's in-process `dbtRunner`: dbt keeps global state (flags, adapters, logging) per process and is
documented as not safe to invoke repeatedly or concurrently in one process, and its output would no
longer be separate from the CLI's; a subprocess keeps each build isolated and its output captured.

One profile resolution (issue 15): dbt re-parses the whole project ("Unable to do partial parsing because
profile has changed" / "... config target have changed") when the rendered connection values or the
`--target` / `--vars` arguments differ from the previous invocation's. So every entry point (plain
`dbt build --project-dir dbt_project --profiles-dir .`, `lapstack build`, Dagster's dbt steps) must hand dbt
the same environment: the target travels in LAPSTACK_TARGET, never as `--target`, and the DuckDB path is
left exactly as the user set it (or as profiles.yml's default renders it) unless dbt could not find the file
from the folder it runs in (Dagster starts dbt inside dbt_project/, where `dbt_project/warehouse` links to
the repo's `warehouse/`).
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


def same_from_both_folders(path: str) -> bool:
    """A DuckDB path dbt may receive as written: it names one file from the repo root (plain dbt, `lapstack
    build`) and from dbt_project/ (the folder dagster-dbt starts dbt in)."""
    candidate = Path(path).expanduser()
    if candidate.is_absolute():
        return True
    return (PROJECT_ROOT / candidate).resolve() == (DBT_PROJECT_DIR / candidate).resolve()


def dbt_env(target: str | None = None, extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of every dbt process lapstack or Dagster starts: the caller's, the tracking opt-outs,
    and the chosen target in LAPSTACK_TARGET. Values profiles.yml renders are changed only where dbt would
    otherwise open another file, so the profile dbt hashes for partial parsing is the one plain dbt sees.
    `extra` (e.g. the data-test scope, see scoped_tests_env) is read by dbt only while executing, never parsing."""
    env = dict(os.environ)
    env.update(extra or {})
    env.update(NO_TRACKING_ENV)
    resolved = resolve_target(target)
    env["LAPSTACK_TARGET"] = resolved.name
    given = env.get("LAPSTACK_DUCKDB_PATH", "")
    if resolved.kind == "duckdb" and given and not same_from_both_folders(given):
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
    """The target goes to dbt through LAPSTACK_TARGET (dbt_env), not `--target`: dbt hashes `--target` into its
    partial-parse state, so a `lapstack build --target duckdb` would otherwise force a full re-parse of the
    next plain `dbt build` and the one after it."""
    cmd = [dbt_executable(), *args, "--project-dir", str(DBT_PROJECT_DIR),
           "--profiles-dir", str(profiles_dir())]
    if vars_:
        cmd += ["--vars", json.dumps(vars_)]
    return cmd


# dbt's unit tests pin model logic on fixed inputs, the same verdict for every load: dbt recommends them in
# development and CI, not in production builds. `lapstack build` is the production path (load, then build), so
# it leaves them out like Dagster's dbt steps do (orchestration/dbt/build_config.py); the test suite and plain
# `dbt build` run them (issue 15: at 1,000 sessions they were 10-20 s of every incremental build).
NO_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]


def build_args(full_refresh: bool = False, selection: list[str] | None = None) -> list[str]:
    """The dbt arguments of `lapstack build` (the lap-path bench times the same, with its own selection)."""
    return ["build", *NO_UNIT_TESTS, *(["--full-refresh"] if full_refresh else []), *(selection or [])]


def scoped_tests_env(target: str | None = None, full_scope: bool = False) -> dict[str, str]:
    """LAPSTACK_TEST_SESSIONS for a build: the sessions it is about to rebuild (core.rebuilt_sessions), so its
    session-keyed data tests read those only; empty (every row) for a full refresh or a first build. Always
    set, so a value left in the caller's shell never narrows a build it does not describe."""
    from core.rebuilt_sessions import scope_env, sessions_to_rebuild
    from core.warehouse import connect

    if full_scope:
        return scope_env(None)
    wh = connect(target)
    try:
        return scope_env(sessions_to_rebuild(wh))
    finally:
        wh.close()


def run_dbt(args: list[str], target: str | None = None, vars_: dict | None = None,
            capture: bool = False, extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`dbt <args>` from the repo root; raises with dbt's own output when it fails."""
    return subprocess.run(_dbt_command(args, target, vars_), cwd=PROJECT_ROOT, env=dbt_env(target, extra_env),
                          check=False,
                          text=True, capture_output=capture, preexec_fn=die_with_parent())  # noqa: PLW1509


def stream_dbt(args: list[str], on_line: Callable[[str], None], target: str | None = None,
               extra_env: dict[str, str] | None = None) -> int:
    """`dbt <args>` like run_dbt, each output line (stdout and stderr) handed to `on_line` as dbt prints it:
    a caller can log it and follow the build's progress without waiting for dbt to exit."""
    with subprocess.Popen(_dbt_command(args, target, None), cwd=PROJECT_ROOT,  # noqa: S603
                          env=dbt_env(target, extra_env),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          preexec_fn=die_with_parent()) as proc:  # noqa: PLW1509
        assert proc.stdout is not None
        for line in proc.stdout:
            on_line(line.rstrip("\n"))
    return proc.returncode


def parse_verdict(log: Path) -> str:
    """dbt's word on parsing in the last invocation a dbt.log records (dbt appends to it): `skipped` (nothing
    changed), `partial` (changed files re-read), or why it parsed everything ("Unable to do partial parsing
    because profile has changed")."""
    text = log.read_text()
    last_run = text[text.rfind("Running with dbt="):]
    if "Unable to do partial parsing" in last_run:
        reason = last_run[last_run.rindex("Unable to do partial parsing"):]
        return reason.splitlines()[0].split('"')[0].rstrip(". ")
    if "Nothing changed, skipping partial parsing" in last_run:
        return "skipped"
    return "partial" if "Partial parsing enabled" in last_run else "no parse line in the log"
