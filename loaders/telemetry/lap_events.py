"""GR Cup ECU lap events (`*_lap_start*`, `*_lap_end*`, `*_lap_time*`): landed as text, quirks kept.

Column order and quoting differ by track and Barber's lap_time files have no `value` column; lost
counters (lap 32768) and 0 ms / 43 ms / 7,127,986 ms lap times are kept and flagged in staging.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.errors import LoadError
from core.raw_schema import RAW, ensure_raw_schema
from core.registry import REGISTRY
from core.warehouse import Warehouse
from loaders.laps import csvread, gr_cup
from loaders.laps.model import Overrides
from loaders.laps.validate import check_int, check_number, check_timestamp
from loaders.telemetry import csvstream, relap
from loaders.telemetry.columns import LAP_EVENT_COLUMNS, LAP_EVENTS_TABLE

FORMAT = "gr_cup_lap_events"
REQUIRED = ("lap", "timestamp", "vehicle_id")
_KIND = re.compile(r"lap_(start|end|time)", re.I)


@dataclass
class EventsResult:
    path: Path
    status: str
    session_id: str
    rows: int


def looks_like(header: list[str]) -> bool:
    return REGISTRY.format(FORMAT)[1].signature.matches(header)


def event_kind(path: Path) -> str:
    match = _KIND.search(path.name)
    if not match:
        raise LoadError(path, None, None, "cannot tell lap_start / lap_end / lap_time from the file name")
    return f"lap_{match.group(1).lower()}"


def car_number(path: Path, line: int, vehicle_id: str, number: str | None) -> str:
    text = (number or "").strip() or vehicle_id.rsplit("-", 1)[-1]
    try:
        return csvstream.car_number(text)
    except ValueError:
        raise LoadError(path, line, "vehicle_id", f"no car number in vehicle id {vehicle_id!r}") from None


def parse(path: Path, overrides: Overrides) -> tuple[str, str, pd.DataFrame, str]:
    tf = csvread.read_text(path, what="lap event files")
    header = [h.strip('"') for h in csvread.read_header(tf, ",")]
    if len(header) == 1:
        raise LoadError(path, 1, 1, f"wrong delimiter: lap event files are ','-separated, "
                        f"found {csvread.sniff_delimiter(csvread.first_line(tf.text))!r}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LoadError(path, 1, len(header) + 1, f"missing required column(s): {', '.join(missing)}")
    kind = event_kind(path)
    session_id = gr_cup.infer_session(path, overrides).session_id
    records = []
    for row in csvread.iter_rows(tf, ",", header):
        values = {k: (v.strip() if v is not None else None) for k, v in row.values.items()}
        # staging: cast(lap as integer), cast(value as float), the timestamp cast to timestamp
        check_int(tf, row, header, "lap", plain=True)
        check_timestamp(tf, row, header, "timestamp", required=True)
        if kind == "lap_time" and "value" in header:
            check_number(tf, row, header, "value", what="lap time (ms)", high=1e12)
        record = {c: values.get(c) or None for c in LAP_EVENT_COLUMNS if c not in ("event_kind", "event_timestamp")}
        record.update(event_kind=kind, event_timestamp=values["timestamp"],
                      _driver=car_number(path, row.line, values["vehicle_id"], values.get("vehicle_number")),
                      _source_line=row.line)
        records.append(record)
    if not records:
        raise LoadError(path, 2, 1, "no lap events after the header")
    frame = pd.DataFrame.from_records(records, columns=LAP_EVENT_COLUMNS + ["_driver", "_source_line"])
    return kind, session_id, frame, tf.sha256


def store_events(wh: Warehouse, path: Path, overrides: Overrides, *, force: bool = False) -> EventsResult:
    """One file, one transaction: its (session, event kind) rows are replaced as a whole."""
    kind, session_id, frame, sha = parse(path, overrides)
    ensure_raw_schema(wh)
    with wh.transaction():
        active = wh.query(f"select batch_id from {RAW}.load_batches where source_file = ? and source_sha256 = ? "
                          "and status = 'active' and format = ?", (str(path), sha, FORMAT))
        if active and not force:
            return EventsResult(path, "unchanged", session_id, 0)
        batch_id = uuid.uuid4().hex
        loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        wh.execute(f"update {RAW}.load_batches set status = 'superseded' where status = 'active' and batch_id in "
                   f"(select _batch_id from {RAW}.{LAP_EVENTS_TABLE} where _session_id = ? and event_kind = ?)",
                   (session_id, kind))
        wh.execute(f"delete from {RAW}.{LAP_EVENTS_TABLE} where _session_id = ? and event_kind = ?",
                   (session_id, kind))
        frame = frame.assign(_session_id=session_id, _batch_id=batch_id, _source_file=str(path),
                             _loaded_at=loaded_at)
        wh.bulk_insert(f"{RAW}.{LAP_EVENTS_TABLE}", frame)
        wh.execute(f"insert into {RAW}.load_batches values (?, ?, ?, ?, 1, ?, ?, 'active')",
                   (batch_id, str(path), sha, FORMAT, len(frame), loaded_at))
        if kind in ("lap_start", "lap_end"):  # telemetry loaded before its lap events gets its laps now
            relap.after_gr_cup_events(wh, session_id, loaded_at)
    return EventsResult(path, "loaded", session_id, len(frame))
