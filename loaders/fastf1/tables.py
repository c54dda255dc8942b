"""Raw tables for FastF1 API extracts: original values as text plus the usual lineage columns.

Pure constants (no fastf1 import), so `loaders.raw_schema` can build the DDL cheaply.
"""

from __future__ import annotations

from loaders.laps import fastf1_laps

SOURCE_FORMAT = "fastf1_api"
LAPS_TABLE = "fastf1_api_laps"
# Same columns as a `laps.csv` export, so the staging model is the export's model on another source.
LAPS_SOURCE_COLUMNS = list(fastf1_laps.SOURCE_COLUMNS)

# data type -> (raw table, FastF1 column names). Raw column = FastF1 name lower-cased.
EXTRACT_COLUMNS: dict[str, tuple[str, list[str]]] = {
    "results": ("fastf1_api_results", [
        "DriverNumber", "BroadcastName", "Abbreviation", "DriverId", "TeamName", "TeamColor", "TeamId",
        "FirstName", "LastName", "FullName", "HeadshotUrl", "CountryCode", "Position", "ClassifiedPosition",
        "GridPosition", "Q1", "Q2", "Q3", "Time", "Status", "Points", "Laps"]),
    "weather": ("fastf1_api_weather", [
        "Time", "AirTemp", "Humidity", "Pressure", "Rainfall", "TrackTemp", "WindDirection", "WindSpeed"]),
    "race_control_messages": ("fastf1_api_race_control_messages", [
        "Time", "Category", "Message", "Status", "Flag", "Scope", "Sector", "RacingNumber", "Lap"]),
    "session_status": ("fastf1_api_session_status", ["Time", "Status"]),
    "track_status": ("fastf1_api_track_status", ["Time", "Status", "Message"]),
    "circuit_corners": ("fastf1_api_circuit_corners", ["X", "Y", "Number", "Letter", "Angle", "Distance"]),
    "circuit_marshal_lights": ("fastf1_api_circuit_marshal_lights",
                               ["X", "Y", "Number", "Letter", "Angle", "Distance"]),
    "circuit_marshal_sectors": ("fastf1_api_circuit_marshal_sectors",
                                ["X", "Y", "Number", "Letter", "Angle", "Distance"]),
    "circuit_rotation": ("fastf1_api_circuit_rotation", ["CircuitKey", "Rotation"]),
    "car_telemetry": ("fastf1_api_car_telemetry", [
        "Date", "SessionTime", "Time", "RPM", "Speed", "nGear", "Throttle", "Brake", "DRS", "Source"]),
}

# Every data type one session load yields, in the order they are extracted and reported.
DATA_TYPES: tuple[str, ...] = ("laps", *EXTRACT_COLUMNS)

# Types whose rows mean the session's timing feed exists at all; with none of them the session failed.
CORE_TYPES: tuple[str, ...] = ("laps", "weather", "race_control_messages", "session_status", "track_status")


def raw_columns(columns: list[str]) -> list[str]:
    return [c.lower() for c in columns]


def table_for(data_type: str) -> str:
    return LAPS_TABLE if data_type == "laps" else EXTRACT_COLUMNS[data_type][0]


CONTROL_DDL: dict[str, str] = {
    # One row per attempted session load: what came back, what it cost.
    "fastf1_api_import_log": (
        "(run_id varchar not null, session_id varchar not null, season integer not null, round_number integer, "
        "event varchar not null, session_name varchar not null, session_date timestamp, status varchar not null, "
        "api_calls integer not null, types_ok varchar, types_missing varchar, types_failed varchar, "
        "laps_note varchar, error varchar, started_at timestamp not null, finished_at timestamp not null)"),
    # One row per data type per attempt: ok | missing | failed | skipped, with its row count.
    "fastf1_api_import_types": (
        "(run_id varchar not null, session_id varchar not null, data_type varchar not null, "
        "status varchar not null, row_count integer not null, detail varchar)"),
}
