"""Run success / failure notifications to an optional webhook (LAPSTACK_WEBHOOK_URL, never logged)."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from dagster import (
    DagsterRunStatus,
    DefaultSensorStatus,
    RunFailureSensorContext,
    RunStatusSensorContext,
    run_failure_sensor,
    run_status_sensor,
)

from core.settings import LAPSTACK_WEBHOOK_URL

TIMEOUT_S = 10


def run_payload(context: RunStatusSensorContext, status: str, error: str | None = None) -> dict[str, Any]:
    run = context.dagster_run
    keys = sorted(k.to_user_string() for k in (run.asset_selection or []))
    return {"text": f"lapstack run {status}: {run.job_name} ({run.run_id[:8]})", "status": status,
            "job": run.job_name, "run_id": run.run_id, "assets": keys,
            "partition": run.tags.get("dagster/partition"), "error": error}


def post(payload: dict[str, Any]) -> bool:
    """POST JSON; False when no webhook is configured. Errors name the status, never the URL."""
    url = LAPSTACK_WEBHOOK_URL.get()
    if not url:
        return False
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 - operator's own URL
            response.read()
    except Exception as exc:  # noqa: BLE001 - a broken hook must not fail the sensor loop
        raise RuntimeError(f"webhook post failed: {type(exc).__name__}") from None
    return True


@run_failure_sensor(name="notify_run_failure", default_status=DefaultSensorStatus.RUNNING,
                    monitor_all_code_locations=False)
def notify_run_failure(context: RunFailureSensorContext) -> None:
    error = context.failure_event.message if context.failure_event else None
    if post(run_payload(context, "failed", error)):
        context.log.info("run failure posted to the webhook")


@run_status_sensor(name="notify_run_success", run_status=DagsterRunStatus.SUCCESS,
                   default_status=DefaultSensorStatus.RUNNING)
def notify_run_success(context: RunStatusSensorContext) -> None:
    if post(run_payload(context, "succeeded")):
        context.log.info("run success posted to the webhook")
