"""The canonical lapstack telemetry columns: one shape for every source, typed at load time.

Raw lap files land as text because they are tiny; telemetry is tens of millions of rows, so it lands
typed (one cast at load, not one per dbt run) and every sample keeps its file and line.
"""

from __future__ import annotations

import pyarrow as pa

RAW_TABLE = "telemetry"
LAP_EVENTS_TABLE = "gr_cup_lap_events"

# name -> (arrow type, SQL type, description). The order is the column order of raw.telemetry.
CHANNELS: dict[str, tuple[pa.DataType, str, str]] = {
    "session_time": (pa.float64(), "double precision", "seconds since the session clock started"),
    "lap_number": (pa.int32(), "integer", "lap the sample belongs to (from the warehouse laps)"),
    "source_lap": (pa.int32(), "integer", "lap counter written in the telemetry file itself, if any"),
    "speed": (pa.float64(), "double precision", "speed, km/h"),
    "rpm": (pa.float64(), "double precision", "engine speed, 1/min"),
    "gear": (pa.int32(), "integer", "gear engaged (0 = neutral)"),
    "throttle": (pa.float64(), "double precision", "throttle pedal, % (0-100)"),
    "brake": (pa.bool_(), "boolean", "brake pedal pressed (on/off signal)"),
    "drs": (pa.int32(), "integer", "DRS status code as broadcast (F1)"),
    "distance": (pa.float64(), "double precision", "distance along the lap, m"),
    "brake_pressure_front": (pa.float64(), "double precision", "front brake pressure, bar"),
    "brake_pressure_rear": (pa.float64(), "double precision", "rear brake pressure, bar"),
    "accel_x": (pa.float64(), "double precision", "longitudinal acceleration, g"),
    "accel_y": (pa.float64(), "double precision", "lateral acceleration, g"),
    "steering_angle": (pa.float64(), "double precision", "steering wheel angle, degrees"),
    "throttle_blade": (pa.float64(), "double precision", "throttle blade opening, %"),
    "latitude": (pa.float64(), "double precision", "GPS latitude, decimal degrees"),
    "longitude": (pa.float64(), "double precision", "GPS longitude, decimal degrees"),
}

# Every raw.telemetry column in table order, with its arrow type.
SCHEMA = pa.schema(
    [("_session_id", pa.string()), ("_driver", pa.string()), ("sample_time", pa.timestamp("us")),
     ("sample_seq", pa.int32())]
    + [(name, spec[0]) for name, spec in CHANNELS.items()]
    + [("ecu_time", pa.timestamp("us")), ("source_format", pa.string()), ("_batch_id", pa.string()),
       ("_source_file", pa.string()), ("_source_line", pa.int64()), ("_loaded_at", pa.timestamp("us"))]
)

SQL_TYPES = {
    "_session_id": "varchar not null", "_driver": "varchar not null", "sample_time": "timestamp not null",
    "sample_seq": "integer not null", "ecu_time": "timestamp", "source_format": "varchar not null",
    "_batch_id": "varchar not null", "_source_file": "varchar not null", "_source_line": "bigint not null",
    "_loaded_at": "timestamp not null",
    **{name: spec[1] for name, spec in CHANNELS.items()},
}

TELEMETRY_DDL = "(" + ", ".join(f"{f.name} {SQL_TYPES[f.name]}" for f in SCHEMA) + ")"

# Columns a lapstack-format telemetry file (Parquet or CSV) may carry; `driver` and `sample_time`
# are required, every other channel is optional and unknown columns are refused.
CANONICAL_REQUIRED = ("driver", "sample_time")
CANONICAL_OPTIONAL = tuple(c for c in CHANNELS if c != "source_lap") + ("source_lap",)

LAP_EVENT_COLUMNS = [
    "event_kind", "vehicle_id", "vehicle_number", "lap", "event_timestamp", "value", "meta_time",
    "meta_event", "meta_session", "meta_source", "outing", "original_vehicle_id", "expire_at",
]
LINEAGE = ("_session_id varchar not null, _driver varchar not null, _batch_id varchar not null, "
           "_source_file varchar not null, _source_line integer not null, _loaded_at timestamp not null")
LAP_EVENTS_DDL = "(" + ", ".join(f"{c} varchar" for c in LAP_EVENT_COLUMNS) + f", {LINEAGE})"

TABLES: dict[str, str] = {RAW_TABLE: TELEMETRY_DDL, LAP_EVENTS_TABLE: LAP_EVENTS_DDL}
