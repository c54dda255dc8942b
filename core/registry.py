"""The registry of raw sources: one declarative entry per `raw.<table>`.

Why: adding a source used to mean editing a dozen lists (DDL, detection, the dbt-source -> Dagster map,
the quality suites' table lists, the oracle converters), and the copies drifted. Every one of those is
now derived from the entries below, and `tests/test_registry.py` fails when a derived part (dbt source,
staging model, suite, oracle converter) is missing for a registered source.

Pure data: no lapstack import, no third-party import. Loaders read their columns and signatures here;
expectations and orchestration read table lists here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

RAW = "raw"

# Families decide what is derived: lap tables feed int_laps__unioned, the session index and the oracle.
LAPS = "laps"
CONTROL = "control"
FASTF1_API = "fastf1_api"
TELEMETRY = "telemetry"
OFFICIAL = "official"  # the official record beside the laps: results, best laps, weather, track status, standings

# Dagster asset keys of the loaders that write raw tables (orchestration turns them into AssetKeys).
LAP_FILES_ASSET = ("raw", "lap_files")
TELEMETRY_FILES_ASSET = ("raw", "telemetry_files")
FASTF1_SESSIONS_ASSET = ("raw", "fastf1_sessions")
OFFICIAL_FILES_ASSET = ("raw", "official_files")

LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_session_id", "varchar not null"), ("_driver", "varchar not null"), ("_batch_id", "varchar not null"),
    ("_source_file", "varchar not null"), ("_source_line", "integer not null"), ("_loaded_at", "timestamp not null"),
)


@dataclass(frozen=True)
class Column:
    """One raw column. `origin` is the header name in the source file where it differs from `name`."""

    name: str
    sql_type: str = "varchar"
    origin: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Signature:
    """How a file of one format is recognised from its header alone.

    Strict on purpose: `required` must all be present, `absent` must all be missing (an Ergast
    `pit_stops.csv` shares raceId/driverId/lap/milliseconds with `lap_times.csv`; `stop` and `duration`
    tell them apart). `alternatives` lists other required sets that also identify the format.
    """

    required: frozenset[str]
    absent: frozenset[str] = frozenset()
    alternatives: tuple[frozenset[str], ...] = ()
    delimiter: str | None = None  # None: any delimiter lapstack reads (; , tab |)
    case_sensitive: bool = True
    # Where two formats share a header (Ergast `results.csv` / `sprint_results.csv` differ by one column
    # that another dump may add), the file name decides too: regexes searched case-insensitively in the
    # name. A signature with a name rule never matches a header given without a file name.
    name_pattern: str | None = None
    name_absent: str | None = None

    def matches(self, header: Iterable[str], file_name: str | None = None) -> bool:
        names = {h.strip().strip('"').strip() for h in header}
        if not self.case_sensitive:
            names = {n.lower() for n in names}
        if names & self.absent:
            return False
        if self.name_pattern or self.name_absent:
            if file_name is None:
                return False
            if self.name_pattern and not re.search(self.name_pattern, file_name, re.I):
                return False
            if self.name_absent and re.search(self.name_absent, file_name, re.I):
                return False
        return any(req <= names for req in (self.required, *self.alternatives))


@dataclass(frozen=True)
class FileFormat:
    """A file format that lands in a raw table (`--format` name and its recognition signature)."""

    name: str
    signature: Signature | None  # None: chosen by file type (Parquet, JSON Lines), never by header
    description: str = ""
    parser: str | None = None  # module whose `parse(tf, format_name, overrides)` reads it (official files)


@dataclass(frozen=True)
class RawSource:
    """Everything lapstack needs to know about one raw table, in one place."""

    table: str
    family: str
    description: str
    columns: tuple[Column, ...]
    dbt_source: str
    dagster_asset: tuple[str, ...]
    staging_models: tuple[str, ...] = ()
    formats: tuple[FileFormat, ...] = ()
    source_format: str | None = None  # raw.sessions.source_format of sessions landed here (lap tables)
    lineage: bool = True
    suites: tuple[str, ...] = ()  # quality suites that read this table
    oracle: bool = False  # tests/oracle converts its rows independently of dbt
    raw_checks: tuple[tuple[str, str], ...] = ()  # (column, text kind) the raw suite checks; first = lap number
    extra_writers: tuple[tuple[str, ...], ...] = ()  # other loader assets writing this table
    data_type: str | None = None  # FastF1 data type (Session.<data_type>) for API extracts
    # Lineage that fits the table: `row_key` is the per-row key column (`_driver`, or e.g. `_constructor`
    # for constructor standings; None where rows have no such key, e.g. weather samples), and
    # `session_scoped` is False for season-level reference tables (Ergast drivers, status) with no session.
    row_key: str | None = "_driver"
    session_scoped: bool = True
    # Several files may hold the same session side by side (GR Cup provisional and official results):
    # both are kept raw and staging picks the authoritative one. Otherwise a second file for a session
    # already held is a conflict unless `--replace`.
    versioned: bool = False
    null_text: str | None = None  # the source's own null marker (Ergast `\N`), landed as SQL null
    raw_unique: tuple[str, ...] = ()  # with `_session_id` (if scoped): one raw row per key (official suites)

    @property
    def qualified(self) -> str:
        return f"{RAW}.{self.table}"

    @property
    def lineage_columns(self) -> list[tuple[str, str]]:
        if not self.lineage:
            return []
        cols = []
        for name, sql_type in LINEAGE_COLUMNS:
            if name == "_session_id" and not self.session_scoped:
                continue
            if name == "_driver":
                if self.row_key is None:
                    continue
                name = self.row_key
            cols.append((name, sql_type))
        return cols

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def ddl(self) -> str:
        """`(col type, ...)` for `create table`; every text source keeps its values as landed."""
        cols = [f"{c.name} {c.sql_type}" for c in self.columns]
        cols += [f"{name} {sql_type}" for name, sql_type in self.lineage_columns]
        return "(" + ", ".join(cols) + ")"


def _text(names: Sequence[str], typed: dict[str, str] | None = None) -> tuple[Column, ...]:
    typed = typed or {}
    return tuple(Column(n, typed.get(n, "varchar")) for n in names)


def _origin(origins: Sequence[str], renames: dict[str, str] | None = None) -> tuple[Column, ...]:
    """Columns named after the file's header: lower-cased, or renamed where a plain lower-case would clash."""
    renames = renames or {}
    return tuple(Column(renames.get(o, o.lower()), origin=o) for o in origins)


