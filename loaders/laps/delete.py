"""Remove a session, or one driver from a session, so the next `dbt build` forgets them entirely."""

from __future__ import annotations

from core.raw_schema import LAP_TABLES, RAW, ensure_raw_schema
from core.warehouse import Warehouse
from loaders.laps.store import utc_now


class NotFound(LookupError):
    pass


def _require_session(wh: Warehouse, session_id: str) -> None:
    rows = wh.query(f"select is_deleted from {RAW}.sessions where session_id = ?", (session_id,))
    if not rows or rows[0][0]:
        raise NotFound(f"no loaded session {session_id!r} (see `lapstack sessions`)")


def delete_session(wh: Warehouse, session_id: str) -> int:
    """Deletes the raw laps and marks the session deleted (kept for the audit trail)."""
    ensure_raw_schema(wh)
    with wh.transaction():
        _require_session(wh, session_id)
        removed = sum(_count(wh, t, session_id) for t in LAP_TABLES)
        for table in LAP_TABLES:
            wh.execute(f"delete from {RAW}.{table} where _session_id = ?", (session_id,))
        wh.execute(f"update {RAW}.sessions set is_deleted = true, version = version + 1, updated_at = ?, "
                   "source_sha256 = null where session_id = ?", (utc_now(), session_id))
    return removed


def delete_driver(wh: Warehouse, session_id: str, driver: str) -> int:
    ensure_raw_schema(wh)
    with wh.transaction():
        _require_session(wh, session_id)
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
