"""Land official side files in `raw` atomically: same file twice is a no-op, a changed file replaces its rows.

Reuses the lap store's clock, schema and batch ledger (`raw.load_batches`, one row per landed file). Side
tables never write `raw.sessions` rows (that registry says where a session's *laps* live), but a load bumps
the `version` of the sessions it touches that already have laps, so incremental marts recompute them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from core.errors import LoadError
from core.raw_schema import RAW, ensure_raw_schema
from core.warehouse import Warehouse
from loaders.laps.store import LoadResult, utc_now
from loaders.official.sidefile import SideFile

CHUNK = 500


def _chunks(items: Sequence[str]) -> list[Sequence[str]]:
    return [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]


def _in(items: Sequence[str]) -> str:
    return "(" + ", ".join("?" for _ in items) + ")"


def _active_sha(wh: Warehouse, parsed: SideFile) -> str | None:
    rows = wh.query(f"select source_sha256 from {RAW}.load_batches where source_file = ? and format = ? "
                    "and status = 'active'", (str(parsed.path), parsed.format))
    return rows[0][0] if rows else None


def _other_files(wh: Warehouse, parsed: SideFile) -> dict[str, str]:
    """Session (or '' for session-less tables) -> another file already holding it in this table."""
    table, path = parsed.source.qualified, str(parsed.path)
    if not parsed.source.session_scoped:
        rows = wh.query(f"select min(_source_file) from {table} where _source_file <> ?", (path,))
        return {"": rows[0][0]} if rows and rows[0][0] else {}
    found: dict[str, str] = {}
    for chunk in _chunks(sorted(parsed.sessions)):
        for sid, other in wh.query(f"select _session_id, min(_source_file) from {table} where _source_file <> ? "
                                   f"and _session_id in {_in(chunk)} group by _session_id", (path, *chunk)):
            found[sid] = other
    return found


def store_side(wh: Warehouse, parsed: SideFile, *, replace: bool = False) -> LoadResult:
    source, path = parsed.source, str(parsed.path)
    ids = sorted(parsed.sessions)
    ensure_raw_schema(wh)
    with wh.transaction():
        if _active_sha(wh, parsed) == parsed.sha256:
            return LoadResult(parsed.path, parsed.format, "unchanged", ids, 0, None)
        others = {} if source.versioned else _other_files(wh, parsed)
        if others and not replace:
            sid, other = next(iter(sorted(others.items())))
            what = f"session {sid}" if sid else "its rows"
            raise LoadError(parsed.path, None, None,
                            f"raw.{source.table} already holds {what} from {other}; pass --replace to "
                            "supersede it, or --event/--session/--season to keep both")
        loaded_at = utc_now()
        superseded = {path, *others.values()}
        for other in sorted(superseded):
            wh.execute(f"update {RAW}.load_batches set status = 'superseded' where status = 'active' and "
                       "source_file = ? and format = ?", (other, parsed.format))
        wh.execute(f"delete from {source.qualified} where _source_file = ?", (path,))
        if others:
            if source.session_scoped:
                for chunk in _chunks(sorted(others)):
                    wh.execute(f"delete from {source.qualified} where _session_id in {_in(chunk)}", chunk)
            else:
                wh.execute(f"delete from {source.qualified}")
        batch_id = uuid.uuid4().hex
        frame = parsed.frame.copy()
        frame["_batch_id"] = batch_id
        frame["_source_file"] = path
        frame["_loaded_at"] = loaded_at
        wh.bulk_insert(source.qualified, frame)
        wh.execute(f"insert into {RAW}.load_batches values (?, ?, ?, ?, ?, ?, ?, 'active')",
                   (batch_id, path, parsed.sha256, parsed.format, len(ids), parsed.row_count, loaded_at))
        for chunk in _chunks(ids):
            wh.execute(f"update {RAW}.sessions set version = version + 1, updated_at = ? "
                       f"where not is_deleted and session_id in {_in(chunk)}", (loaded_at, *chunk))
    return LoadResult(parsed.path, parsed.format, "loaded", ids, parsed.row_count, batch_id)
