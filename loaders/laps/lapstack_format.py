"""lapstack's own lap format, CSV or JSON Lines, for any timing system without a dedicated parser.

Columns (CSV header or JSON keys); times are seconds (`93.433`) or clock text (`1:33.433`):
  required  driver, lap_number, lap_time
  optional  series, season, event, session_name, sector_1_time, sector_2_time, sector_3_time,
            is_pit_in_lap, is_pit_out_lap, is_deleted (true/false/1/0), flag (GF/green/...),
            lap_start_time (ISO 8601)
The session columns must be constant within a file, or come from the path / `--series` etc.
"""

from __future__ import annotations

import io
import json

from core.errors import LoadError, column_label
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
from loaders.laps.timeparse import clock_to_seconds
from loaders.laps.validate import DuplicateGuard, check_int, check_time

SOURCE = REGISTRY.get("lapstack_laps")
FORMAT = SOURCE.formats[0].name
RAW_TABLE = SOURCE.table
REQUIRED = ["driver", "lap_number", "lap_time"]
SESSION_COLUMNS = ["series", "season", "event", "session_name"]
RAW_COLUMNS = SOURCE.column_names
LAP_COLUMNS = [c for c in RAW_COLUMNS if c not in SESSION_COLUMNS]
TIME_COLUMNS = ["lap_time", "sector_1_time", "sector_2_time", "sector_3_time"]
BOOL_COLUMNS = ["is_pit_in_lap", "is_pit_out_lap", "is_deleted"]
BOOL_TEXT = {"", "true", "false", "1", "0", "yes", "no", "t", "f"}



def _json_text(value: object) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _rows_from_jsonl(tf: csvread.TextFile) -> tuple[list[str], list[csvread.Row]]:
    rows: list[csvread.Row] = []
    keys: list[str] = []
    for number, line in enumerate(io.StringIO(tf.text, newline=""), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line.rstrip("\r\n"))
        except json.JSONDecodeError as exc:
            raise LoadError(tf.path, number, exc.colno, f"invalid JSON: {exc.msg}") from None
        except (ValueError, RecursionError) as exc:  # a 5,000-digit integer, nesting thousands deep
            raise LoadError(tf.path, number, 1, f"invalid JSON: {str(exc) or type(exc).__name__}") from None
        if not isinstance(obj, dict):
            raise LoadError(tf.path, number, 1, "each JSON line must be one lap object")
        values = {k: _json_text(v) for k, v in obj.items()}
        for key, text in (*((k, k) for k in values), *values.items()):
            bad = "\x00" in text or not text.isprintable() and any(0xd800 <= ord(c) <= 0xdfff for c in text)
            if bad:
                raise LoadError(tf.path, number, f"{list(values).index(key) + 1} ({key})",
                                "invalid text: NUL character or lone UTF-16 surrogate (\\u0000, \\ud800...)")
        keys.extend(k for k in values if k not in keys)
        rows.append(csvread.Row(number, values, list(values.values())))
    return keys, rows


def _rows_from_csv(tf: csvread.TextFile) -> tuple[list[str], list[csvread.Row]]:
    header = csvread.read_header_checked(tf, ",", "lapstack CSV files")
    return header, list(csvread.iter_rows(tf, ",", header))


def _session(tf: csvread.TextFile, header: list[str], rows: list[csvread.Row], overrides: Overrides) -> SessionInfo:
    found: dict[str, str] = {}
    for col in SESSION_COLUMNS:
        values = {r.values.get(col, "").strip() for r in rows} - {""}
        if len(values) > 1:
            first = next(r.values.get(col, "").strip() for r in rows if r.values.get(col, "").strip())
            other = next(r for r in rows if r.values.get(col, "").strip() not in ("", first))
            where = column_label(header.index(col), col) if col in header else col
            raise LoadError(tf.path, other.line, where, f"one file must hold one session; {col} is "
                            f"{other.values[col].strip()!r} here but {first!r} above")
        found[col] = values.pop() if values else ""
    season_text = found["season"]
    if season_text and not (len(season_text) == 4 and season_text.isascii() and season_text.isdigit()):
        line = next(r.line for r in rows if r.values.get("season", "").strip())
        raise LoadError(tf.path, line, column_label(header.index("season"), "season"),
                        f"season must be a year (4 digits): {season_text!r}")
    season = int(season_text) if season_text else season_from_path(tf.path)
    info = SessionInfo(
        series=found["series"] or "other",
        season=season,
        event=require(tf.path, found["event"] or event_from_path(tf.path), "event", "--event"),
        session_name=require(tf.path, found["session_name"] or session_from_path(tf.path),
                             "session", "--session"),
    )
    return overrides.apply(info)


def parse(tf: csvread.TextFile, overrides: Overrides) -> ParsedFile:
    is_json = tf.text.lstrip().startswith("{")
    header, rows = _rows_from_jsonl(tf) if is_json else _rows_from_csv(tf)
    csvread.require_columns(tf, header, REQUIRED, FORMAT)
    if not rows:
        raise LoadError(tf.path, 2, 1, "no lap rows")
    guard = DuplicateGuard(tf, header, "lap_time")
    records = []
    for row in rows:
        driver = row.values.get("driver", "").strip()
        if not driver:
            raise LoadError(tf.path, row.line, column_label(header.index("driver"), "driver"), "missing driver")
        lap = check_int(tf, row, header, "lap_number")
        times = {c: check_time(tf, row, header, c, clock_to_seconds) for c in TIME_COLUMNS if c in header}
        for col in BOOL_COLUMNS:
            if row.values.get(col, "").strip().lower() not in BOOL_TEXT:
                raise LoadError(tf.path, row.line, column_label(header.index(col), col),
                                f"not a boolean: {row.values[col]!r}")
        guard.check((driver, lap), lap, times.get("lap_time"), row)
        record: dict[str, object] = {c: (row.values.get(c) or None) for c in RAW_COLUMNS}
        record["_driver"] = driver
        record["_source_line"] = row.line
        records.append(record)
    info = _session(tf, header, rows, overrides)
    return ParsedFile(tf.path, tf.sha256, FORMAT, RAW_TABLE, [session_rows(info, records, RAW_COLUMNS)])
