"""Which sessions a dbt build is about to rebuild, so its data tests read only those (issue 15).

Every session mart is incremental per session (dbt_project/macros/sessions_to_build.sql): a build rebuilds a
session whose current raw.sessions version some mart has not built yet. `lapstack build` and Dagster's dbt
steps hand that list to dbt as LAPSTACK_TEST_SESSIONS, which dbt_project/macros/test_scope.sql turns into the
`where` of every session-keyed data test; the scheduled full-scope job (and plain dbt) leave it unset.
Asked before dbt starts: DuckDB admits one writer, and dbt holds the file while it runs.
"""

from __future__ import annotations

import json
import re

from core.settings import LAPSTACK_TEST_SESSIONS
from core.warehouse import Warehouse

# Above this many sessions a scoped run is nearly a full one; its SQL would carry every id: test everything.
SCOPE_LIMIT = 500
# The mart every session with laps reaches first (every session mart reads it): a live session missing from
# it is new to the marts. (One another mart lacks after a build that failed half-way is left to the
# scheduled full-scope tests.)
EVERY_SESSION = ("fct_laps",)
_TABLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _versioned_marts(wh: Warehouse) -> list[str]:
    """Mart tables carrying `_session_version` (the session-keyed incremental contract)."""
    rows = wh.query("select distinct lower(table_name) from information_schema.columns "
                    "where lower(table_schema) = 'marts' and lower(column_name) = '_session_version'")
    return sorted(name for (name,) in rows if _TABLE.fullmatch(name))


def sessions_to_rebuild(wh: Warehouse) -> list[str] | None:
    """Live sessions some session mart has at another version or lacks; None when every row must be tested
    (a first build: the marts are not there yet; or more than SCOPE_LIMIT sessions)."""
    marts = _versioned_marts(wh)
    if not wh.table_exists("raw", "sessions") or not set(EVERY_SESSION) <= set(marts):
        return None
    live = {sid: int(v) for sid, v in wh.query("select session_id, version from raw.sessions where not is_deleted")}
    # One query for every mart (a union of each mart's distinct versions), not one round trip per mart.
    union = " union all ".join(
        f"select distinct '{mart}' as mart_name, session_id, _session_version from marts.{mart}" for mart in marts)
    changed: set[str] = set()
    built_everywhere: set[str] = set()
    for mart_name, sid, version in wh.query(union):
        if sid in live and live[sid] != int(version):
            changed.add(sid)
        if mart_name in EVERY_SESSION:
            built_everywhere.add(sid)
    changed |= live.keys() - built_everywhere
    return sorted(changed) if len(changed) <= SCOPE_LIMIT else None


def scope_env(sessions: list[str] | None) -> dict[str, str]:
    """The variable dbt reads: a JSON list, or empty (unset: full scope)."""
    return {LAPSTACK_TEST_SESSIONS.name: "" if sessions is None else json.dumps(sessions)}
