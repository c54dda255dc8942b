"""GR Cup / Al Kamel `23_AnalysisEnduranceWithSections_*.CSV`: `;`-separated, every lap with sectors."""

from __future__ import annotations

import csv
import json
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
    session_from_path,
    session_rows,
)
from loaders.laps.timeparse import clock_to_seconds, seconds
from loaders.laps.validate import DuplicateGuard, check_int, check_number, check_time

SOURCE = REGISTRY.get("gr_cup_laps")
FORMAT = SOURCE.formats[0].name
RAW_TABLE = SOURCE.table
DELIMITER = SOURCE.formats[0].signature.delimiter
REQUIRED = ["NUMBER", "LAP_NUMBER", "LAP_TIME", "S1", "S2", "S3"]
# Landed as named columns; everything else in the row (intermediate splits differ by track) goes to _extra.
COLUMNS = {c.origin: c.name for c in SOURCE.columns if c.origin}
RAW_COLUMNS = SOURCE.column_names



def season_from_ecu_files(folder: Path) -> int | None:
    """The ECU lap event files recorded beside the timing export carry real timestamps."""
    for candidate in sorted(folder.glob("*lap_*.csv")):
        try:
            with candidate.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                row = next(reader, None)
        except (OSError, UnicodeDecodeError, csv.Error):
            continue
        stamp = (row or {}).get("timestamp") or ""
        if len(stamp) >= 4 and stamp[:4].isdigit():
            return int(stamp[:4])
    return None


def infer_session(path: Path, overrides: Overrides) -> SessionInfo:
    """The analysis file names neither event nor season: the folders, file name and sibling files do."""
    session = overrides.session or session_from_path(path)
    event = overrides.event or event_from_path(path)
    season = overrides.season
    if season is None:
        season = season_from_path(path) or season_from_ecu_files(path.parent)
    info = SessionInfo(
        series=overrides.series or "gr_cup",
        season=season,
        event=require(path, event, "event", "--event"),
        session_name=require(path, session, "session", "--session"),
    )
    return info


def parse(tf: csvread.TextFile, overrides: Overrides) -> ParsedFile:
    header = csvread.read_header_checked(tf, DELIMITER, f"{FORMAT} files")
    csvread.require_columns(tf, header, REQUIRED, FORMAT)
    info = infer_session(tf.path, overrides)
    records: list[dict[str, object]] = []
    guard = DuplicateGuard(tf, header, "LAP_TIME")
    entry_of: dict[str, int] = {}
    last_number: str | None = None
    max_lap: dict[str, int] = {}
    first_lap: dict[str, int] = {}
    for row in csvread.iter_rows(tf, DELIMITER, header):
        number = row.values["NUMBER"].strip()
        if not number:
            raise LoadError(tf.path, row.line, "1 (NUMBER)", "missing car number")
        lap = check_int(tf, row, header, "LAP_NUMBER", plain=True)  # staging: cast(lap_number as integer)
        lap_time = check_time(tf, row, header, "LAP_TIME", clock_to_seconds)
        for col in ("S1", "S2", "S3"):
            check_time(tf, row, header, col, clock_to_seconds)
        for col in ("S1_SECONDS", "S2_SECONDS", "S3_SECONDS"):  # staging casts these straight to double
            if col in header:
                check_time(tf, row, header, col, seconds)
        for col in ("KPH", "TOP_SPEED"):
            if col in header:
                check_number(tf, row, header, col, what="speed (km/h)", high=1000)
        # Two cars can share a number (anonymised entries): a number reappearing after other
        # cars, with its lap count restarting, is a separate entry, not a duplicate.
        if (number != last_number and number in entry_of and lap is not None
                and lap <= first_lap[number] and lap <= max_lap[number]):
            entry_of[number] += 1
            max_lap[number] = 0
        entry_of.setdefault(number, 1)
        last_number = number
        if lap is not None:
            first_lap.setdefault(number, lap)
            max_lap[number] = max(max_lap.get(number, 0), lap)
        driver = number if entry_of[number] == 1 else f"{number}#{entry_of[number]}"
        guard.check((driver, lap), lap, lap_time, row)
        record: dict[str, object] = {COLUMNS[k]: (row.values.get(k) or None) for k in COLUMNS}
        extra = {k: v for k, v in row.values.items() if k not in COLUMNS and k}
        record["_extra"] = json.dumps(extra, ensure_ascii=False)
        record["_driver"] = driver
        record["_source_line"] = row.line
        records.append(record)
    if not records:
        raise LoadError(tf.path, 2, 1, "no lap rows after the header")
    return ParsedFile(tf.path, tf.sha256, FORMAT, RAW_TABLE, [session_rows(info, records, RAW_COLUMNS)])
