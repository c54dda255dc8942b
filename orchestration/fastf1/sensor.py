"""Quota-aware FastF1 sensor: gaps become partitions; runs only for the sessions the quota affords now."""

from __future__ import annotations

import json
import time

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunRequest,
    RunsFilter,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    sensor,
)

from loaders.fastf1.config import ImportConfig
from loaders.fastf1.ledger import Ledger
from orchestration.fastf1.gap_file import PlannedGap, gap_report_path, read_gap_report
from orchestration.fastf1.jobs import fastf1_import_job
from orchestration.fastf1.keys import SESSION_TAG, fastf1_session_partitions
from orchestration.fastf1.quota import learned_cost, plan, reset_text
from orchestration.settings import WAREHOUSE_WRITER_TAG

IN_FLIGHT = [DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING,
             DagsterRunStatus.STARTED]
NOT_STARTED = {DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED, DagsterRunStatus.STARTING}


def _in_flight(context: SensorEvaluationContext) -> tuple[set[str], list[str]]:
    """Sessions with a run queued or running, and those whose runs hold no ledger reservation yet."""
    runs = context.instance.get_runs(RunsFilter(job_name=fastf1_import_job.name, statuses=IN_FLIGHT))
    busy = {r.tags[SESSION_TAG] for r in runs if SESSION_TAG in r.tags}
    waiting = [r.tags[SESSION_TAG] for r in runs if SESSION_TAG in r.tags and r.status in NOT_STARTED]
    return busy, waiting


def _pending_cost(ledger: Ledger, gaps: dict[str, PlannedGap], waiting: list[str]) -> dict[str, int]:
    total: dict[str, int] = {}
    for sid in waiting:
        if sid in gaps:
            for name, calls in learned_cost(ledger, gaps[sid]).items():
                total[name] = total.get(name, 0) + calls
    return total


@sensor(
    name="fastf1_quota_sensor",
    job=fastf1_import_job,
    minimum_interval_seconds=300,
    default_status=DefaultSensorStatus.RUNNING,
    description="Imports FastF1 sessions from the gap report as fast as the shared quota ledger allows.",
)
def fastf1_quota_sensor(context: SensorEvaluationContext) -> SensorResult | SkipReason:
    cfg = ImportConfig.resolve(None)
    report = read_gap_report(gap_report_path(cfg))
    if report is None:
        return SkipReason("no FastF1 gap report yet: the fastf1_gap_refresh schedule (or materialising "
                          "raw/fastf1_gap_report) writes it")
    # Cursor: session id -> when it was requested. A request stands until a report newer than it still
    # lists the session (its run ended without landing it), so in-flight or done sessions are never re-sent.
    requested: dict[str, float] = json.loads(context.cursor) if context.cursor else {}
    busy, waiting = _in_flight(context)
    by_id = {g.session_id: g for g in report.gaps}
    candidates = [g for g in report.gaps if g.session_id not in busy
                  and requested.get(g.session_id, -1.0) < report.generated_at]
    existing = set(context.instance.get_dynamic_partitions(fastf1_session_partitions.name))
    new_keys = [g.session_id for g in report.gaps if g.session_id not in existing]
    add = [fastf1_session_partitions.build_add_request(new_keys)] if new_keys else []
    if not candidates:
        return SensorResult(skip_reason=SkipReason(
            f"{len(report.gaps)} gap(s) in the {report.season} report, all requested or in flight"),
            dynamic_partitions_requests=add, cursor=json.dumps(requested))
    ledger = Ledger(cfg.ledger_path, cfg.limits)
    try:
        quota = plan(ledger, candidates, _pending_cost(ledger, by_id, waiting))
    finally:
        ledger.close()
    now = time.time()
    if not quota.chosen:
        reason = reset_text(quota.blocked_by, now) if quota.blocked_by else "FastF1 quota exhausted"
        return SensorResult(skip_reason=SkipReason(f"{reason}; {len(candidates)} session(s) waiting"),
                            dynamic_partitions_requests=add, cursor=json.dumps(requested))
    runs = []
    for gap in quota.chosen:
        requested[gap.session_id] = now
        runs.append(RunRequest(run_key=f"fastf1-{gap.session_id}-{now:.0f}", partition_key=gap.session_id,
                               tags={**WAREHOUSE_WRITER_TAG, SESSION_TAG: gap.session_id}))
    if quota.blocked_by:
        context.log.info(f"{len(runs)} requested; {reset_text(quota.blocked_by, now)}")
    return SensorResult(run_requests=runs, dynamic_partitions_requests=add, cursor=json.dumps(requested))
