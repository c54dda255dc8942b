"""Schedules: the daily FastF1 gap refresh and the nightly build of the time marts with their lookback."""

from __future__ import annotations

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, define_asset_job, schedule

from core.settings import LAPSTACK_LOOKBACK_DAYS, LAPSTACK_LOOKBACK_HOURS, LAPSTACK_LOOKBACK_MONTHS
from orchestration.dbt.translator import TIME_MART_FOLDER
from orchestration.fastf1.jobs import fastf1_gap_refresh_job
from orchestration.fastf1.keys import current_season
from orchestration.settings import WAREHOUSE_WRITER_TAG

time_marts_job = define_asset_job(
    "time_marts_job",
    selection="group:time_marts",
    tags=WAREHOUSE_WRITER_TAG,
    description=f"dbt build of the {TIME_MART_FOLDER} / hourly / daily / monthly marts with their lookback.",
)


def lookback_config() -> dict:
    """The nightly window, overridable per deployment (defaults match the models' own)."""
    return {"lookback_hours": LAPSTACK_LOOKBACK_HOURS.get(), "lookback_days": LAPSTACK_LOOKBACK_DAYS.get(),
            "lookback_months": LAPSTACK_LOOKBACK_MONTHS.get()}


@schedule(job=fastf1_gap_refresh_job, cron_schedule="0 6 * * *", execution_timezone="UTC",
          default_status=DefaultScheduleStatus.STOPPED,
          description="Daily: refresh the current season's FastF1 gap report (one schedule call, cached).")
def fastf1_gap_refresh(context: ScheduleEvaluationContext) -> RunRequest:
    season = current_season()
    return RunRequest(run_key=f"gaps-{season}-{context.scheduled_execution_time:%Y%m%d}",
                      run_config={"ops": {"raw__fastf1_gap_report": {"config": {"season": season}}}},
                      tags={"lapstack/season": str(season)})


@schedule(job=time_marts_job, cron_schedule="30 2 * * *", execution_timezone="UTC",
          default_status=DefaultScheduleStatus.STOPPED,
          description="Nightly: incremental dbt build of the time marts, re-aggregating the lookback window.")
def nightly_time_marts(context: ScheduleEvaluationContext) -> RunRequest:
    return RunRequest(run_key=f"time-marts-{context.scheduled_execution_time:%Y%m%d}",
                      run_config={"ops": {"time_models": {"config": lookback_config()}}})
