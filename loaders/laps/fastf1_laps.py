"""FastF1 `Laps` exported with pandas `to_csv` (`laps.csv`): timedeltas as `0 days 00:01:33.433000`."""

from __future__ import annotations

from pathlib import Path

from core.errors import LoadError
from core.registry import REGISTRY
from loaders.laps import csvread
from loaders.laps.model import (
    Overrides,
    ParsedFile,
    SessionInfo,
    event_from_path,
    require,
    season_from_path,
    session_from_text,
    session_rows,
)
from loaders.laps.timeparse import timedelta_to_seconds
from loaders.laps.validate import DuplicateGuard, check_int, check_number, check_time, check_timestamp

SOURCE = REGISTRY.get("fastf1_laps")
FORMAT = SOURCE.formats[0].name
RAW_TABLE = SOURCE.table
DELIMITER = SOURCE.formats[0].signature.delimiter
REQUIRED = ["Driver", "LapNumber", "LapTime", "Sector1Time", "Sector2Time", "Sector3Time"]
SOURCE_COLUMNS = [c.origin for c in SOURCE.columns]
RAW_COLUMNS = SOURCE.column_names
TIME_COLUMNS = ["LapTime", "Sector1Time", "Sector2Time", "Sector3Time", "PitOutTime", "PitInTime"]
# Session clocks: telemetry lap windows are computed from Time - LapStartTime and LapStartDate.
CLOCK_COLUMNS = ["Time", "LapStartTime", "Sector1SessionTime", "Sector2SessionTime", "Sector3SessionTime"]
COUNT_COLUMNS = ["Position", "Stint", "TyreLife"]  # pandas floats (`3.0`); integers in the marts
SPEED_COLUMNS = ["SpeedI1", "SpeedI2", "SpeedFL", "SpeedST"]



def _race_info(path: Path) -> dict[str, str]:
    """`race_info.csv` beside the export (key,value rows) names the event and its date."""
    sidecar = csvread.read_sidecar(path.parent / "race_info.csv", header=False)
    if sidecar is None:
        return {}
    return {row.fields[0]: row.fields[1] for row in sidecar.rows if len(row.fields) >= 2}


def infer_session(path: Path, overrides: Overrides, first_start: str | None) -> SessionInfo:
    info = _race_info(path)
    season = overrides.season
    if season is None:
        for text in (info.get("EventDate", ""), first_start or ""):
            if text[:4].isascii() and text[:4].isdigit():
                season = int(text[:4])
                break
        else:
            season = season_from_path(path)
    event = overrides.event or info.get("EventName") or event_from_path(path)
    session = overrides.session or session_from_text(path.stem) or "Race"
    return SessionInfo(overrides.series or "f1", season, require(path, event, "event", "--event"), session)


def parse(tf: csvread.TextFile, overrides: Overrides) -> ParsedFile:
    header = csvread.read_header_checked(tf, DELIMITER, "FastF1 exports")
    csvread.require_columns(tf, header, REQUIRED, FORMAT)
    guard = DuplicateGuard(tf, header, "LapTime")
    records: list[dict[str, object]] = []
    first_start: str | None = None
    for row in csvread.iter_rows(tf, DELIMITER, header):
        driver = row.values["Driver"].strip()
        if not driver:
            raise LoadError(tf.path, row.line, f"{header.index('Driver') + 1} (Driver)", "missing driver")
        lap = check_int(tf, row, header, "LapNumber")
        times = {c: check_time(tf, row, header, c, timedelta_to_seconds) for c in TIME_COLUMNS if c in header}
        for col in CLOCK_COLUMNS:
            if col in header:
                check_time(tf, row, header, col, timedelta_to_seconds)
        if "LapStartDate" in header:
            check_timestamp(tf, row, header, "LapStartDate")
        if "DriverNumber" in header:
            check_int(tf, row, header, "DriverNumber", required=False, plain=True, what="driver number")
        for col in COUNT_COLUMNS:
            if col in header:
                check_int(tf, row, header, col, required=False, what=col)
        for col in SPEED_COLUMNS:
            if col in header:
                check_number(tf, row, header, col, what="speed (km/h)", high=1000)
        guard.check((driver, lap), lap, times["LapTime"], row)
        first_start = first_start or (row.values.get("LapStartDate") or None)
        record: dict[str, object] = {c.lower(): (row.values.get(c) or None) for c in SOURCE_COLUMNS}
        record["_driver"] = driver
        record["_source_line"] = row.line
        records.append(record)
    if not records:
        raise LoadError(tf.path, 2, 1, "no lap rows after the header")
    info = infer_session(tf.path, overrides, first_start)
    return ParsedFile(tf.path, tf.sha256, FORMAT, RAW_TABLE, [session_rows(info, records, RAW_COLUMNS)])
