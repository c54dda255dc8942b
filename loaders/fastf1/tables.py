"""Raw tables of the FastF1 API extracts, as the registry declares them (original text plus lineage).

Pure constants (no fastf1 import), so the importer and the DDL stay cheap to load.
"""

from __future__ import annotations

from core.registry import FASTF1_API, REGISTRY

LAPS_SOURCE = REGISTRY.by_data_type("laps")
SOURCE_FORMAT = LAPS_SOURCE.source_format or "fastf1_api"
LAPS_TABLE = LAPS_SOURCE.table
# Same columns as a `laps.csv` export, so the staging model is the export's model on another source.
LAPS_SOURCE_COLUMNS = [c.origin for c in LAPS_SOURCE.columns]

# data type -> (raw table, FastF1 column names). Raw column = FastF1 name lower-cased.
EXTRACT_COLUMNS: dict[str, tuple[str, list[str]]] = {
    s.data_type: (s.table, [c.origin or c.name for c in s.columns])
    for s in REGISTRY.family(FASTF1_API) if s.data_type
}

# Every data type one session load yields, in the order they are extracted and reported.
DATA_TYPES: tuple[str, ...] = ("laps", *EXTRACT_COLUMNS)

# Types whose rows mean the session's timing feed exists at all; with none of them the session failed.
CORE_TYPES: tuple[str, ...] = ("laps", "weather", "race_control_messages", "session_status", "track_status")


def raw_columns(columns: list[str]) -> list[str]:
    return [c.lower() for c in columns]


def table_for(data_type: str) -> str:
    return REGISTRY.by_data_type(data_type).table
