"""Run the suites against a target and write the report.

API contract (used by the CLI and by Dagster asset checks)::

    from expectations.runner import run_quality
    run = run_quality(target=None, suites=None, report_dir=Path("reports/quality"))

* ``target``: a profiles.yml output (duckdb | postgres); None = LAPSTACK_TARGET or the profile default.
* ``suites``: names, shell globs, tables (``marts.fct_laps``) or layers (``raw``); None = all suites.
* ``report_dir``: relative paths resolve against the repo root. It is reset on each run (only the
  files GX and lapstack generate) and then holds GX Data Docs with a stable ``index.html`` (a static
  lapstack summary on top) and ``quality_run.json`` (this ``QualityRun`` as JSON).

Returns a ``QualityRun`` (expectations.results): ``.success`` is False when any *critical* suite failed
and ``.exit_code`` is then 1. ``.suites`` holds one ``SuiteResult`` per suite with ``suite`` (name),
``table`` (``schema.table`` of the dbt model / loader table it guards: map it to the asset key),
``severity`` (``critical`` | ``warn``), ``status`` (passed | failed | not_present | error),
``success`` (not_present counts as success), ``rows_validated``, ``report_path`` (its Data Docs page)
and ``expectations``: ``ExpectationOutcome`` with ``check`` (readable name), ``expectation_type``,
``column``, ``success``, ``element_count``, ``unexpected_count``, ``unexpected_percent`` and up to 20
``examples`` (the unexpected rows' identifying columns and value). A table that does not exist yet is
``not_present`` and never raises. Validation never writes to the warehouse: DuckDB is opened read-only
and read through GX's pandas path in bounded chunks; Postgres through GX's SQL datasource.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.settings import PROJECT_ROOT, Target, resolve_target
from expectations import report
from expectations.gx_setup import SITE_NAME, new_context, quiet_offline
from expectations.results import QualityRun, SuiteResult
from expectations.spec import SuiteSpec
from expectations.suites import select

DEFAULT_REPORT_DIR = Path("reports/quality")


def postgres_url(target: Target) -> str:
    """SQLAlchemy URL for GX; the password comes from the profile's env var and is never logged."""
    from sqlalchemy.engine import URL

    cfg = target.config
    return URL.create("postgresql+psycopg", username=cfg["user"], password=cfg.get("password") or None,
                      host=cfg["host"], port=int(cfg["port"]), database=cfg["dbname"]).render_as_string(
                          hide_password=False)


def _existing_tables(target: Target, tables: set[str], reader: Any) -> set[str]:
    if reader is not None:
        return reader.existing(sorted(tables))
    from core.warehouse import Warehouse

    wh = Warehouse(target)
    try:
        return {t for t in tables if wh.table_exists(*t.split("."))}
    finally:
        wh.close()


def _open_path(target: Target, context: Any) -> tuple[Any, Any]:
    """(validation path, DuckDB reader or None) for the target's engine."""
    from expectations.validate import PandasPath, SqlPath

    if target.kind == "duckdb":
        from expectations.reads import DuckDBReader

        reader = DuckDBReader(target.config["path"])
        return PandasPath(context, reader), reader
    if target.kind == "postgres":
        return SqlPath(context, postgres_url(target)), None
    raise SystemExit(f"lapstack quality: target type {target.kind!r} is not supported yet (duckdb, postgres)")


def _not_present(spec: SuiteSpec, missing: list[str]) -> SuiteResult:
    return SuiteResult(suite=spec.name, table=spec.table, severity=spec.severity, layer=spec.layer,
                       status="not_present", message=f"not present: {', '.join(missing)} (not built or loaded yet)")


def run_quality(target: str | None = None, suites: Sequence[str] | None = None,
                report_dir: Path = DEFAULT_REPORT_DIR) -> QualityRun:
    quiet_offline()
    from great_expectations.core.run_identifier import RunIdentifier

    from expectations.validate import run_suite

    started = time.perf_counter()
    resolved = resolve_target(target)
    specs = select(suites)
    report_dir = report_dir if report_dir.is_absolute() else PROJECT_ROOT / report_dir
    report.reset(report_dir)
    context = new_context(report_dir)
    now = dt.datetime.now(dt.UTC)
    run_id = RunIdentifier(run_name=f"lapstack-quality-{resolved.name}", run_time=now)
    run = QualityRun(target=resolved.name, report_dir=str(report_dir), index_path=str(report_dir / "index.html"),
                     started_at=now.strftime("%Y-%m-%d %H:%M:%S"), seconds=0.0)
    path, reader = _open_path(resolved, context)
    try:
        present = _existing_tables(resolved, {t for s in specs for t in s.required_tables}, reader)
        for spec in specs:
            missing = [t for t in spec.required_tables if t not in present]
            run.suites.append(_not_present(spec, missing) if missing else run_suite(path, context, spec, run_id))
    finally:
        if reader is not None:
            reader.close()
    run.seconds = time.perf_counter() - started
    report.write(context, run, report_dir, SITE_NAME)
    return run