# --- lap timing ---------------------------------------------------------------------------------------

GR_CUP_ORIGINS = ["NUMBER", "DRIVER_NUMBER", "LAP_NUMBER", "LAP_TIME", "LAP_IMPROVEMENT",
                  "CROSSING_FINISH_LINE_IN_PIT", "S1", "S2", "S3", "S1_SECONDS", "S2_SECONDS", "S3_SECONDS", "KPH",
                  "ELAPSED", "HOUR", "TOP_SPEED", "PIT_TIME", "CLASS", "GROUP", "MANUFACTURER", "FLAG_AT_FL"]

FASTF1_LAP_ORIGINS = [
    "Time", "Driver", "DriverNumber", "LapTime", "LapNumber", "Stint", "PitOutTime", "PitInTime",
    "Sector1Time", "Sector2Time", "Sector3Time", "Sector1SessionTime", "Sector2SessionTime",
    "Sector3SessionTime", "SpeedI1", "SpeedI2", "SpeedFL", "SpeedST", "IsPersonalBest", "Compound",
    "TyreLife", "FreshTyre", "Team", "LapStartTime", "LapStartDate", "TrackStatus", "Position",
    "Deleted", "DeletedReason", "FastF1Generated", "IsAccurate",
]
FASTF1_LAP_CHECKS = (("lapnumber", "float_int"), ("laptime", "timedelta"), ("sector1time", "timedelta"),
                     ("sector2time", "timedelta"), ("sector3time", "timedelta"))

# Cross-layer checks that take their table lists from the registry (row counts, marts built from the latest load).
LAP_SUITES = ("layers__lap_row_counts", "freshness__lap_marts")

LAP_SOURCES: tuple[RawSource, ...] = (
    RawSource(
        table="gr_cup_laps", family=LAPS, source_format="gr_cup",
        description="Rows of a GR Cup / Al Kamel `23_AnalysisEnduranceWithSections_*.CSV`, one per lap, original "
                    "text; intermediate splits that differ by track go to `_extra` (JSON).",
        columns=(*_origin(GR_CUP_ORIGINS, {"GROUP": "group_name"}), Column("_extra")),
        formats=(FileFormat("gr_cup", Signature(
            required=frozenset({"NUMBER", "LAP_NUMBER", "LAP_TIME", "FLAG_AT_FL"}),
            alternatives=(frozenset({"NUMBER", "LAP_NUMBER", "S1", "S2", "S3"}),), delimiter=";"),
            "Al Kamel timing export: `;`-separated, every lap with sectors"),),
        dbt_source="gr_cup", dagster_asset=LAP_FILES_ASSET, staging_models=("stg_gr_cup__laps",),
        suites=("raw__gr_cup_laps", *LAP_SUITES), oracle=True,
        raw_checks=(("lap_number", "int"), ("lap_time", "clock"), ("s1_seconds", "number"),
                    ("s2_seconds", "number"), ("s3_seconds", "number"))),
    RawSource(
        table="fastf1_laps", family=LAPS, source_format="fastf1_laps",
        description="Rows of a FastF1 `laps.csv` export (pandas `to_csv`), original text.",
        columns=_origin(FASTF1_LAP_ORIGINS),
        formats=(FileFormat("fastf1_laps", Signature(
            required=frozenset({"Driver", "LapNumber", "LapTime"}), delimiter=","),
            "FastF1 `Laps` written with pandas `to_csv`"),),
        dbt_source="fastf1", dagster_asset=LAP_FILES_ASSET, staging_models=("stg_fastf1__laps",),
        suites=("raw__fastf1_laps", *LAP_SUITES), oracle=True, raw_checks=FASTF1_LAP_CHECKS),
    RawSource(
        table="ergast_lap_times", family=LAPS, source_format="ergast_lap_times",
        description="Rows of an Ergast `lap_times` dump (no sectors); `_pit_in`/`_pit_out` come from the "
                    "`pit_stops.csv` beside it.",
        columns=_text(["raceid", "driverid", "lap", "position", "time", "milliseconds", "_pit_in", "_pit_out"],
                      {"_pit_in": "boolean", "_pit_out": "boolean"}),
        formats=(FileFormat("ergast_lap_times", Signature(
            required=frozenset({"raceid", "driverid", "lap", "position", "milliseconds"}),
            absent=frozenset({"stop", "duration", "resultid", "qualifyid", "constructorid", "points"}),
            delimiter=",", case_sensitive=False),
            "Ergast-schema `lap_times.csv` (raceId, driverId, lap, position, time, milliseconds)"),),
        dbt_source="ergast", dagster_asset=LAP_FILES_ASSET, staging_models=("stg_ergast__lap_times",),
        suites=("raw__ergast_lap_times", *LAP_SUITES), oracle=True,
        raw_checks=(("lap", "int"), ("milliseconds", "int"))),
    RawSource(
        table="lapstack_laps", family=LAPS, source_format="lapstack",
        description="Rows of lapstack-format lap files (CSV or JSON Lines), original text.",
        columns=_text(["series", "season", "event", "session_name", "driver", "lap_number", "lap_time",
                       "sector_1_time", "sector_2_time", "sector_3_time", "is_pit_in_lap", "is_pit_out_lap",
                       "is_deleted", "flag", "lap_start_time"]),
        formats=(FileFormat("lapstack", Signature(required=frozenset({"driver", "lap_number", "lap_time"})),
                            "lapstack's own documented CSV / JSON Lines lap format"),),
        dbt_source="lapstack_files", dagster_asset=LAP_FILES_ASSET, staging_models=("stg_lapstack__laps",),
        suites=("raw__lapstack_laps", *LAP_SUITES), oracle=True,
        raw_checks=(("lap_number", "int"), ("lap_time", "clock"), ("sector_1_time", "clock"),
                    ("sector_2_time", "clock"), ("sector_3_time", "clock"))),
    RawSource(
        table="fastf1_api_laps", family=LAPS, source_format="fastf1_api",
        description="FastF1 `Session.laps` rows from the API, same columns as a `laps.csv` export.",
        columns=_origin(FASTF1_LAP_ORIGINS), data_type="laps",
        dbt_source="fastf1_api", dagster_asset=FASTF1_SESSIONS_ASSET, staging_models=("stg_fastf1_api__laps",),
        suites=("raw__fastf1_api_laps", *LAP_SUITES), oracle=True, raw_checks=FASTF1_LAP_CHECKS),
)

