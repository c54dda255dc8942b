"""Read one session's raw laps straight from the warehouse, as the per-page code did."""

from __future__ import annotations

import pandas as pd

from core.raw_schema import LAP_TABLES, RAW
from core.warehouse import Warehouse
from tests.oracle.canonical import canonical_laps
from tests.oracle.stats import SessionStats, session_stats


def _session(wh: Warehouse, session_id: str) -> tuple[str, str]:
    table = wh.query(f"select raw_table, session_name from {RAW}.sessions where session_id = ? and not is_deleted",
                     (session_id,))
    if not table or table[0][0] not in LAP_TABLES:
        raise LookupError(f"no live session {session_id!r}")
    return table[0][0], table[0][1]


def raw_session_laps(wh: Warehouse, session_id: str) -> pd.DataFrame:
    raw_table, _ = _session(wh, session_id)
    raw = wh.query_df(f"select * from {RAW}.{raw_table} where _session_id = ?", (session_id,))
    return canonical_laps(raw_table, raw)


def compute_on_the_fly(wh: Warehouse, session_id: str) -> SessionStats:
    _, session_name = _session(wh, session_id)
    return session_stats(raw_session_laps(wh, session_id), session_name)
