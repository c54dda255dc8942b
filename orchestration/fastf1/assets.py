"""FastF1 API assets: the season gap report and one partition per imported session."""

import time

from dagster import (
    AssetExecutionContext,
    BackfillPolicy,
    Config,
    Failure,
    MaterializeResult,
    MetadataValue,
    asset,
)

from loaders.fastf1.config import ImportConfig
from loaders.fastf1.gaps import SessionGap, estimate_for
from loaders.fastf1.importer import Importer, ImportOptions, Stop
from loaders.fastf1.report import gaps_text
from orchestration.fastf1.gap_file import gap_report_path, write_gap_report
from orchestration.fastf1.keys import (
    FASTF1_SESSIONS_KEY,
    GAP_REPORT_KEY,
    current_season,
    fastf1_session_partitions,
    season_of,
)
from orchestration.resources import WarehouseResource
from orchestration.settings import FASTF1_API_POOL


class GapRefreshConfig(Config):
    season: int | None = None  # default: LAPSTACK_FASTF1_SEASON or this year


@asset(key=GAP_REPORT_KEY, pool=FASTF1_API_POOL, group_name="raw_loads", kinds={"python", "json"},
       description="The plan of raw/fastf1_sessions: sessions of the season that have run but are not in the "
                   "warehouse, with their API call estimates, written to a JSON file (no warehouse table). "
                   "fastf1_quota_sensor adds each gap as a raw/fastf1_sessions partition and imports as many as "
                   "the quota affords. Refreshed by the fastf1_gap_refresh schedule (off by default).")
def fastf1_gap_report(context: AssetExecutionContext, config: GapRefreshConfig,
                      warehouse: WarehouseResource) -> MaterializeResult:
    """The schedule costs one API call (cached after); the sensor then plans from the written file."""
    season = config.season or current_season()
    cfg = ImportConfig.resolve(warehouse.target)
    importer = Importer(cfg, ImportOptions(season=season, target=warehouse.target), log=context.log.info)
    try:
        report = importer.gaps(importer.schedule())
    except Stop as exc:
        raise Failure(description=str(exc)) from None
    finally:
        importer.ledger.close()
    path = gap_report_path(cfg)
    write_gap_report(path, report, time.time())
    return MaterializeResult(metadata={
        "season": season, "gaps": len(report.gaps), "present": len(report.present),
        "upcoming": len(report.upcoming), "estimated_calls": MetadataValue.json(report.estimated_calls()),
        "report": MetadataValue.md(f"```\n{gaps_text(report)}\n```"), "path": str(path)})


def _import(context: AssetExecutionContext, importer: Importer, keys: list[str]) -> list:
    by_id = {s.session_id: s for s in importer.schedule()}
    attempts = []
    for key in keys:
        planned = by_id.get(key)
        if planned is None:
            raise Failure(description=f"{key} is not in the {importer.opts.season} FastF1 schedule")
        attempt = importer.import_session(SessionGap(planned, "requested", estimate_for(importer.ledger,
                                                                                          planned.kind)))
        if attempt is None:
            context.log.warning(f"{key}: claimed by another process; skipped")
            continue
        context.log.info(f"{attempt.status} {planned.label}: {attempt.api_calls} calls")
        attempts.append(attempt)
    return attempts


@asset(key=FASTF1_SESSIONS_KEY, partitions_def=fastf1_session_partitions, deps=[GAP_REPORT_KEY],
       backfill_policy=BackfillPolicy.multi_run(max_partitions_per_run=20), pool=FASTF1_API_POOL,
       group_name="raw_loads", kinds={"python"},
       description="FastF1 API sessions (one partition per session id), every data type, under the shared quota.")
def fastf1_sessions(context: AssetExecutionContext, warehouse: WarehouseResource) -> MaterializeResult:
    """One FastF1 session load per partition; the ledger reservation makes double loads impossible."""
    keys = list(context.partition_keys)
    seasons = {season_of(k) for k in keys}
    cfg = ImportConfig.resolve(warehouse.target)
    attempts = []
    for season in sorted(seasons):
        importer = Importer(cfg, ImportOptions(season=season, target=warehouse.target), log=context.log.info)
        try:
            attempts += _import(context, importer, [k for k in keys if season_of(k) == season])
        except Stop as exc:
            raise Failure(description=f"quota: {exc}") from None
        finally:
            importer.ledger.close()
    failed = [a for a in attempts if a.status == "failed"]
    if attempts and len(failed) == len(attempts):
        raise Failure(description="; ".join(f"{a.planned.label}: {a.error}" for a in failed))
    rows = ["| session | status | calls | types |", "|---|---|---:|---|"] + [
        f"| {a.planned.label} | {a.status} | {a.api_calls} | "
        + ", ".join(f"{e.data_type}={e.rows if e.status == 'ok' else e.status}" for e in a.extracts) + " |"
        for a in attempts]
    return MaterializeResult(metadata={
        "sessions": len(attempts), "api_calls": sum(a.api_calls for a in attempts),
        "statuses": MetadataValue.json({a.planned.session_id: a.status for a in attempts}),
        "imports": MetadataValue.md("\n".join(rows))})