# --- control tables -----------------------------------------------------------------------------------

CONTROL_SOURCES: tuple[RawSource, ...] = (
    RawSource(
        table="load_batches", family=CONTROL, lineage=False,
        description="One row per landed file (batch); superseded batches stay for the audit trail.",
        columns=(Column("batch_id", "varchar not null"), Column("source_file", "varchar not null"),
                 Column("source_sha256", "varchar not null"), Column("format", "varchar not null"),
                 Column("session_count", "integer not null"), Column("row_count", "integer not null"),
                 Column("loaded_at", "timestamp not null"), Column("status", "varchar not null")),
        dbt_source="lapstack", dagster_asset=LAP_FILES_ASSET, suites=("freshness__last_load",)),
    RawSource(
        table="sessions", family=CONTROL, lineage=False,
        description="Session registry and recalculation trigger: any load, supersede or delete bumps a "
                    "session's `version`, and the incremental marts rebuild exactly the sessions whose "
                    "version they have not seen.",
        columns=(Column("session_id", "varchar not null"), Column("series", "varchar not null"),
                 Column("season", "integer"), Column("event", "varchar not null"),
                 Column("session_name", "varchar not null"), Column("source_format", "varchar not null"),
                 Column("raw_table", "varchar not null"), Column("batch_id", "varchar"),
                 Column("source_file", "varchar"), Column("source_sha256", "varchar"),
                 Column("version", "integer not null"), Column("is_deleted", "boolean not null"),
                 Column("updated_at", "timestamp not null")),
        dbt_source="lapstack", dagster_asset=LAP_FILES_ASSET, staging_models=("stg_lapstack__sessions",),
        suites=("layers__lap_row_counts", "freshness__lap_marts"), extra_writers=(FASTF1_SESSIONS_ASSET,)),
    RawSource(
        table="fastf1_api_import_log", family=CONTROL, lineage=False,
        description="One row per attempted FastF1 session load: what came back, what it cost.",
        columns=(Column("run_id", "varchar not null"), Column("session_id", "varchar not null"),
                 Column("season", "integer not null"), Column("round_number", "integer"),
                 Column("event", "varchar not null"), Column("session_name", "varchar not null"),
                 Column("session_date", "timestamp"), Column("status", "varchar not null"),
                 Column("api_calls", "integer not null"), Column("types_ok", "varchar"),
                 Column("types_missing", "varchar"), Column("types_failed", "varchar"), Column("laps_note", "varchar"),
                 Column("error", "varchar"), Column("started_at", "timestamp not null"),
                 Column("finished_at", "timestamp not null")),
        dbt_source="fastf1_api", dagster_asset=FASTF1_SESSIONS_ASSET, staging_models=("stg_fastf1_api__import_log",)),
    RawSource(
        table="fastf1_api_import_types", family=CONTROL, lineage=False,
        description="One row per data type per FastF1 import attempt: ok | missing | failed | skipped, with rows.",
        columns=(Column("run_id", "varchar not null"), Column("session_id", "varchar not null"),
                 Column("data_type", "varchar not null"), Column("status", "varchar not null"),
                 Column("row_count", "integer not null"), Column("detail", "varchar")),
        dbt_source="fastf1_api", dagster_asset=FASTF1_SESSIONS_ASSET),
)

