"""One dbt invocation of a Dagster step, the way dagster-dbt means it to be used.

Every dbt asset step goes through `dbt_events`: the target's environment (orchestration.dbt.env), then
dagster-dbt's event stream as dbt emits it. Row counts and column types are attached by the step after dbt
exits, two queries for all models (orchestration.dbt.table_metadata) instead of dagster-dbt's per-model
`fetch_row_counts()` / `fetch_column_metadata()`, so the step needs no in-process dbt adapter
(LapstackDbtCliResource builds none). An adapter that was opened anyway is closed again here, else a later
step of the same process (in-process runs, `lapstack materialize`) could not open the DuckDB file for writing.

dbt's partial-parse state is shared with plain dbt and `lapstack build` (issue 15): dagster-dbt copies the
shared `partial_parse.msgpack` into each invocation's own target folder, and an invocation that had to
re-parse (a model changed) copies its new state back, so the next step or plain `dbt build` starts partial.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext
from dagster_dbt import DbtCliResource
from dagster_dbt.core.dbt_cli_invocation import DbtCliInvocation

from core.settings import DBT_PROJECT_DIR
from orchestration.dbt.env import dbt_target_env

PARTIAL_PARSE = "partial_parse.msgpack"


def shared_target_path() -> Path:
    """The target folder plain dbt and `lapstack build` write (DBT_TARGET_PATH, else dbt_project/target),
    which dagster-dbt also copies the partial-parse state from."""
    configured = Path(os.environ.get("DBT_TARGET_PATH") or "target")
    return configured if configured.is_absolute() else DBT_PROJECT_DIR / configured


def share_partial_parse(invocation: DbtCliInvocation, args: Sequence[str]) -> bool:
    """Copy a re-parsed state back to the shared target (atomically: runs may overlap). Not after `--vars`:
    dbt hashes cli vars into the state, so that state would make the next plain build re-parse."""
    produced = Path(invocation.target_path) / PARTIAL_PARSE
    shared = shared_target_path() / PARTIAL_PARSE
    if "--vars" in args or not produced.exists():
        return False
    if shared.exists() and shared.read_bytes() == produced.read_bytes():
        return False
    shared.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=shared.parent, prefix=".partial_parse.", delete=False) as tmp:
        shutil.copyfile(produced, tmp.name)
    os.replace(tmp.name, shared)
    return True


def release_adapter(invocation: DbtCliInvocation) -> None:
    """Close the connection dagster-dbt's in-process adapter opened to fetch row counts and columns."""
    adapter = invocation.adapter
    if adapter is None:
        return
    adapter.cleanup_connections()
    if adapter.type() == "duckdb":
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        env = DuckDBConnectionManager._ENV  # noqa: SLF001 - dbt-duckdb keeps the file open in this singleton
        if env is not None:
            env.close()
        DuckDBConnectionManager.close_all_connections()


def dbt_events(context: AssetExecutionContext, dbt: DbtCliResource, target: str | None,
               args: Sequence[str], extra_env: dict[str, str] | None = None) -> Iterator[Any]:
    """`dbt <args>` for this step's selection; its events as dbt emits them (a test's result while later models
    still build). `extra_env` goes to the dbt process only (e.g. LAPSTACK_TEST_SESSIONS, the data tests' scope)."""
    with dbt_target_env(target, extra_env):
        invocation = dbt.cli(list(args), context=context)
    try:
        yield from invocation.stream()
    finally:
        release_adapter(invocation)
        if share_partial_parse(invocation, args):
            context.log.info(f"dbt re-parsed; shared its partial-parse state in {shared_target_path()}")
