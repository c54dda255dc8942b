"""dbt subprocesses must see the same resolved target as the loaders (absolute DuckDB path, target name)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from core.dbt_runner import dbt_env


@contextmanager
def dbt_target_env(target: str | None, extra: dict[str, str] | None = None) -> Iterator[None]:
    """dagster-dbt copies os.environ into the dbt process; patch it only while that process starts."""
    saved = dict(os.environ)
    os.environ.update(dbt_env(target, extra))
    # Dagster splits a dbt multi-asset into steps around blocking checks (e.g. the FastF1 import job builds
    # dim_sessions before fct_laps); dbt's default eager selection would then run the fct_laps -> dim_sessions
    # relationships test before fct_laps exists. `buildable` runs a test once all its parents are built.
    os.environ.setdefault("DBT_INDIRECT_SELECTION", "buildable")
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