# --- FastF1 API extracts other than laps --------------------------------------------------------------


def _extract(data_type: str, table: str, origins: list[str], description: str, staging: str | None,
             suite: bool = False) -> RawSource:
    return RawSource(
        table=table, family=FASTF1_API, description=description, columns=_origin(origins), data_type=data_type,
        dbt_source="fastf1_api", dagster_asset=FASTF1_SESSIONS_ASSET,
        staging_models=(staging,) if staging else (), suites=(f"raw__{table}",) if suite else ())


_CIRCUIT_POINTS = ["X", "Y", "Number", "Letter", "Angle", "Distance"]

FASTF1_API_SOURCES: tuple[RawSource, ...] = (
    _extract("results", "fastf1_api_results", [
        "DriverNumber", "BroadcastName", "Abbreviation", "DriverId", "TeamName", "TeamColor", "TeamId",
        "FirstName", "LastName", "FullName", "HeadshotUrl", "CountryCode", "Position", "ClassifiedPosition",
        "GridPosition", "Q1", "Q2", "Q3", "Time", "Status", "Points", "Laps"],
        "FastF1 `Session.results` rows (driver list plus the classification).", "stg_fastf1_api__results", True),
    _extract("weather", "fastf1_api_weather", [
        "Time", "AirTemp", "Humidity", "Pressure", "Rainfall", "TrackTemp", "WindDirection", "WindSpeed"],
        "FastF1 `Session.weather_data` rows, about one a minute.", "stg_fastf1_api__weather", True),
    _extract("race_control_messages", "fastf1_api_race_control_messages", [
        "Time", "Category", "Message", "Status", "Flag", "Scope", "Sector", "RacingNumber", "Lap"],
        "FastF1 `Session.race_control_messages` rows.", "stg_fastf1_api__race_control_messages", True),
    _extract("session_status", "fastf1_api_session_status", ["Time", "Status"],
             "FastF1 `Session.session_status` rows (Started, Aborted, Finished, ...).",
             "stg_fastf1_api__session_status"),
    _extract("track_status", "fastf1_api_track_status", ["Time", "Status", "Message"],
             "FastF1 `Session.track_status` rows (AllClear, Yellow, Red, SC, VSC).", "stg_fastf1_api__track_status"),
    _extract("circuit_corners", "fastf1_api_circuit_corners", _CIRCUIT_POINTS,
             "Circuit corners from FastF1's circuit info API.", "stg_fastf1_api__circuit_markers"),
    _extract("circuit_marshal_lights", "fastf1_api_circuit_marshal_lights", _CIRCUIT_POINTS,
             "Circuit marshal lights from FastF1's circuit info API.", "stg_fastf1_api__circuit_markers"),
    _extract("circuit_marshal_sectors", "fastf1_api_circuit_marshal_sectors", _CIRCUIT_POINTS,
             "Circuit marshal sectors from FastF1's circuit info API.", "stg_fastf1_api__circuit_markers"),
    _extract("circuit_rotation", "fastf1_api_circuit_rotation", ["CircuitKey", "Rotation"],
             "Track map rotation per session's circuit, one row.", "stg_fastf1_api__circuits"),
    _extract("car_telemetry", "fastf1_api_car_telemetry", [
        "Date", "SessionTime", "Time", "RPM", "Speed", "nGear", "Throttle", "Brake", "DRS", "Source"],
        "FastF1 `Session.car_data` samples for every car, where the API serves them.",
        "stg_fastf1_api__car_telemetry"),
)

# --- telemetry ----------------------------------------------------------------------------------------

TELEMETRY_CHANNELS: tuple[Column, ...] = (
    Column("session_time", "double precision", description="seconds since the session clock started"),
    Column("lap_number", "integer", description="lap the sample belongs to (from the warehouse laps)"),
    Column("source_lap", "integer", description="lap counter written in the telemetry file itself, if any"),
    Column("speed", "double precision", description="speed, km/h"),
    Column("rpm", "double precision", description="engine speed, 1/min"),
    Column("gear", "integer", description="gear engaged (0 = neutral)"),
    Column("throttle", "double precision", description="throttle pedal, % (0-100)"),
    Column("brake", "boolean", description="brake pedal pressed (on/off signal)"),
    Column("drs", "integer", description="DRS status code as broadcast (F1)"),
    Column("distance", "double precision", description="distance along the lap, m"),
    Column("brake_pressure_front", "double precision", description="front brake pressure, bar"),
    Column("brake_pressure_rear", "double precision", description="rear brake pressure, bar"),
    Column("accel_x", "double precision", description="longitudinal acceleration, g"),
    Column("accel_y", "double precision", description="lateral acceleration, g"),
    Column("steering_angle", "double precision", description="steering wheel angle, degrees"),
    Column("throttle_blade", "double precision", description="throttle blade opening, %"),
    Column("latitude", "double precision", description="GPS latitude, decimal degrees"),
    Column("longitude", "double precision", description="GPS longitude, decimal degrees"),
)

# Per-batch lineage raw.telemetry no longer stores on every sample (it lives in raw.load_batches): writing
# three constant columns per row cost about 6 s CPU per 15.7M rows in DuckDB (bench/telemetry_load.py).
# An older warehouse's table still has them; core.raw_schema drops them (name -> load_batches column).
TELEMETRY_BATCH_LINEAGE: tuple[tuple[str, str], ...] = (
    ("source_format", "format"), ("_source_file", "source_file"), ("_loaded_at", "loaded_at"))

