"""Bounded reads from DuckDB for GX's pandas path: only the suite's columns, one chunk of partitions at a time.

GX's SQLAlchemy path on DuckDB reports success=False silently, so DuckDB data reaches GX as pandas frames.
A frame never holds more than about `chunk_rows` rows (unless one partition alone is larger), so
telemetry tables of tens of millions of rows are validated without being loaded whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from expectations.spec import SuiteSpec


class DuckDBReader:
    """A read-only connection, so quality runs never block or race a loader holding the write lock."""

    def __init__(self, path: str | Path):
        import duckdb

        if not Path(path).exists():
            raise FileNotFoundError(f"DuckDB warehouse {path} does not exist: load data first (lapstack demo)")
        self._conn = duckdb.connect(str(path), read_only=True)

    def close(self) -> None:
        self._conn.close()

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self._conn.execute(sql, list(params)).fetchall()

    def existing(self, tables: Sequence[str]) -> set[str]:
        found = {f"{s}.{t}".lower() for s, t in self._rows(
            "select table_schema, table_name from information_schema.tables")}
        return {t for t in tables if t.lower() in found}

    def frame(self, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        return self._conn.execute(sql, list(params)).df()

    def chunks(self, spec: SuiteSpec) -> Iterator[pd.DataFrame]:
        """Whole (aggregate or small) query when unpartitioned; else groups of whole partitions."""
        query = spec.sql()
        if not spec.partition_by:
            yield self.frame(query)
            return
        part = spec.partition_by
        sizes = self._rows(f"select {part}, count(*) from ({query}) as q group by {part} order by {part}")
        if not sizes:
            yield self.frame(f"select * from ({query}) as q where 1 = 0")
            return
        for group in _group(sizes, spec.chunk_rows):
            marks = ", ".join("?" for _ in group)
            yield self.frame(f"select * from ({query}) as q where q.{part} in ({marks})", group)


def _group(sizes: list[tuple[Any, int]], limit: int) -> Iterator[list[Any]]:
    """Consecutive partitions packed into chunks of at most `limit` rows (a bigger partition goes alone)."""
    group: list[Any] = []
    total = 0
    for key, count in sizes:
        if group and total + count > limit:
            yield group
            group, total = [], 0
        group.append(key)
        total += count
    if group:
        yield group
