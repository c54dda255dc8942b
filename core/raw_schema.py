"""DDL of the `raw` schema, derived from the registry: original values as text, lineage on every row."""

from __future__ import annotations

import sys

from core.registry import RAW, REGISTRY, TELEMETRY_BATCH_LINEAGE, lap_tables
from core.warehouse import Warehouse

# Kept for the loaders and benches that address tables by name: table -> `(col type, ...)`.
LAP_TABLES: dict[str, str] = {table: REGISTRY.get(table).ddl() for table in lap_tables()}
__all__ = ["LAP_TABLES", "RAW", "SESSION_KEY_INDEX", "doubled_sessions", "ensure_raw_schema", "ensure_session_key",
           "migrate_telemetry_lineage"]

# One row per session in the registry: the unique index that makes a second concurrent insert fail.
SESSION_KEY_INDEX = "sessions__session_id_key"
_warned: set[tuple[str, str]] = set()  # (warehouse, session id) already named on stderr


def ensure_raw_schema(wh: Warehouse) -> None:
    """Create what is missing. Safe when several loaders start at once on an empty Postgres database:
    the DDL runs under one advisory lock (concurrent `create table if not exists` can otherwise fail on
    the catalog's own unique keys)."""
    if wh.kind == "postgres":
        with wh.transaction():
            wh.lock("ddl:raw")
            _create(wh)
    else:
        _create(wh)


def _create(wh: Warehouse) -> None:
    wh.execute(f"create schema if not exists {RAW}")
    for source in REGISTRY:
        wh.execute(f"create table if not exists {source.qualified} {source.ddl()}")
    if wh.kind == "postgres":
        # Supersede, delete and per-session reads filter on the session: without this every load of one
        # session scans the whole raw table. (DuckDB's zone maps serve the same purpose there.)
        for name in LAP_TABLES:
            wh.execute(f"create index if not exists {name}__session_idx on {RAW}.{name} (_session_id)")
    migrate_telemetry_lineage(wh)
    ensure_session_key(wh)


def migrate_telemetry_lineage(wh: Warehouse) -> list[str]:
    """An older warehouse's raw.telemetry still stores the per-batch lineage (file, format, load time) on every
    sample: drop those columns in place (their values are the batch's raw.load_batches row, which staging now
    joins on; only a re-lapped batch's rows kept their first load time, and now show the re-lap's). Returns the
    dropped columns.

    Why in place: without it every load of such a warehouse fails on the column count. Postgres tracks views
    on the columns, so the drop cascades to the dbt staging view, and DuckDB / Snowflake views over them stop
    binding: either way the next `lapstack build` / `dbt build` recreates it, and stderr says so once.
    """
    rows = wh.query("select lower(column_name) from information_schema.columns where lower(table_schema) = ? "
                    "and lower(table_name) = ?", (RAW, "telemetry"))
    present = {r[0] for r in rows}
    old = [name for name, _ in TELEMETRY_BATCH_LINEAGE if name in present]
    cascade = " cascade" if wh.kind == "postgres" else ""
    for name in old:
        wh.execute(f"alter table {RAW}.telemetry drop column {name}{cascade}")
    if old:
        print(f"lapstack: raw.telemetry migrated: dropped the per-sample {', '.join(old)} (each batch's file, "
              "format and load time are in raw.load_batches); run `lapstack build` (or `dbt build`) to recreate "
              "the staging view stg_lapstack__telemetry, which now joins them on", file=sys.stderr)
    return old


def _has_session_key(wh: Warehouse) -> bool:
    if wh.kind == "postgres":
        sql = "select count(*) from pg_indexes where schemaname = ? and indexname = ?"
    else:
        sql = "select count(*) from duckdb_indexes() where schema_name = ? and index_name = ?"
    return wh.query(sql, (RAW, SESSION_KEY_INDEX))[0][0] > 0


def doubled_sessions(wh: Warehouse) -> list[str]:
    """Session ids registered more than once (left by concurrent loads before the key existed)."""
    return [r[0] for r in wh.query(f"select session_id from {RAW}.sessions group by session_id "
                                   "having count(*) > 1 order by session_id")]


def ensure_session_key(wh: Warehouse) -> list[str]:
    """Unique key on raw.sessions(session_id) (DuckDB, Postgres; Snowflake does not enforce keys).

    An existing warehouse is migrated in place. If a session is already registered twice, the key cannot
    be created: the doubled ids are returned and named once on stderr with the repair
    (`lapstack delete session <id>`, then reload), and the key is created by that repair.
    """
    if wh.kind not in ("duckdb", "postgres") or _has_session_key(wh):
        return []
    doubled = doubled_sessions(wh)
    if doubled:
        where = str(wh.target.config.get("path") or wh.target.config.get("dbname") or wh.target.name)
        fresh = [d for d in doubled if (where, d) not in _warned]
        _warned.update((where, d) for d in doubled)
        if fresh:
            print(f"lapstack: warning: raw.sessions registers {len(doubled)} session(s) twice (concurrent loads "
                  f"before the session key existed): {', '.join(doubled)}. Repair each with `lapstack delete "
                  "session <id>`, then load its file again; `dbt build` fails until then.", file=sys.stderr)
        return doubled
    wh.execute(f"create unique index if not exists {SESSION_KEY_INDEX} on {RAW}.sessions (session_id)")
    return []
