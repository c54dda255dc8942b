"""Build bigger warehouses for benchmarks by replicating REAL sessions' raw rows under new session ids."""

from __future__ import annotations

from core.raw_schema import LAP_TABLES, RAW
from core.warehouse import Warehouse


def real_sessions(wh: Warehouse) -> list[tuple[str, str, int]]:
    """(session_id, raw_table, raw rows) of the loaded real sessions, largest first."""
    out = []
    for sid, table in wh.query(f"select session_id, raw_table from {RAW}.sessions where not is_deleted"):
        n = wh.query(f"select count(*) from {RAW}.{table} where _session_id = ?", (sid,))[0][0]
        out.append((sid, table, n))
    return sorted(out, key=lambda r: -r[2])


def replicate(wh: Warehouse, source: tuple[str, str, int], copy_no: int) -> str:
    """One more session made of the source session's real raw rows; returns the new session id."""
    sid, table, _ = source
    new_id = f"{sid}-copy{copy_no:04d}"
    cols = [r[0] for r in wh.query("select column_name from information_schema.columns where table_schema = ? "
                                   "and table_name = ? order by ordinal_position", (RAW, table))]
    select = ", ".join("cast(? as varchar)" if c == "_session_id" else c for c in cols)
    with wh.transaction():
        wh.execute(f"insert into {RAW}.{table} ({', '.join(cols)}) select {select} from {RAW}.{table} "
                   "where _session_id = ?", (new_id, sid))
        wh.execute(f"insert into {RAW}.sessions select cast(? as varchar), series, season, event, "
                   "session_name || cast(? as varchar), source_format, "
                   "raw_table, batch_id, source_file, source_sha256, 1, false, updated_at "
                   f"from {RAW}.sessions where session_id = ?", (new_id, f" (copy {copy_no})", sid))
    return new_id


def grow_to(wh: Warehouse, sources: list[tuple[str, str, int]], target_sessions: int) -> int:
    """Replicate the real sessions round-robin until the warehouse holds `target_sessions`."""
    have = wh.query(f"select count(*) from {RAW}.sessions where not is_deleted")[0][0]
    copy_no = have
    while have < target_sessions:
        replicate(wh, sources[copy_no % len(sources)], copy_no)
        copy_no += 1
        have += 1
    return have


assert set(LAP_TABLES)  # the raw lap tables replicated above
