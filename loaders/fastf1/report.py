"""Plain-text reports for the CLI and the webhook: gaps, the import summary, the quota."""

from __future__ import annotations

import datetime as dt

from loaders.fastf1.gaps import GapReport
from loaders.fastf1.importer import Summary
from loaders.fastf1.ledger import Usage
from loaders.fastf1.tables import DATA_TYPES


def _calls(estimate: dict[str, int]) -> str:
    return ", ".join(f"{name} {calls}" for name, calls in sorted(estimate.items()))


def gaps_text(report: GapReport) -> str:
    lines = [f"FastF1 gaps for {report.season} (sessions run before {report.as_of:%Y-%m-%d %H:%M} UTC)"]
    lines.append(f"missing events: {len(report.missing_events)}")
    lines += [f"  {event}" for event in report.missing_events]
    lines.append(f"missing sessions: {len(report.gaps)}")
    lines += [f"  {g.planned.label} [{g.reason}] ~{_calls(g.estimate)} calls" for g in report.gaps]
    lines.append(f"sessions present: {len(report.present)}")
    for label, types in report.missing_types.items():
        lines.append(f"  {label}: missing {', '.join(types)}")
    if report.failed_recently:
        lines.append(f"failed recently, not retried yet: {len(report.failed_recently)}")
        lines += [f"  {p.label}" for p in report.failed_recently]
    lines.append(f"upcoming (not gaps): {len(report.upcoming)}")
    lines.append(f"estimated HTTP calls to fill the gaps: {_calls(report.estimated_calls()) or '0'}")
    return "\n".join(lines)


def summary_text(s: Summary) -> str:
    lines = [
        f"FastF1 import {s.season} (run {s.run_id[:8]})",
        f"gaps detected:        {s.gaps_detected}",
        f"sessions processed:   {s.processed} (ok {s.succeeded}, partial {s.partial}, failed {s.failed})",
        f"claimed elsewhere:    {s.claimed_elsewhere}",
        f"deferred:             {s.deferred}",
        f"API calls:            {s.api_calls}" + (
            f" ({', '.join(f'{h} {n}' for h, n in sorted(s.calls_by_host.items()))})" if s.calls_by_host else ""),
        f"rate-limit pauses:    {s.pauses} ({s.paused_s:.0f}s)",
        f"duration:             {s.duration_s:.1f}s",
        "data extracted:",
    ]
    for data_type in DATA_TYPES:
        statuses = s.sessions_by_type.get(data_type)
        if statuses:
            detail = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
            lines.append(f"  {data_type:24} {s.rows_by_type.get(data_type, 0):>9} rows  sessions: {detail}")
    if s.stopped:
        lines.append(f"stopped early (resumable: rerun to continue): {s.stopped}")
    return "\n".join(lines)


def quota_text(usages: list[Usage], ledger_path: str) -> str:
    lines = [f"FastF1 API quota (ledger {ledger_path})",
             f"{'limit':8} {'hosts':12} {'window':>7} {'used':>5} {'reserved':>8} {'remaining':>9}  next reset"]
    for u in usages:
        reset = "-" if u.next_reset is None else \
            dt.datetime.fromtimestamp(u.next_reset).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
        lines.append(f"{u.limit.name:8} {u.limit.host_suffix or '*':12} {u.limit.window_s:>6.0f}s {u.used:>5} "
                     f"{u.reserved:>8} {u.remaining:>9}  {reset}")
    return "\n".join(lines)
