"""Ergast `lap_times` dumps: no sectors; `races.csv` and `drivers.csv` beside it name season, event, driver."""

from __future__ import annotations

from pathlib import Path

from core.errors import LoadError, column_label
from core.registry import REGISTRY
from loaders.laps import csvread
from loaders.laps.model import Overrides, ParsedFile, SessionInfo, session_rows
from loaders.laps.timeparse import millis_to_seconds, parse_int
from loaders.laps.validate import DuplicateGuard, check_int, check_time

SOURCE = REGISTRY.get("ergast_lap_times")
FORMAT = SOURCE.formats[0].name
RAW_TABLE = SOURCE.table
DELIMITER = SOURCE.formats[0].signature.delimiter
RAW_COLUMNS = SOURCE.column_names
REQUIRED = ["raceid", "driverid", "lap", "milliseconds"]



def read_sidecar_table(path: Path, key: str, lap_file: Path) -> dict[str, dict[str, str]]:
    """`races.csv`, `drivers.csv`, ... beside an Ergast file, keyed by `key` (the lap and official loaders share it).

    Lenient on purpose: real `races.csv` has short 2025 rows, which only lack columns we don't use."""
    sidecar = csvread.read_sidecar(path)
    if sidecar is None:
        return {}
    lower = [h.lower() for h in sidecar.header]
    if key.lower() not in lower:
        raise LoadError(path, 1, len(lower) + 1, f"missing required column {key!r} (needed by {lap_file.name})")
    return {row.values.get(_orig(sidecar.header, key), "").strip():
            {**{k.lower(): v for k, v in row.values.items()}, "_line": row.line, "_header": lower}
            for row in sidecar.rows}


def _orig(header: list[str], key: str) -> str:
    return next(h for h in header if h.lower() == key.lower())


def _pit_laps(folder: Path, lap_file: Path, race_ids: set[str]) -> set[tuple[str, str, int]]:
    """(race, driver, lap) of every pit stop in the races of the lap file (other races' rows are not read)."""
    sidecar = csvread.read_sidecar(folder / "pit_stops.csv")
    if sidecar is None:
        return set()
    lower = [h.lower() for h in sidecar.header]
    missing = [c for c in ("raceid", "driverid", "lap") if c not in lower]
    if missing:
        raise LoadError(sidecar.tf.path, 1, len(lower) + 1,
                        f"missing required column(s) {', '.join(missing)} (needed by {lap_file.name})")
    header = sidecar.header
    race, driver, lap = (_orig(header, c) for c in ("raceid", "driverid", "lap"))
    out = set()
    for row in sidecar.rows:
        if row.values[race].strip() in race_ids and row.values.get(lap, "").strip():
            number = check_int(sidecar.tf, row, header, lap, plain=True)
            out.add((row.values[race].strip(), row.values[driver].strip(), number))
    return out


def _race_field(races_path: Path, race: dict, name: str) -> tuple[str, int | None, str]:
    header = race["_header"]
    column = column_label(header.index(name), name) if name in header else name
    return (race.get(name) or "").strip(), race["_line"], column


def _race_year(races_path: Path, race: dict, race_id: str) -> int:
    text, line, column = _race_field(races_path, race, "year")
    try:
        return parse_int(text, plain=True, low=1900, high=2199)
    except ValueError:
        raise LoadError(races_path, line, column, f"race {race_id}: year is not a year (1900-2199): {text!r}") from None


def parse(tf: csvread.TextFile, overrides: Overrides) -> ParsedFile:
    header = [h.lower() for h in csvread.read_header_checked(tf, DELIMITER, "Ergast dumps")]
    csvread.require_columns(tf, header, REQUIRED, FORMAT)
    races = read_sidecar_table(tf.path.parent / "races.csv", "raceId", tf.path)
    if not races:
        raise LoadError(tf.path, None, None, "races.csv must sit beside an Ergast lap_times file "
                        "(it gives each race's season and event)")
    drivers = read_sidecar_table(tf.path.parent / "drivers.csv", "driverId", tf.path)
    guard = DuplicateGuard(tf, header, "milliseconds")
    by_race: dict[str, list[dict[str, object]]] = {}
    for row in csvread.iter_rows(tf, DELIMITER, header):
        race_id, driver_id = row.values["raceid"].strip(), row.values["driverid"].strip()
        if race_id not in races:
            raise LoadError(tf.path, row.line, "1 (raceid)", f"raceid {race_id!r} is not in races.csv")
        lap = check_int(tf, row, header, "lap", plain=True)  # staging: cast(lap as integer)
        check_int(tf, row, header, "position", required=False, plain=True, what="position")
        millis = check_time(tf, row, header, "milliseconds", millis_to_seconds)
        driver = (drivers.get(driver_id) or {}).get("driverref") or driver_id
        guard.check((race_id, driver, lap), lap, millis, row)
        record: dict[str, object] = {c: (row.values.get(c) or None) for c in RAW_COLUMNS[:6]}
        record["_pit_key"] = (race_id, driver_id, lap)
        record["_driver"] = driver
        record["_source_line"] = row.line
        by_race.setdefault(race_id, []).append(record)
    if not by_race:
        raise LoadError(tf.path, 2, 1, "no lap rows after the header")
    pits = _pit_laps(tf.path.parent, tf.path, set(by_race))
    for records in by_race.values():
        for record in records:
            race_id, driver_id, lap = record.pop("_pit_key")
            record["_pit_in"] = (race_id, driver_id, lap) in pits
            record["_pit_out"] = lap is not None and (race_id, driver_id, lap - 1) in pits
    if len(by_race) > 1 and (overrides.event or overrides.session or overrides.season is not None):
        raise LoadError(tf.path, None, None, f"file holds {len(by_race)} races; --event/--session/--season "
                        "would merge them into one session: load it without those overrides")
    sessions = []
    for race_id, records in by_race.items():
        race = races[race_id]
        name, line, column = _race_field(tf.path.parent / "races.csv", race, "name")
        if not name:
            raise LoadError(tf.path.parent / "races.csv", line, column, f"race {race_id} has no name")
        year = _race_year(tf.path.parent / "races.csv", race, race_id)
        info = overrides.apply(SessionInfo("f1", year, name, "Race"))
        sessions.append(session_rows(info, records, RAW_COLUMNS))
    return ParsedFile(tf.path, tf.sha256, FORMAT, RAW_TABLE, sessions)
