"""What the warehouse lacks for a season: compare the FastF1 schedule with the import log.

A session is a gap when it has run (its start is before `as_of`) and no import attempt landed it. A
session whose last attempt failed (the API has no timing for it) is retried only after
`retry_failed_after`, so a scheduled run does not spend quota on it every hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from core.raw_schema import RAW
from core.warehouse import Warehouse
from loaders.fastf1.ledger import Ledger
from loaders.fastf1.schedule import PlannedSession

# Calls per session load before the ledger has seen one (observed: 11-17, up to 19 when the mirror
# is asked for every missing stream), and per season schedule.
DEFAULT_SESSION_COST = {"all": 20, "jolpica": 2}
DEFAULT_SCHEDULE_COST = {"all": 3, "jolpica": 1}


@dataclass
class SessionGap:
    planned: PlannedSession
    reason: str  # missing | retry-failed | laps-from-other-source | forced
    estimate: dict[str, int]


@dataclass
class GapReport:
    season: int
    as_of: dt.datetime
    gaps: list[SessionGap] = field(default_factory=list)
    missing_events: list[str] = field(default_factory=list)
    missing_types: dict[str, list[str]] = field(default_factory=dict)  # session label -> types not ok
    upcoming: list[PlannedSession] = field(default_factory=list)
    failed_recently: list[PlannedSession] = field(default_factory=list)
    present: list[PlannedSession] = field(default_factory=list)

    def estimated_calls(self) -> dict[str, int]:
        total: dict[str, int] = {}
        for gap in self.gaps:
            for name, calls in gap.estimate.items():
                total[name] = total.get(name, 0) + calls
        return total


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def estimate_for(ledger: Ledger, kind: str) -> dict[str, int]:
    """Learned from the ledger: the most calls a load of this kind made, else of any kind, else the default."""
    return ledger.observed_cost(kind) or ledger.observed_cost(None) or dict(DEFAULT_SESSION_COST)


def _latest_attempts(wh: Warehouse, season: int) -> dict[str, tuple[str, dt.datetime, str]]:
    if not wh.table_exists(RAW, "fastf1_api_import_log"):
        return {}
    rows = wh.query(f"select session_id, status, finished_at, run_id from {RAW}.fastf1_api_import_log "
                    "where season = ? order by finished_at", (season,))
    return {sid: (status, finished, run_id) for sid, status, finished, run_id in rows}


def _types_not_ok(wh: Warehouse, run_id: str, session_id: str) -> list[str]:
    rows = wh.query(f"select data_type, status from {RAW}.fastf1_api_import_types where run_id = ? "
                    "and session_id = ? order by data_type", (run_id, session_id))
    return [f"{t} ({s})" for t, s in rows if s != "ok"]


def _other_sources(wh: Warehouse) -> set[str]:
    if not wh.table_exists(RAW, "sessions"):
        return set()
    return {sid for (sid,) in wh.query(f"select session_id from {RAW}.sessions where not is_deleted")}


def detect_gaps(wh: Warehouse, ledger: Ledger, sessions: list[PlannedSession], season: int,
                as_of: dt.datetime, retry_failed_after: dt.timedelta = dt.timedelta(hours=24),
                force: bool = False) -> GapReport:
    report = GapReport(season, as_of)
    attempts = _latest_attempts(wh, season)
    registered = _other_sources(wh)
    seen_events: dict[str, bool] = {}
    for planned in sessions:
        if not planned.is_past(as_of):
            report.upcoming.append(planned)
            continue
        latest = attempts.get(planned.session_id)
        seen_events.setdefault(planned.event, False)
        reason = None
        if force:
            reason = "forced"
        elif latest is None:
            reason = "laps-from-other-source" if planned.session_id in registered else "missing"
        elif latest[0] == "failed":
            if latest[1] is not None and _now() - latest[1] < retry_failed_after:
                report.failed_recently.append(planned)
            else:
                reason = "retry-failed"
        if latest is not None or planned.session_id in registered:
            seen_events[planned.event] = True
        if latest is not None and latest[0] != "failed":
            report.present.append(planned)
            not_ok = _types_not_ok(wh, latest[2], planned.session_id)
            if not_ok:
                report.missing_types[planned.label] = not_ok
        if reason is not None:
            report.gaps.append(SessionGap(planned, reason, estimate_for(ledger, planned.kind)))
    report.missing_events = [event for event, seen in seen_events.items() if not seen]
    return report
