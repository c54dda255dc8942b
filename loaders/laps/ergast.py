"""Ergast `lap_times` dumps: no sectors; `races.csv` and `drivers.csv` beside it name season, event, driver."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from core.errors import LoadError
from core.registry import REGISTRY
from loaders.laps import csvread
from loaders.laps.model import Overrides, ParsedFile, ParsedSession, SessionInfo
from loaders.laps.validate import DuplicateGuard, check_int, check_time

SOURCE = REGISTRY.get("ergast_lap_times")
FORMAT = SOURCE.formats[0].name
RAW_TABLE = SOURCE.table
DELIMITER = SOURCE.formats[0].signature.delimiter
RAW_COLUMNS = SOURCE.column_names
REQUIRED = ["raceid", "driverid", "lap", "milliseconds"]


def looks_like(header: list[str]) -> bool:
    """Strict: a `pit_stops.csv` or `results.csv` shares raceId/driverId/lap/milliseconds but is not laps."""
    return SOURCE.formats[0].signature.matches(header)


def _read_table(path: Path, key: str) -> dict[str, dict[str, str]]:
    """Lenient on purpose: real `races.csv` has short 2025 rows, which only lack columns we don't use."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        lower = {name: name.lower() for name in reader.fieldnames or []}
        return {row[key.lower()]: row for row in ({lower[k]: v for k, v in r.items() if k} for r in reader)}


def _pit_laps(folder: Path) -> set[tuple[str, str, int]]:
    path = folder / "pit_stops.csv"
    if not path.exists():
        return set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {(r["raceId"], r["driverId"], int(r["lap"])) for r in csv.DictReader(fh) if r.get("lap")}


def _ms(text: str) -> float:
    value = float(text)
    if value < 0:
        from loaders.laps.timeparse import NegativeTime

        raise NegativeTime(text)
    return value / 1000.0


def parse(tf: csvread.TextFile, overrides: Overrides) -> ParsedFile:
    header = [h.lower() for h in csvread.read_header_checked(tf, DELIMITER, "Ergast dumps")]
    csvread.require_columns(tf, header, REQUIRED, FORMAT)
    races = _read_table(tf.path.parent / "races.csv", "raceId")
    if not races:
        raise LoadError(tf.path, None, None, "races.csv must sit beside an Ergast lap_times file "
                        "(it gives each race's season and event)")
    drivers = _read_table(tf.path.parent / "drivers.csv", "driverId")
    pits = _pit_laps(tf.path.parent)
    guard = DuplicateGuard(tf, header, "milliseconds")
    by_race: dict[str, list[dict[str, object]]] = {}
    for row in csvread.iter_rows(tf, DELIMITER, header):
        race_id, driver_id = row.values["raceid"].strip(), row.values["driverid"].strip()
        if race_id not in races:
            raise LoadError(tf.path, row.line, "1 (raceid)", f"raceid {race_id!r} is not in races.csv")
        lap = check_int(tf, row, header, "lap")
        check_int(tf, row, header, "position", required=False)
        millis = check_time(tf, row, header, "milliseconds", _ms)
        driver = (drivers.get(driver_id) or {}).get("driverref") or driver_id
        guard.check((race_id, driver, lap), lap, millis, row)
        record: dict[str, object] = {c: (row.values.get(c) or None) for c in RAW_COLUMNS[:6]}
        record["_pit_in"] = (race_id, driver_id, lap) in pits
        record["_pit_out"] = lap is not None and (race_id, driver_id, lap - 1) in pits
        record["_driver"] = driver
        record["_source_line"] = row.line
        by_race.setdefault(race_id, []).append(record)
    if not by_race:
        raise LoadError(tf.path, 2, 1, "no lap rows after the header")
    if len(by_race) > 1 and (overrides.event or overrides.session or overrides.season is not None):
        raise LoadError(tf.path, None, None, f"file holds {len(by_race)} races; --event/--session/--season "
                        "would merge them into one session: load it without those overrides")
    sessions = []
    for race_id, records in by_race.items():
        race = races[race_id]
        info = overrides.apply(SessionInfo("f1", int(race["year"]), race["name"], "Race"))
        frame = pd.DataFrame.from_records(records, columns=RAW_COLUMNS + ["_driver", "_source_line"])
        sessions.append(ParsedSession(info, frame))
    return ParsedFile(tf.path, tf.sha256, FORMAT, RAW_TABLE, sessions)
