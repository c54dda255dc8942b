"""Write one session's extracts to `raw` in a single transaction, and log the attempt.

Conflict rule: a session that `raw.sessions` already holds from another source (a `laps.csv` export,
Ergast, a lapstack file) keeps its laps; the import lands every other data type and logs laps as
`skipped`. `--replace` lets the API laps supersede it, as `lapstack load --replace` does for files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
import uuid
from dataclasses import dataclass

from core.raw_schema import LAP_TABLES, RAW, ensure_raw_schema
from core.settings import resolve_target
from core.warehouse import Warehouse, connect
from loaders.fastf1.extract import Extract
from loaders.fastf1.schedule import PlannedSession
from loaders.fastf1.tables import EXTRACT_COLUMNS, LAPS_TABLE, SOURCE_FORMAT, table_for


@dataclass
class Attempt:
    run_id: str
    planned: PlannedSession
    status: str  # ok | partial | failed
    extracts: list[Extract]
    api_calls: int
    started_at: dt.datetime
    finished_at: dt.datetime
    error: str | None = None
    laps_note: str | None = None


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def connect_when_free(target: str | None, timeout_s: float = 300.0) -> Warehouse:
    """DuckDB has one writer: wait for another lapstack process to let go instead of failing."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return connect(target)
        except Exception as exc:  # noqa: BLE001 - duckdb.IOException on a held lock
            if resolve_target(target).kind != "duckdb" or "lock" not in str(exc).lower() \
                    or time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def source_uri(planned: PlannedSession) -> str:
    return f"fastf1://{planned.season}/{planned.round_number}/{planned.event}/{planned.session_name}"


def _laps_holder(wh: Warehouse, session_id: str) -> tuple[str, str] | None:
    rows = wh.query(f"select source_format, source_file from {RAW}.sessions where session_id = ? "
                    "and not is_deleted", (session_id,))
    return (rows[0][0], rows[0][1]) if rows and rows[0][0] != SOURCE_FORMAT else None


def _register_laps(wh: Warehouse, attempt: Attempt, laps: Extract, loaded_at: dt.datetime) -> None:
    """Laps replace the session in every lap table and bump its version, exactly like a file load."""
    planned, sid = attempt.planned, attempt.planned.session_id
    frame = laps.frame.copy()
    sha = hashlib.sha256(frame.to_csv(index=False).encode()).hexdigest()
    batch_id = uuid.uuid4().hex
    for table in LAP_TABLES:
        wh.execute(f"delete from {RAW}.{table} where _session_id = ?", (sid,))
    _insert(wh, LAPS_TABLE, frame, sid, batch_id, source_uri(planned), loaded_at)
    wh.execute(f"update {RAW}.load_batches set status = 'superseded' where status = 'active' and batch_id in "
               f"(select batch_id from {RAW}.sessions where session_id = ?)", (sid,))
    exists = wh.query(f"select count(*) from {RAW}.sessions where session_id = ?", (sid,))[0][0]
    values = ("f1", planned.season, planned.event, planned.session_name, SOURCE_FORMAT, LAPS_TABLE, batch_id,
              source_uri(planned), sha)
    if exists:
        wh.execute(f"update {RAW}.sessions set series = ?, season = ?, event = ?, session_name = ?, "
                   "source_format = ?, raw_table = ?, batch_id = ?, source_file = ?, source_sha256 = ?, "
                   "version = version + 1, is_deleted = false, updated_at = ? where session_id = ?",
                   (*values, loaded_at, sid))
    else:
        wh.execute(f"insert into {RAW}.sessions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, false, ?)",
                   (sid, *values, loaded_at))
    wh.execute(f"insert into {RAW}.load_batches values (?, ?, ?, ?, 1, ?, ?, 'active')",
               (batch_id, source_uri(planned), sha, SOURCE_FORMAT, len(frame), loaded_at))


def _insert(wh: Warehouse, table: str, frame, sid: str, batch_id: str, source: str, loaded_at: dt.datetime) -> None:
    frame = frame.copy()
    frame["_session_id"] = sid
    frame["_batch_id"] = batch_id
    frame["_source_file"] = source
    frame["_loaded_at"] = loaded_at
    wh.bulk_insert(f"{RAW}.{table}", frame)


def _log(wh: Warehouse, attempt: Attempt) -> None:
    p = attempt.planned
    by_status: dict[str, list[str]] = {"ok": [], "missing": [], "failed": []}
    for e in attempt.extracts:
        by_status.setdefault(e.status, []).append(e.data_type)
    wh.execute(f"insert into {RAW}.fastf1_api_import_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
               (attempt.run_id, p.session_id, p.season, p.round_number, p.event, p.session_name, p.date_utc,
                attempt.status, attempt.api_calls, ",".join(by_status["ok"]), ",".join(by_status["missing"]),
                ",".join(by_status["failed"]), attempt.laps_note, attempt.error, attempt.started_at,
                attempt.finished_at))
    for e in attempt.extracts:
        wh.execute(f"insert into {RAW}.fastf1_api_import_types values (?, ?, ?, ?, ?, ?)",
                   (attempt.run_id, p.session_id, e.data_type, e.status, e.rows, e.detail))


def land(wh: Warehouse, attempt: Attempt, *, replace: bool = False) -> None:
    """All of a session's data types and its log row, or nothing. A failed session lands only its log."""
    ensure_raw_schema(wh)
    sid = attempt.planned.session_id
    loaded_at = now_utc()
    with wh.transaction():
        if attempt.status != "failed":
            batch_id = uuid.uuid4().hex
            for table, _ in EXTRACT_COLUMNS.values():
                wh.execute(f"delete from {RAW}.{table} where _session_id = ?", (sid,))
            for e in attempt.extracts:
                if e.data_type == "laps" or e.status != "ok":
                    continue
                _insert(wh, table_for(e.data_type), e.frame, sid, batch_id, source_uri(attempt.planned), loaded_at)
            laps = next((e for e in attempt.extracts if e.data_type == "laps"), None)
            wh.lock(sid)  # the registry row: a concurrent file load of this session waits (Postgres)
            holder = _laps_holder(wh, sid)
            if laps is not None and laps.status == "ok":
                if holder and not replace:
                    laps.status = "skipped"
                    attempt.laps_note = (f"laps kept from {holder[0]} ({holder[1]}); "
                                         "pass --replace to let the API laps supersede them")
                else:
                    _register_laps(wh, attempt, laps, loaded_at)
        _log(wh, attempt)