TELEMETRY_SOURCES: tuple[RawSource, ...] = (
    RawSource(
        table="telemetry", family=TELEMETRY, lineage=False,
        description="Every raw telemetry sample of every format in the canonical lapstack columns (typed at "
                    "load: tens of millions of rows); one active batch per (session, driver). Per row only what "
                    "varies by row or keys it (session, driver, batch, line); the batch's file, format and load "
                    "time are its `raw.load_batches` row (staging joins them back on).",
        columns=(Column("_session_id", "varchar not null"), Column("_driver", "varchar not null"),
                 Column("sample_time", "timestamp not null"), Column("sample_seq", "integer not null"),
                 *TELEMETRY_CHANNELS, Column("ecu_time", "timestamp"),
                 Column("_batch_id", "varchar not null"), Column("_source_line", "bigint not null")),
        formats=(
            FileFormat("gr_cup_telemetry", Signature(required=frozenset({"telemetry_name", "telemetry_value"})),
                       "GR Cup long format: one row per (sample, channel)"),
            FileFormat("fastf1_car_data", Signature(required=frozenset({"Date", "nGear", "RPM"})),
                       "FastF1 car_data exported with pandas `to_csv`"),
            FileFormat("lapstack_telemetry_csv", Signature(required=frozenset({"driver", "sample_time"})),
                       "lapstack telemetry columns as CSV"),
            FileFormat("lapstack_telemetry_parquet", None, "lapstack telemetry columns as Parquet"),
        ),
        dbt_source="lapstack_telemetry", dagster_asset=TELEMETRY_FILES_ASSET,
        staging_models=("stg_lapstack__telemetry",), suites=("raw__telemetry",)),
    RawSource(
        table="gr_cup_lap_events", family=TELEMETRY,
        description="GR Cup ECU lap events (lap_start, lap_end, lap_time files) as original text, quirks kept.",
        columns=_text(["event_kind", "vehicle_id", "vehicle_number", "lap", "event_timestamp", "value",
                       "meta_time", "meta_event", "meta_session", "meta_source", "outing", "original_vehicle_id",
                       "expire_at"]),
        formats=(FileFormat("gr_cup_lap_events", Signature(required=frozenset({"lap", "timestamp", "vehicle_id"}),
                                                           absent=frozenset({"telemetry_name"})),
                            "GR Cup ECU lap_start / lap_end / lap_time event files"),),
        dbt_source="lapstack_telemetry", dagster_asset=TELEMETRY_FILES_ASSET,
        staging_models=("stg_gr_cup__lap_events",), suites=("raw__gr_cup_lap_events",)),
)

# --- the official record: results, best laps, weather, track status, pit stops, standings ---------------
# One entry per side table; each format names its parser module (`parse(tf, format_name, overrides)`).

GR_CUP_PARSER = "loaders.official.gr_cup"
GR_CUP_RESULT_ORIGINS = ["POSITION", "NUMBER", "STATUS", "LAPS", "TOTAL_TIME", "GAP_FIRST", "GAP_PREVIOUS",
                         "FL_LAPNUM", "FL_TIME", "FL_KPH", "CLASS", "GROUP", "DIVISION", "VEHICLE", "TIRES"]
RESULT_STATUS = Column("_result_status", "varchar not null",
                       description="official | provisional | unspecified, from the file name")

GR_CUP_BEST_ORIGINS = ["NUMBER", "VEHICLE", "CLASS", "TOTAL_DRIVER_LAPS",
                       *(f"BESTLAP_{n}{suffix}" for n in range(1, 11) for suffix in ("", "_LAPNUM")), "AVERAGE"]
FASTF1_PARSER = "loaders.official.fastf1"
FASTF1_RESULT_ORIGINS = [
    "DriverNumber", "BroadcastName", "Abbreviation", "DriverId", "TeamName", "TeamColor", "TeamId",
    "FirstName", "LastName", "FullName", "HeadshotUrl", "CountryCode", "Position", "ClassifiedPosition",
    "GridPosition", "Q1", "Q2", "Q3", "Time", "Status", "Points", "Laps"]
FASTF1_WEATHER_ORIGINS = ["Time", "AirTemp", "Humidity", "Pressure", "Rainfall", "TrackTemp", "WindDirection",
                          "WindSpeed"]
ERGAST_PARSER = "loaders.official.ergast"
ERGAST_RESULT_COLUMNS = ["resultid", "raceid", "driverid", "constructorid", "number", "grid", "position",
                         "positiontext", "positionorder", "points", "laps", "time", "milliseconds", "fastestlap",
                         "fastestlaptime", "statusid"]
ERGAST_RESULT_REQUIRED = {"resultid", "raceid", "driverid", "constructorid", "grid", "positionorder", "points",
                          "laps", "statusid"}
ERGAST_RESULT_CHECKS = (("resultid", "int"), ("grid", "int"), ("position", "int"), ("positionorder", "int"),
                        ("points", "number"), ("laps", "int"), ("milliseconds", "int"), ("fastestlap", "int"),
                        ("fastestlaptime", "clock"), ("statusid", "int"))
