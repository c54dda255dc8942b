"""Land parsed lap files in `raw` atomically: same file twice is a no-op, a corrected file supersedes.

Concurrency: two loads of one file at once end with one load and one `unchanged`, never a session
registered twice. Postgres: the transaction takes an advisory lock per session id before it reads the
registry, so the second loader waits and then sees the first one's committed row; the unique key on
raw.sessions(session_id) refuses a second row whatever writer tries. DuckDB: one writing process per
file (a second gets a clear "locked by process ..." error) plus the same unique key.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from core.errors import LoadError
from core.raw_schema import LAP_TABLES, RAW, ensure_raw_schema
from core.warehouse import Warehouse
from loaders.laps.model import ParsedFile, ParsedSession
from loaders.telemetry import relap


@dataclass
class LoadResult:
    path: Path
    format: str
    status: str  # loaded | unchanged
    sessions: list[str]
    rows: int
    batch_id: str | None


def utc_now() -> dt.datetime:
    """Naive UTC to the second: the one clock every raw control table is stamped with."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def _existing(wh: Warehouse, session_id: str, path: Path | str | None = None) -> tuple | None:
    rows = wh.query(f"select source_file, source_sha256, version, is_deleted from {RAW}.sessions "
                    "where session_id = ?", (session_id,))
    if len(rows) > 1:
        raise LoadError(path or session_id, None, None,
                        f"session {session_id} is registered {len(rows)} times in raw.sessions (left by concurrent "
                        f"loads before the session key existed); repair it with `lapstack delete session "
                        f"{session_id}`, then load the file again")
    return rows[0] if rows else None


class ExcerptOfLoaded(LoadError):
    """The file's laps are all already loaded, identically, from another file of the same session (a real
    case: GR Cup `barber/Samples/` holds the first 49 laps of Barber Race 1). Nothing is new, so the file is
    skipped with this reason rather than refused: loading a whole real folder must not fail over it."""


def _lap_rows(frame: pd.DataFrame) -> set[tuple]:
    """A session's laps as the source's text values (lineage columns left out), comparable across files."""
    cols = sorted(c for c in frame.columns if not c.startswith("_"))
    values = frame[cols].astype(object).where(frame[cols].notna(), None)
    return set(values.itertuples(index=False, name=None))


def _loaded_rows(wh: Warehouse, parsed: ParsedFile, session: ParsedSession) -> set[tuple] | None:
    """The laps the warehouse holds for this session, in the columns of this file's raw table (None when
    the session lives in another raw table, i.e. another format)."""
    if not wh.table_exists(RAW, parsed.raw_table):
        return None
    cols = sorted(c for c in session.rows.columns if not c.startswith("_"))
    col_list = ", ".join(cols)  # the parsed frame's columns: the registry's columns of this raw table
    qualified = f"{RAW}.{parsed.raw_table}"  # a registry table name
    rows = wh.query(f"select {col_list} from {qualified} where _session_id = ?", (session.info.session_id,))
    return set(rows) if rows else None


def _check_conflicts(wh: Warehouse, parsed: ParsedFile, replace: bool) -> bool:
    """True when every session already holds exactly this file; refuses silent cross-file merges.

    Two real files of one session that agree lap for lap are not a merge: a file whose laps are all loaded
    already is an excerpt (ExcerptOfLoaded: skipped), and a file holding every loaded lap and more extends
    the excerpt that was loaded first, so it supersedes it without --replace."""
    unchanged = True
    for session in parsed.sessions:
        current = _existing(wh, session.info.session_id, parsed.path)
        if current is None or current[3]:
            unchanged = False
            continue
        source_file, sha, _, _ = current
        if sha != parsed.sha256:
            unchanged = False
        if source_file != str(parsed.path) and not replace:
            loaded, new = _loaded_rows(wh, parsed, session), _lap_rows(session.rows)
            if loaded is not None and new <= loaded:
                raise ExcerptOfLoaded(parsed.path, None, None,
                                      f"an excerpt of {source_file}: its {len(new)} laps of session "
                                      f"{session.info.session_id} are all loaded from it already")
            if loaded is not None and loaded < new:
                continue  # extends the loaded excerpt: supersede it
            raise LoadError(parsed.path, None, None,
                            f"session {session.info.session_id} is already loaded from {source_file}; "
                            "pass --replace to supersede it, or --event/--session/--season to keep both")
    return unchanged


def _land_session(wh: Warehouse, parsed: ParsedFile, session: ParsedSession, batch_id: str,
                  loaded_at: dt.datetime) -> None:
    sid = session.info.session_id
    for table in LAP_TABLES:  # a session lives in exactly one raw table at a time
        wh.execute(f"delete from {RAW}.{table} where _session_id = ?", (sid,))
    frame = session.rows.copy()
    frame["_session_id"] = sid
    frame["_batch_id"] = batch_id
    frame["_source_file"] = str(parsed.path)
    frame["_loaded_at"] = loaded_at
    wh.bulk_insert(f"{RAW}.{parsed.raw_table}", frame)
    current = _existing(wh, sid, parsed.path)
    info = session.info
    if current is None:
        wh.execute(
            f"insert into {RAW}.sessions values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, false, ?)",
            (sid, info.series, info.season, info.event, info.session_name, parsed.format, parsed.raw_table,
             batch_id, str(parsed.path), parsed.sha256, loaded_at))
    else:
        wh.execute(
            f"update {RAW}.sessions set series = ?, season = ?, event = ?, session_name = ?, source_format = ?, "
            "raw_table = ?, batch_id = ?, source_file = ?, source_sha256 = ?, version = version + 1, "
            "is_deleted = false, updated_at = ? where session_id = ?",
            (info.series, info.season, info.event, info.session_name, parsed.format, parsed.raw_table,
             batch_id, str(parsed.path), parsed.sha256, loaded_at, sid))


def store(wh: Warehouse, parsed: ParsedFile, *, replace: bool = False) -> LoadResult:
    ids = [s.info.session_id for s in parsed.sessions]
    ensure_raw_schema(wh)
    with wh.transaction():
        wh.lock(*ids)  # before reading the registry: a concurrent load of these sessions waits here
        if _check_conflicts(wh, parsed, replace):
            return LoadResult(parsed.path, parsed.format, "unchanged", ids, 0, None)
        batch_id = uuid.uuid4().hex
        loaded_at = utc_now()
        wh.execute(f"update {RAW}.load_batches set status = 'superseded' where status = 'active' and "
                   f"batch_id in (select batch_id from {RAW}.sessions where session_id in "
                   f"({', '.join('?' for _ in ids)}))", ids)
        for session in parsed.sessions:
            _land_session(wh, parsed, session, batch_id, loaded_at)
            if parsed.raw_table == "fastf1_laps":  # telemetry loaded before these laps gets them now
                relap.after_fastf1_laps(wh, session.info.session_id, loaded_at)
        wh.execute(f"insert into {RAW}.load_batches values (?, ?, ?, ?, ?, ?, ?, 'active')",
                   (batch_id, str(parsed.path), parsed.sha256, parsed.format, len(ids), parsed.row_count,
                    loaded_at))
    return LoadResult(parsed.path, parsed.format, "loaded", ids, parsed.row_count, batch_id)
