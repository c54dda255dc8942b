"""Tables fit where they are printed: a terminal's width, else COLUMNS, else wide enough for every name.

At 80 columns `lapstack quality` used to cut suite names (`marts__session_reconciliation` ended in "…").
"""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from commands.console import UNBOUNDED_WIDTH, table_console
from commands.quality_cli import _table
from expectations.results import QualityRun, SuiteResult
from expectations.suites import select


def _every_suite_run() -> QualityRun:
    """Every real suite, as a run on a warehouse without the tables reports them (`not_present`)."""
    suites = [SuiteResult(s.name, s.table, s.severity, "raw", "not_present", message="table not built yet")
              for s in select(None)]
    return QualityRun("duckdb", "reports/quality", "reports/quality/index.html", "", 1.0, suites)


@pytest.mark.parametrize("width", [80, 200])
def test_quality_table_never_cuts_a_name(width: int) -> None:
    out = io.StringIO()
    Console(file=out, width=width, no_color=True).print(_table(_every_suite_run()))
    lines = out.getvalue().splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in out.getvalue()
    names = [s.name for s in select(None)]
    whole = [n for n in names if any(f" {n} " in line for line in lines)]
    if width == 200:
        assert whole == names  # one line per suite, every name whole
    else:
        assert len(whole) < len(names)  # the long names fold onto a second line instead of being cut


def test_console_width_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert table_console(io.StringIO()).width == 80
    monkeypatch.delenv("COLUMNS")
    assert table_console(io.StringIO()).width == UNBOUNDED_WIDTH