ERGAST_STANDING_CHECKS = (("points", "number"), ("position", "int"), ("wins", "int"))
ERGAST_RACE_COLUMNS = ["raceid", "year", "round", "circuitid", "name", "date", "time", "url", "fp1_date",
                       "fp1_time", "fp2_date", "fp2_time", "fp3_date", "fp3_time", "quali_date", "quali_time",
                       "sprint_date", "sprint_time"]


def _ergast(table: str, columns: list[str], required: set[str], description: str, staging: str, *,
            checks: tuple[tuple[str, str], ...] = (), row_key: str | None = "_driver", session_scoped: bool = True,
            absent: set[str] | None = None, name_pattern: str | None = None, name_absent: str | None = None,
            unique: tuple[str, ...] = ()) -> RawSource:
    """One Ergast table: lower-case names (the dumps vary in case and quoting), `\\N` lands as null."""
    return RawSource(
        table=table, family=OFFICIAL, description=description, row_key=row_key, session_scoped=session_scoped,
        columns=(*_text(columns), Column("_extra")), null_text="\\N",
        formats=(FileFormat(table, Signature(
            required=frozenset(required), absent=frozenset(absent or ()), delimiter=",", case_sensitive=False,
            name_pattern=name_pattern, name_absent=name_absent), description, parser=ERGAST_PARSER),),
        dbt_source="ergast", dagster_asset=OFFICIAL_FILES_ASSET, staging_models=(staging,),
        suites=(f"raw__{table}",) if checks else (), raw_checks=checks, raw_unique=unique)


