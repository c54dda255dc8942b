"""A module's own DuckDB warehouse: module-scoped fixtures that load and build once for many tests use it, so
their warehouse, dbt target and dbt logs never touch another module's (the function-scoped `duckdb_env` fixture
in conftest.py does the same per test)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def private_duckdb(tmp: Path) -> Iterator[pytest.MonkeyPatch]:
    """The loaders and dbt on `tmp/lapstack.duckdb` (dbt's target and logs under `tmp`) until the block ends;
    the monkeypatch is yielded for any further setting of the same scope."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAPSTACK_TARGET", "duckdb")
        mp.setenv("LAPSTACK_DUCKDB_PATH", str(tmp / "lapstack.duckdb"))
        mp.setenv("DBT_TARGET_PATH", str(tmp / "target"))
        mp.setenv("DBT_LOG_PATH", str(tmp / "logs"))
        yield mp
