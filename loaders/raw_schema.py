"""DDL of the `raw` schema: original values as text, plus lineage columns on every row."""

from __future__ import annotations

from loaders.fastf1 import tables as fastf1_api
from loaders.laps import ergast, fastf1_laps, gr_cup, lapstack_format
from loaders.telemetry.columns import TABLES as TELEMETRY_TABLES
from loaders.warehouse import Warehouse

RAW = "raw"
LINEAGE = ("_session_id varchar not null, _driver varchar not null, _batch_id varchar not null, "
           "_source_file varchar not null, _source_line integer not null, _loaded_at timestamp not null")


def _text_table(columns: list[str], typed: dict[str, str] | None = None) -> str:
    typed = typed or {}
    cols = ", ".join(f"{c} {typed.get(c, 'varchar')}" for c in columns)
    return f"({cols}, {LINEAGE})"


LAP_TABLES: dict[str, str] = {
    gr_cup.RAW_TABLE: _text_table(gr_cup.RAW_COLUMNS),
    fastf1_laps.RAW_TABLE: _text_table(fastf1_laps.RAW_COLUMNS),
    ergast.RAW_TABLE: _text_table(ergast.RAW_COLUMNS, {"_pit_in": "boolean", "_pit_out": "boolean"}),
    lapstack_format.RAW_TABLE: _text_table(lapstack_format.RAW_COLUMNS),
    fastf1_api.LAPS_TABLE: _text_table(fastf1_api.raw_columns(fastf1_api.LAPS_SOURCE_COLUMNS)),
}

# FastF1 API extracts other than laps, and the import log (see loaders/fastf1).
FASTF1_API_TABLES: dict[str, str] = {
    **{table: _text_table(fastf1_api.raw_columns(cols)) for table, cols in fastf1_api.EXTRACT_COLUMNS.values()},
    **fastf1_api.CONTROL_DDL,
}

CONTROL_TABLES: dict[str, str] = {
    # One row per load attempt that landed; superseded batches stay for the audit trail.
    "load_batches": ("(batch_id varchar not null, source_file varchar not null, source_sha256 varchar not null, "
                     "format varchar not null, session_count integer not null, row_count integer not null, "
                     "loaded_at timestamp not null, status varchar not null)"),
    # The recalculation trigger: any load, supersede or delete bumps a session's version, and the
    # incremental marts rebuild exactly the sessions whose version they have not seen.
    "sessions": ("(session_id varchar not null, series varchar not null, season integer, event varchar not null, "
                 "session_name varchar not null, source_format varchar not null, raw_table varchar not null, "
                 "batch_id varchar, source_file varchar, source_sha256 varchar, version integer not null, "
                 "is_deleted boolean not null, updated_at timestamp not null)"),
}


def ensure_raw_schema(wh: Warehouse) -> None:
    wh.execute(f"create schema if not exists {RAW}")
    for name, ddl in {**CONTROL_TABLES, **LAP_TABLES, **FASTF1_API_TABLES, **TELEMETRY_TABLES}.items():
        wh.execute(f"create table if not exists {RAW}.{name} {ddl}")
    if wh.kind == "postgres":
        # Supersede, delete and per-session reads filter on the session: without this every load of one
        # session scans the whole raw table. (DuckDB's zone maps serve the same purpose there.)
        for name in LAP_TABLES:
            wh.execute(f"create index if not exists {name}__session_idx on {RAW}.{name} (_session_id)")
