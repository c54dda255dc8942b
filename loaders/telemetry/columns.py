"""The canonical lapstack telemetry columns: one shape for every source, typed at load time.

Raw lap files land as text because they are tiny; telemetry is tens of millions of rows, so it lands
typed (one cast at load, not one per dbt run) and every sample keeps its batch and line; the batch's
raw.load_batches row names the file (staging joins it back on).
"""

from __future__ import annotations

import pyarrow as pa

from core.registry import REGISTRY, TELEMETRY_CHANNELS

TELEMETRY = REGISTRY.get("telemetry")
LAP_EVENTS = REGISTRY.get("gr_cup_lap_events")
RAW_TABLE = TELEMETRY.table
LAP_EVENTS_TABLE = LAP_EVENTS.table

# The registry declares SQL types; loads build Arrow batches, so each SQL type has one Arrow type.
ARROW_TYPES: dict[str, pa.DataType] = {
    "double precision": pa.float64(), "integer": pa.int32(), "bigint": pa.int64(), "boolean": pa.bool_(),
    "varchar": pa.string(), "timestamp": pa.timestamp("us"),
}


def _base_type(sql_type: str) -> str:
    return sql_type.removesuffix(" not null")


# name -> (arrow type, SQL type, description). The order is the column order of raw.telemetry.
CHANNELS: dict[str, tuple[pa.DataType, str, str]] = {
    c.name: (ARROW_TYPES[c.sql_type], c.sql_type, c.description) for c in TELEMETRY_CHANNELS
}

# Every raw.telemetry column in table order, with its arrow type.
SCHEMA = pa.schema([(c.name, ARROW_TYPES[_base_type(c.sql_type)]) for c in TELEMETRY.columns])
SQL_TYPES = {c.name: c.sql_type for c in TELEMETRY.columns}
TELEMETRY_DDL = TELEMETRY.ddl()

# Columns a lapstack-format telemetry file (Parquet or CSV) may carry; `driver` and `sample_time`
# are required, every other channel is optional and unknown columns are refused.
CANONICAL_REQUIRED = ("driver", "sample_time")
CANONICAL_OPTIONAL = tuple(c for c in CHANNELS if c != "source_lap") + ("source_lap",)

LAP_EVENT_COLUMNS = LAP_EVENTS.column_names
LAP_EVENTS_DDL = LAP_EVENTS.ddl()

TABLES: dict[str, str] = {RAW_TABLE: TELEMETRY_DDL, LAP_EVENTS_TABLE: LAP_EVENTS_DDL}
