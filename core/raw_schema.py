"""DDL of the `raw` schema, derived from the registry: original values as text, lineage on every row."""

from __future__ import annotations

from core.registry import RAW, REGISTRY, lap_tables
from core.warehouse import Warehouse

# Kept for the loaders and benches that address tables by name: table -> `(col type, ...)`.
LAP_TABLES: dict[str, str] = {table: REGISTRY.get(table).ddl() for table in lap_tables()}
__all__ = ["LAP_TABLES", "RAW", "ensure_raw_schema"]


def ensure_raw_schema(wh: Warehouse) -> None:
    wh.execute(f"create schema if not exists {RAW}")
    for source in REGISTRY:
        wh.execute(f"create table if not exists {source.qualified} {source.ddl()}")
    if wh.kind == "postgres":
        # Supersede, delete and per-session reads filter on the session: without this every load of one
        # session scans the whole raw table. (DuckDB's zone maps serve the same purpose there.)
        for name in LAP_TABLES:
            wh.execute(f"create index if not exists {name}__session_idx on {RAW}.{name} (_session_id)")
