"""Run one SuiteSpec through Great Expectations: pandas path (DuckDB chunks) or SQL path (Postgres)."""

from __future__ import annotations

import datetime as dt
import math
import time
from typing import Any

from expectations.merge import GX_EXAMPLES, merge, trim
from expectations.results import MAX_EXAMPLES, ExpectationOutcome, SuiteResult
from expectations.spec import SuiteSpec


def result_format(spec: SuiteSpec) -> dict[str, Any]:
    return {"result_format": "SUMMARY", "partial_unexpected_count": GX_EXAMPLES,
            "unexpected_index_column_names": list(spec.index_columns), "return_unexpected_index_query": False}


TYPE_CHECK = "expect_column_values_to_be_in_type_list"


def gx_suite(context: Any, spec: SuiteSpec, with_types: bool = True) -> Any:
    """GX reads no column types of SQL query assets (it raises KeyError 'type'), so the SQL path leaves
    the type checks to the database DDL and says so in the suite's message."""
    import great_expectations as gx

    built = [check.build() for check in spec.checks]
    built = [e for e in built if with_types or e.expectation_type != TYPE_CHECK]
    suite = gx.ExpectationSuite(name=spec.name, expectations=built,
                                meta={"table": spec.table, "severity": spec.severity, "layer": spec.layer,
                                      "notes": {"format": "markdown", "content": [spec.description]}})
    try:
        context.suites.delete(spec.name)
    except Exception:  # noqa: BLE001 - not there yet
        pass
    return context.suites.add(suite)


class PandasPath:
    """DuckDB: bounded frames from DuckDBReader, validated by GX's pandas engine chunk by chunk."""

    checks_types = True

    def __init__(self, context: Any, reader: Any):
        self.context, self.reader = context, reader
        self.datasource = context.data_sources.add_pandas("lapstack_duckdb")
        self._batch_defs: dict[str, Any] = {}

    def _batch_definition(self, table: str) -> Any:
        if table not in self._batch_defs:
            asset = self.datasource.add_dataframe_asset(table)
            self._batch_defs[table] = asset.add_batch_definition_whole_dataframe("bounded_read")
        return self._batch_defs[table]

    def validate(self, spec: SuiteSpec, suite: Any) -> tuple[Any, int, int]:
        from great_expectations.validator.v1_validator import Validator

        batch_def = self._batch_definition(spec.table)
        parts, rows = [], 0
        for frame in self.reader.chunks(spec):
            rows += len(frame)
            validator = Validator(batch_definition=batch_def, batch_parameters={"dataframe": frame},
                                  result_format=result_format(spec))
            parts.append(trim(validator.validate_expectation_suite(suite)))
        return (merge(parts) if len(parts) > 1 else parts[0]), rows, len(parts)


class SqlPath:
    """Postgres: GX's SQL datasource runs every metric inside the database (no rows leave it)."""

    checks_types = False

    def __init__(self, context: Any, connection_string: str):
        self.context = context
        self.datasource = context.data_sources.add_postgres("lapstack_postgres",
                                                            connection_string=connection_string)

    def validate(self, spec: SuiteSpec, suite: Any) -> tuple[Any, int, int]:
        from great_expectations.validator.v1_validator import Validator

        # GX wants the query to start with "SELECT "; CTE queries run fine as a subquery.
        asset = self.datasource.add_query_asset(name=spec.name, query=f"SELECT * FROM ({spec.sql()}) AS q")
        batch_def = asset.add_batch_definition_whole_table("whole_query")
        result = trim(Validator(batch_definition=batch_def, result_format=result_format(spec))
                      .validate_expectation_suite(suite))
        rows = max((evr.result or {}).get("element_count") or 0 for evr in result.results) if result.results else 0
        return result, rows, 1


def store(context: Any, spec: SuiteSpec, result: Any, run_id: Any) -> None:
    """Put the (merged) result where Data Docs reads it, keyed by suite, run and table."""
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    result.meta["run_id"] = run_id
    result.meta["validation_time"] = run_id.run_time
    result.meta["active_batch_definition"] = {"datasource_name": "lapstack", "data_connector_name": "bounded_read",
                                              "data_asset_name": spec.table, "batch_identifiers": {}}
    key = ValidationResultIdentifier(expectation_suite_identifier=ExpectationSuiteIdentifier(name=spec.name),
                                     run_id=run_id, batch_identifier=spec.table)
    context.validation_results_store.set(key, result)


def outcomes(spec: SuiteSpec, result: Any) -> list[ExpectationOutcome]:
    names = [check.name for check in spec.checks]  # fallback only: every check sets its description
    out = []
    for i, evr in enumerate(result.results):
        cfg = evr.expectation_config
        res = evr.result or {}
        exc = evr.exception_info or {}
        out.append(ExpectationOutcome(
            check=(cfg.description or (names[i] if i < len(names) else cfg.type)),
            expectation_type=cfg.type, column=cfg.kwargs.get("column") or cfg.kwargs.get("column_list"),
            success=bool(evr.success), element_count=int(res.get("element_count") or 0),
            unexpected_count=int(res.get("unexpected_count") or 0),
            unexpected_percent=res.get("unexpected_percent"),
            examples=_diverse([_plain(r) for r in (res.get("unexpected_index_list")
                                                   or res.get("partial_unexpected_index_list") or [])],
                              spec.index_columns[:2]),
            observed_value=_plain(res.get("observed_value")),
            exception=exc.get("exception_message") if exc.get("raised_exception") else None))
    return out


def _diverse(rows: list[dict[str, Any]], keys: Any) -> list[dict[str, Any]]:
    """Up to MAX_EXAMPLES rows taken round-robin across (session, driver), so every offender shows up."""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(row.get(k) for k in keys), []).append(row)
    picked: list[dict[str, Any]] = []
    while len(picked) < MAX_EXAMPLES and any(groups.values()):
        for bucket in groups.values():
            if bucket and len(picked) < MAX_EXAMPLES:
                picked.append(bucket.pop(0))
    return picked


def _plain(value: Any) -> Any:
    """numpy / pandas scalars as plain Python, so results serialise to JSON and compare in tests."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, str):
        try:
            return _plain(value.item())
        except (ValueError, AttributeError):
            return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def run_suite(path: Any, context: Any, spec: SuiteSpec, run_id: Any) -> SuiteResult:
    started = time.perf_counter()
    base = SuiteResult(suite=spec.name, table=spec.table, severity=spec.severity, layer=spec.layer,
                       status="error")
    try:
        suite = gx_suite(context, spec, with_types=path.checks_types)
        result, rows, chunks = path.validate(spec, suite)
    except Exception as exc:  # noqa: BLE001 - one broken suite must not hide the others' results
        base.message = f"{type(exc).__name__}: {exc}".strip()[:2000]
        base.seconds = time.perf_counter() - started
        return base
    store(context, spec, result, run_id)
    base.expectations = outcomes(spec, result)
    base.rows_validated, base.chunks = rows, chunks
    broken = [e for e in base.expectations if e.exception]
    base.status = "passed" if result.success else ("error" if broken and len(broken) == len(base.expectations)
                                                     else "failed")
    if broken:
        base.message = f"{len(broken)} expectation(s) raised: {broken[0].exception}"
    elif not path.checks_types and any(c.name.endswith("-like type") for c in spec.checks):
        base.message = "column types: enforced by the Postgres DDL (GX cannot type SQL query assets)"
    base.seconds = time.perf_counter() - started
    return base
