"""Remove a session, or one driver from a session, so the next `dbt build` forgets them entirely."""

from __future__ import annotations

from core.raw_schema import LAP_TABLES, RAW, ensure_raw_schema, ensure_session_key
from core.warehouse import Warehouse
from loaders.laps.store import utc_now


class NotFound(LookupError):
    pass


def _require_session(wh: Warehouse, session_id: str) -> int:
    """The number of registry rows of a loaded session (more than 1 only in a doubled session)."""
    rows = wh.query(f"select is_deleted from {RAW}.sessions where session_id = ?", (session_id,))
    if not rows or all(r[0] for r in rows):
        raise NotFound(f"no loaded session {session_id!r} (see `lapstack sessions`)")
    return len(rows)


def delete_session(wh: Warehouse, session_id: str) -> int:
    """Deletes the raw laps and marks the session deleted (kept for the audit trail).

    Also the repair of a session registered twice (concurrent loads before the session key existed):
    its laps of every batch go, its registry rows collapse into one deleted row, its batches are retired,
    and the unique key on raw.sessions is created once no doubled session is left.
    """
    ensure_raw_schema(wh)
    with wh.transaction():
        wh.lock(session_id)
        registered = _require_session(wh, session_id)
        removed = sum(_count(wh, t, session_id) for t in LAP_TABLES)
        for table in LAP_TABLES:
            wh.execute(f"delete from {RAW}.{table} where _session_id = ?", (session_id,))
        if registered > 1:
            _collapse(wh, session_id)
        else:
            wh.execute(f"update {RAW}.sessions set is_deleted = true, version = version + 1, updated_at = ?, "
                       "source_sha256 = null where session_id = ?", (utc_now(), session_id))
    if registered > 1:
        ensure_session_key(wh)
    return removed


def _collapse(wh: Warehouse, session_id: str) -> None:
    """One deleted registry row instead of several, with a version above all of theirs."""
    wh.execute(f"update {RAW}.load_batches set status = 'superseded' where status = 'active' and batch_id in "
               f"(select batch_id from {RAW}.sessions where session_id = ?)", (session_id,))
    keep = wh.query(f"select series, season, event, session_name, source_format, raw_table, batch_id, source_file, "
                    f"version from {RAW}.sessions where session_id = ? order by version desc, updated_at desc",
                    (session_id,))[0]
    top = max(r[0] for r in wh.query(f"select version from {RAW}.sessions where session_id = ?", (session_id,)))
    wh.execute(f"delete from {RAW}.sessions where session_id = ?", (session_id,))
    wh.execute(f"insert into {RAW}.sessions values (?, ?, ?, ?, ?, ?, ?, ?, ?, null, ?, true, ?)",
               (session_id, *keep[:8], top + 1, utc_now()))


def delete_driver(wh: Warehouse, session_id: str, driver: str) -> int:
    ensure_raw_schema(wh)
    with wh.transaction():
        wh.lock(session_id)
        if _require_session(wh, session_id) > 1:
            raise NotFound(f"session {session_id!r} is registered twice; repair it first with "
                           f"`lapstack delete session {session_id}` and reload its file")
        removed = sum(_count(wh, t, session_id, driver) for t in LAP_TABLES)
        if removed == 0:
            raise NotFound(f"driver {driver!r} has no laps in session {session_id!r}")
        for table in LAP_TABLES:
            wh.execute(f"delete from {RAW}.{table} where _session_id = ? and _driver = ?", (session_id, driver))
        # Clearing the checksum makes a reload of the original file restore the driver.
        wh.execute(f"update {RAW}.sessions set version = version + 1, updated_at = ?, source_sha256 = null "
                   "where session_id = ?", (utc_now(), session_id))
    return removed


def _count(wh: Warehouse, table: str, session_id: str, driver: str | None = None) -> int:
    if driver is None:
        return wh.query(f"select count(*) from {RAW}.{table} where _session_id = ?", (session_id,))[0][0]
    return wh.query(f"select count(*) from {RAW}.{table} where _session_id = ? and _driver = ?",
                    (session_id, driver))[0][0]
