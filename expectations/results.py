"""The runner's answer: plain dataclasses that Dagster, tests and the CLI read without touching GX."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MAX_EXAMPLES = 20

# A suite's status: passed / failed (an expectation failed) / not_present (a table is not built yet) /
# error (the suite could not run, e.g. a column is missing: counts as a failure at the suite's severity).
STATUSES = ("passed", "failed", "not_present", "error")


@dataclass
class ExpectationOutcome:
    """One expectation across every chunk of its suite."""

    check: str  # the readable name, e.g. "GR Cup lost lap counter: lap = 32768 ..."
    expectation_type: str  # e.g. expect_column_values_to_be_between
    column: str | None
    success: bool
    element_count: int = 0
    unexpected_count: int = 0
    unexpected_percent: float | None = None
    examples: list[dict[str, Any]] = field(default_factory=list)  # unexpected rows (index columns + value)
    observed_value: Any = None
    exception: str | None = None


@dataclass
class SuiteResult:
    suite: str
    table: str  # schema.table: the dbt model or loader table (Dagster asset) the suite guards
    severity: str  # critical | warn
    layer: str
    status: str  # one of STATUSES
    rows_validated: int = 0
    chunks: int = 0
    seconds: float = 0.0
    expectations: list[ExpectationOutcome] = field(default_factory=list)
    message: str = ""
    report_path: str | None = None  # this suite's Data Docs validation page

    @property
    def success(self) -> bool:
        """not_present counts as success: a table another loader has not built yet is not a failure."""
        return self.status in ("passed", "not_present")

    @property
    def failed_checks(self) -> list[ExpectationOutcome]:
        return [e for e in self.expectations if not e.success]

    def outcome(self, check_prefix: str) -> ExpectationOutcome:
        """The expectation whose name starts with `check_prefix` (for tests and Dagster metadata)."""
        for exp in self.expectations:
            if exp.check.startswith(check_prefix):
                return exp
        raise KeyError(f"{self.suite}: no expectation named {check_prefix!r}")


@dataclass
class QualityRun:
    target: str
    report_dir: str
    index_path: str
    started_at: str
    seconds: float
    suites: list[SuiteResult] = field(default_factory=list)

    @property
    def critical_failures(self) -> list[SuiteResult]:
        return [s for s in self.suites if s.severity == "critical" and not s.success]

    @property
    def warnings(self) -> list[SuiteResult]:
        return [s for s in self.suites if s.severity == "warn" and not s.success]

    @property
    def success(self) -> bool:
        return not self.critical_failures

    @property
    def exit_code(self) -> int:
        return 0 if self.success else 1

    def suite(self, name: str) -> SuiteResult:
        for result in self.suites:
            if result.suite == name:
                return result
        raise KeyError(f"no suite {name!r} in this run")

    def for_table(self, table: str) -> list[SuiteResult]:
        return [s for s in self.suites if s.table == table]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["success"] = self.success
        for suite, out in zip(self.suites, data["suites"], strict=True):
            out["success"] = suite.success
        return data

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_dict(), indent=2, default=str))
