"""Schedules: the daily FastF1 gap refresh, the nightly build of the telemetry marts with their lookback,
the hourly `dbt source freshness` checks and the weekly full-scope dbt data tests.

All are off by default: the first calls the FastF1 API, the others use the warehouse unattended (DuckDB has one
writer). The telemetry marts are rebuilt by every telemetry load anyway; their freshness policy follows loads.
"""

from __future__ import annotations

from dagster import DefaultScheduleStatus, RunRequest, ScheduleEvaluationContext, schedule

from core.settings import LAPSTACK_LOOKBACK_DAYS, LAPSTACK_LOOKBACK_HOURS, LAPSTACK_LOOKBACK_MONTHS
from orchestration.fastf1.jobs import fastf1_gap_refresh_job
from orchestration.fastf1.keys import current_season
from orchestration.jobs import data_tests_full_job, source_freshness_job, telemetry_marts_job


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


@schedule(job=telemetry_marts_job, cron_schedule="30 2 * * *", execution_timezone="UTC",
          default_status=DefaultScheduleStatus.STOPPED,
          description="Nightly: incremental dbt build of the telemetry marts, re-aggregating the lookback window "
                      "(off by default; every telemetry load rebuilds them too).")
def telemetry_marts_nightly(context: ScheduleEvaluationContext) -> RunRequest:
    return RunRequest(run_key=f"telemetry-marts-{context.scheduled_execution_time:%Y%m%d}",
                      run_config={"ops": {"dbt_models": {"config": lookback_config()}}})


@schedule(job=source_freshness_job, cron_schedule="15 * * * *", execution_timezone="UTC",
          default_status=DefaultScheduleStatus.STOPPED,
          description="Hourly: `dbt source freshness` as checks on the loader assets (off by default, like the "
                      "nightly build; the windows are days, matching the marts' freshness policy).")
def source_freshness_hourly(context: ScheduleEvaluationContext) -> RunRequest:
    return RunRequest(run_key=f"source-freshness-{context.scheduled_execution_time:%Y%m%d%H}")


@schedule(job=data_tests_full_job, cron_schedule="0 4 * * 0", execution_timezone="UTC",
          default_status=DefaultScheduleStatus.STOPPED,
          description="Weekly: every dbt data test of the session marts over every row (a build tests only the "
                      "sessions it rebuilds; off by default like the other schedules).")
def data_tests_full_weekly(context: ScheduleEvaluationContext) -> RunRequest:
    return RunRequest(run_key=f"data-tests-full-{context.scheduled_execution_time:%Y%m%d}")
