"""Build bigger warehouses for benchmarks by replicating REAL sessions' raw rows under new session ids."""

from __future__ import annotations

import pandas as pd

from core.raw_schema import LAP_TABLES, RAW
from core.warehouse import Warehouse
from loaders.laps.store import utc_now

# Where the copy plan lives while one growth step runs (dropped at its end; never read by dbt).
PLAN = "bench_replicate_plan"


def real_sessions(wh: Warehouse) -> list[tuple[str, str, int]]:
    """(session_id, raw_table, raw rows) of the loaded real sessions, largest first."""
    out = []
    for sid, table in wh.query(f"select session_id, raw_table from {RAW}.sessions where not is_deleted"):
        n = wh.query(f"select count(*) from {RAW}.{table} where _session_id = ?", (sid,))[0][0]
        out.append((sid, table, n))
    return sorted(out, key=lambda r: -r[2])


def _columns(wh: Warehouse, table: str) -> list[str]:
    return [r[0] for r in wh.query("select column_name from information_schema.columns where table_schema = ? "
                                   "and table_name = ? order by ordinal_position", (RAW, table))]


def grow_to(wh: Warehouse, sources: list[tuple[str, str, int]], target_sessions: int) -> int:
    """Replicate the real sessions round-robin until the warehouse holds `target_sessions`.

    Copy number n copies sources[n % len(sources)] as `<id>-copyNNNN` (session name `... (copy n)`). All
    copies of one step go in one insert-select per raw table, joined to a plan table of (source, new id), so
    10,000 sessions take seconds, not 10,000 scans of a growing raw table. A copy is stamped as loaded now
    (its rows' `_loaded_at` and its session's `updated_at`, as a load would): the marts that pick their work
    by load time (the lap activity marts) see it as new, like a session loaded today.
    """
    loaded_at = utc_now()
    have = wh.query(f"select count(*) from {RAW}.sessions where not is_deleted")[0][0]
    if have >= target_sessions:
        return have
    plan = pd.DataFrame(
        [(sources[n % len(sources)][0], f"{sources[n % len(sources)][0]}-copy{n:04d}", f" (copy {n})")
         for n in range(have, target_sessions)], columns=["source_id", "new_id", "copy_label"])
    tables = sorted({table for _, table, _ in sources})
    assert set(tables) <= set(LAP_TABLES), tables
    with wh.transaction():
        wh.execute(f"create table {RAW}.{PLAN} (source_id varchar, new_id varchar, copy_label varchar)")
        wh.bulk_insert(f"{RAW}.{PLAN}", plan)
        for table in tables:
            cols = _columns(wh, table)
            renamed = {"_session_id": "p.new_id", "_loaded_at": "cast(? as timestamp)"}
            select = ", ".join(renamed.get(c, f"r.{c}") for c in cols)
            wh.execute(f"insert into {RAW}.{table} ({', '.join(cols)}) select {select} from {RAW}.{table} as r "
                       f"inner join {RAW}.{PLAN} as p on r._session_id = p.source_id",
                       (loaded_at,) if "_loaded_at" in cols else ())
        wh.execute(f"insert into {RAW}.sessions select p.new_id, s.series, s.season, s.event, "
                   "s.session_name || p.copy_label, s.source_format, s.raw_table, s.batch_id, s.source_file, "
                   f"s.source_sha256, 1, false, cast(? as timestamp) from {RAW}.sessions as s "
                   f"inner join {RAW}.{PLAN} as p on s.session_id = p.source_id", (loaded_at,))
        wh.execute(f"drop table {RAW}.{PLAN}")
    return target_sessions