OFFICIAL_SOURCES: tuple[RawSource, ...] = (
    RawSource(
        table="gr_cup_results", family=OFFICIAL, versioned=True,
        description="Rows of GR Cup `00_`/`03_` overall results (provisional and official kept side by side, "
                    "`_result_status` from the file name); ECM / driver columns that vary by file go to `_extra`.",
        columns=(*_origin(GR_CUP_RESULT_ORIGINS, {"GROUP": "group_name"}), RESULT_STATUS, Column("_extra")),
        formats=(FileFormat("gr_cup_results", Signature(
            required=frozenset({"POSITION", "NUMBER", "STATUS", "LAPS", "TOTAL_TIME", "FL_LAPNUM", "FL_TIME"}),
            absent=frozenset({"CLASS_TYPE", "PIC", "LAP_NUMBER", "BESTLAP_1"}), delimiter=";"),
            "Al Kamel overall results: position, status, laps, total time, gaps, fastest lap",
            parser=GR_CUP_PARSER),),
        dbt_source="gr_cup", dagster_asset=OFFICIAL_FILES_ASSET, staging_models=("stg_gr_cup__results",),
        suites=("raw__gr_cup_results",), raw_unique=("_driver",),
        raw_checks=(("position", "float_int"), ("laps", "int"), ("total_time", "clock"), ("fl_lapnum", "int"),
                    ("fl_time", "clock"), ("fl_kph", "number"))),
    RawSource(
        table="gr_cup_results_by_class", family=OFFICIAL, versioned=True,
        description="Rows of GR Cup `05_` results by class (provisional and official side by side).",
        columns=(*_origin(["CLASS_TYPE", "POS", "PIC", "NUMBER", "VEHICLE", "LAPS", "ELAPSED", "GAP_FIRST",
                           "GAP_PREVIOUS", "BEST_LAP_NUM", "BEST_LAP_TIME", "BEST_LAP_KPH"]),
                 RESULT_STATUS, Column("_extra")),
        formats=(FileFormat("gr_cup_results_by_class", Signature(
            required=frozenset({"CLASS_TYPE", "POS", "PIC", "NUMBER", "LAPS", "ELAPSED", "BEST_LAP_TIME"}),
            absent=frozenset({"POSITION", "STATUS", "LAP_NUMBER", "BESTLAP_1"}), delimiter=";"),
            "Al Kamel results by class: position in class, laps, elapsed, best lap", parser=GR_CUP_PARSER),),
        dbt_source="gr_cup", dagster_asset=OFFICIAL_FILES_ASSET, staging_models=("stg_gr_cup__results_by_class",),
        suites=("raw__gr_cup_results_by_class",), raw_unique=("_driver",),
        raw_checks=(("pos", "int"), ("pic", "int"), ("laps", "int"), ("elapsed", "clock"), ("best_lap_num", "int"),
                    ("best_lap_time", "clock"), ("best_lap_kph", "number"))),
    RawSource(
        table="gr_cup_best_laps", family=OFFICIAL,
        description="Rows of GR Cup `99_Best 10 Laps By Driver`: per car its ten best laps and their lap numbers.",
        columns=(*_origin(GR_CUP_BEST_ORIGINS), Column("_extra")),
        formats=(FileFormat("gr_cup_best_laps", Signature(
            required=frozenset({"NUMBER", "TOTAL_DRIVER_LAPS", "BESTLAP_1", "BESTLAP_1_LAPNUM"}),
            absent=frozenset({"LAP_NUMBER", "POSITION", "CLASS_TYPE"}), delimiter=";"),
            "Al Kamel best 10 laps by driver", parser=GR_CUP_PARSER),),
        dbt_source="gr_cup", dagster_asset=OFFICIAL_FILES_ASSET, staging_models=("stg_gr_cup__best_laps",),
        suites=("raw__gr_cup_best_laps",), raw_unique=("_driver",),
        raw_checks=(("total_driver_laps", "int"), ("average", "clock"),
                    *((f"bestlap_{n}", "clock") for n in range(1, 11)),
                    *((f"bestlap_{n}_lapnum", "int") for n in range(1, 11)))),
    RawSource(
        table="gr_cup_weather", family=OFFICIAL, row_key=None,
        description="Rows of GR Cup `26_Weather`: one sample about a minute, Unix UTC seconds; no per-driver key.",
        columns=(*_origin(["TIME_UTC_SECONDS", "TIME_UTC_STR", "AIR_TEMP", "TRACK_TEMP", "HUMIDITY", "PRESSURE",
                           "WIND_SPEED", "WIND_DIRECTION", "RAIN"]), Column("_extra")),
        formats=(FileFormat("gr_cup_weather", Signature(
            required=frozenset({"TIME_UTC_SECONDS", "AIR_TEMP", "TRACK_TEMP"}), absent=frozenset({"NUMBER"}),
            delimiter=";"), "Al Kamel weather samples", parser=GR_CUP_PARSER),),
        dbt_source="gr_cup", dagster_asset=OFFICIAL_FILES_ASSET, staging_models=("stg_gr_cup__weather",),
        suites=("raw__gr_cup_weather",),
        raw_checks=(("time_utc_seconds", "epoch"), ("air_temp", "number"), ("track_temp", "number"),
                    ("humidity", "number"), ("pressure", "number"), ("wind_speed", "number"),
                    ("wind_direction", "number"), ("rain", "number"))),
    # FastF1 DataFrame exports beside `laps.csv` (session from `race_info.csv`, as the laps).
    RawSource(
        table="fastf1_results", family=OFFICIAL,
        description="Rows of a FastF1 `results.csv` export (`Session.results` via pandas `to_csv`), original text.",
        columns=(*_origin([o for o in FASTF1_RESULT_ORIGINS if o != "Laps"]), Column("_extra")),
        formats=(FileFormat("fastf1_results", Signature(
            required=frozenset({"DriverNumber", "Abbreviation", "ClassifiedPosition", "GridPosition", "Status",
                                "Points"}), absent=frozenset({"LapNumber", "LapTime"}), delimiter=","),
            "FastF1 `Session.results` written with pandas `to_csv`", parser=FASTF1_PARSER),),
        dbt_source="fastf1", dagster_asset=OFFICIAL_FILES_ASSET, staging_models=("stg_fastf1__results",),
        suites=("raw__fastf1_results",), raw_unique=("_driver",),
        raw_checks=(("drivernumber", "int"), ("position", "float_int"), ("gridposition", "float_int"),
                    ("points", "number"), ("time", "timedelta"))),
    RawSource(
        table="fastf1_weather", family=OFFICIAL, row_key=None,
        description="Rows of a FastF1 `weather_data.csv` export: one sample a minute at a session time.",
        columns=(*_origin(FASTF1_WEATHER_ORIGINS), Column("_extra")),
        formats=(FileFormat("fastf1_weather", Signature(
            required=frozenset({"Time", "AirTemp", "TrackTemp", "Humidity", "Rainfall"}),
            absent=frozenset({"LapNumber", "Driver"}), delimiter=","),
            "FastF1 `Session.weather_data` written with pandas `to_csv`", parser=FASTF1_PARSER),),
        dbt_source="fastf1", dagster_asset=OFFICIAL_FILES_ASSET, staging_models=("stg_fastf1__weather",),
        suites=("raw__fastf1_weather",),
        raw_checks=(("time", "timedelta"), ("airtemp", "number"), ("tracktemp", "number"), ("humidity", "number"),
                    ("pressure", "number"), ("rainfall", "bool"), ("winddirection", "number"),
                    ("windspeed", "number"))),
    RawSource(
        table="fastf1_track_status", family=OFFICIAL, row_key=None,
        description="Rows of a FastF1 `track_status.csv` export: each change of track status at a session time.",
        columns=(*_origin(["Time", "Status", "Message"]), Column("_extra")),
        formats=(FileFormat("fastf1_track_status", Signature(
            required=frozenset({"Time", "Status", "Message"}),
            absent=frozenset({"Category", "Flag", "LapNumber", "Driver"}), delimiter=","),
            "FastF1 `Session.track_status` written with pandas `to_csv`", parser=FASTF1_PARSER),),
        dbt_source="fastf1", dagster_asset=OFFICIAL_FILES_ASSET, staging_models=("stg_fastf1__track_status",),
        suites=("raw__fastf1_track_status",), raw_checks=(("time", "timedelta"), ("status", "int"))),
    # Ergast-schema dumps: many races per file; `races.csv` beside them gives each raceId its session.
    _ergast("ergast_results", ERGAST_RESULT_COLUMNS + ["rank", "fastestlapspeed"],
            ERGAST_RESULT_REQUIRED, "Ergast `results.csv`: the race classification, one row per entry.",
            "stg_ergast__results", name_absent="sprint", checks=ERGAST_RESULT_CHECKS),
    _ergast("ergast_sprint_results", ERGAST_RESULT_COLUMNS + ["rank"], ERGAST_RESULT_REQUIRED,
            "Ergast `sprint_results.csv`: the sprint classification (session `Sprint`).",
            "stg_ergast__sprint_results", name_pattern="sprint", checks=ERGAST_RESULT_CHECKS),
    _ergast("ergast_qualifying", ["qualifyid", "raceid", "driverid", "constructorid", "number", "position", "q1",
                                  "q2", "q3"], {"qualifyid", "raceid", "driverid", "constructorid", "q1"},
            "Ergast `qualifying.csv`: Q1/Q2/Q3 times (session `Qualifying`).", "stg_ergast__qualifying",
            checks=(("position", "int"), ("q1", "clock"), ("q2", "clock"), ("q3", "clock")), unique=("_driver",)),
    _ergast("ergast_pit_stops", ["raceid", "driverid", "stop", "lap", "time", "duration", "milliseconds"],
            {"raceid", "driverid", "stop", "lap", "duration", "milliseconds"},
            "Ergast `pit_stops.csv`: each stop with its lap, clock time and duration.", "stg_ergast__pit_stops",
            checks=(("stop", "int"), ("lap", "int"), ("milliseconds", "int")), unique=("_driver", "stop")),
    _ergast("ergast_driver_standings", ["driverstandingsid", "raceid", "driverid", "points", "position",
                                        "positiontext", "wins"],
            {"driverstandingsid", "raceid", "driverid", "points", "position", "wins"},
            "Ergast `driver_standings.csv`: the championship after each race (session = that race).",
            "stg_ergast__driver_standings", checks=ERGAST_STANDING_CHECKS, unique=("_driver",)),
    _ergast("ergast_constructor_standings", ["constructorstandingsid", "raceid", "constructorid", "points",
                                             "position", "positiontext", "wins"],
            {"constructorstandingsid", "raceid", "constructorid", "points", "position", "wins"},
            "Ergast `constructor_standings.csv`: the constructors' championship after each race.",
            "stg_ergast__constructor_standings", checks=ERGAST_STANDING_CHECKS, row_key="_constructor",
            unique=("_constructor",)),
    _ergast("ergast_races", ERGAST_RACE_COLUMNS, {"raceid", "year", "round", "circuitid", "name", "date"},
            "Ergast `races.csv`: one row per race weekend, keyed by the race's own session id (2025 rows stop "
            "after `url`: their schedule columns land null).", "stg_ergast__races",
            checks=(("raceid", "int"), ("year", "int"), ("round", "int")), row_key=None,
            absent={"driverid", "constructorid"}),
    _ergast("ergast_drivers", ["driverid", "driverref", "number", "code", "forename", "surname", "dob",
                               "nationality", "url"], {"driverid", "driverref", "forename", "surname"},
            "Ergast `drivers.csv`: reference table, no session (keyed by driverRef).", "stg_ergast__drivers",
            checks=(("driverid", "int"),), session_scoped=False, absent={"raceid"}, unique=("_driver",)),
    _ergast("ergast_constructors", ["constructorid", "constructorref", "name", "nationality", "url"],
            {"constructorid", "constructorref", "name", "nationality"},
            "Ergast `constructors.csv`: reference table, no session (keyed by constructorRef).",
            "stg_ergast__constructors", checks=(("constructorid", "int"),), session_scoped=False,
            row_key="_constructor", absent={"raceid", "driverid"}, unique=("_constructor",)),
    _ergast("ergast_status", ["statusid", "status"], {"statusid", "status"},
            "Ergast `status.csv`: finishing status texts by statusId; no session, no per-row key but the id.",
            "stg_ergast__status", checks=(("statusid", "int"),), session_scoped=False, row_key=None,
            absent={"raceid", "driverid"}),
)


@dataclass(frozen=True)
class Registry:
    sources: tuple[RawSource, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        tables = [s.table for s in self.sources]
        dupes = {t for t in tables if tables.count(t) > 1}
        if dupes:
            raise ValueError(f"raw tables registered twice: {sorted(dupes)}")

    def __iter__(self):
        return iter(self.sources)

    def get(self, table: str) -> RawSource:
        for source in self.sources:
            if source.table == table:
                return source
        raise KeyError(f"raw.{table} is not a registered source")

    def family(self, family: str) -> list[RawSource]:
        return [s for s in self.sources if s.family == family]

    def by_data_type(self, data_type: str) -> RawSource:
        for source in self.sources:
            if source.data_type == data_type:
                return source
        raise KeyError(f"no raw source holds FastF1 data type {data_type!r}")

    def format(self, name: str) -> tuple[RawSource, FileFormat]:
        for source in self.sources:
            for fmt in source.formats:
                if fmt.name == name:
                    return source, fmt
        raise KeyError(f"unknown file format {name!r}")

    def recognise(self, header: Sequence[str], delimiter: str | None, family: str,
                  file_name: str | None = None) -> list[str]:
        """Format names of `family` whose signature the header (and file name) satisfies (with that delimiter)."""
        found = []
        for source in self.family(family):
            for fmt in source.formats:
                sig = fmt.signature
                if sig is None or (sig.delimiter is not None and delimiter is not None and sig.delimiter != delimiter):
                    continue
                if sig.matches(header, file_name):
                    found.append(fmt.name)
        return found


REGISTRY = Registry((*CONTROL_SOURCES, *LAP_SOURCES, *FASTF1_API_SOURCES, *TELEMETRY_SOURCES, *OFFICIAL_SOURCES))


def lap_sources() -> list[RawSource]:
    return REGISTRY.family(LAPS)


def lap_tables() -> list[str]:
    return [s.table for s in lap_sources()]


def lap_source_formats() -> list[str]:
    return [s.source_format for s in lap_sources() if s.source_format]
