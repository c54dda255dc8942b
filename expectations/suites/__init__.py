"""Every suite, in run order: raw before staging before marts, so a report reads top-down."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence

from expectations.spec import SuiteSpec
from expectations.suites import fastf1, laps, marts, official, telemetry

ALL_SUITES: list[SuiteSpec] = [*laps.SUITES, *marts.SUITES, *telemetry.SUITES, *fastf1.SUITES, *official.SUITES]


def select(patterns: Sequence[str] | None = None) -> list[SuiteSpec]:
    """Suites whose name, table or layer matches any pattern (shell globs: `raw__*`, `marts.fct_laps`)."""
    if not patterns:
        return list(ALL_SUITES)
    chosen = [s for s in ALL_SUITES if any(fnmatch.fnmatch(s.name, p) or fnmatch.fnmatch(s.table, p)
                                           or s.layer == p for p in patterns)]
    if not chosen:
        names = ", ".join(s.name for s in ALL_SUITES)
        raise ValueError(f"no suite matches {list(patterns)}; suites: {names}")
    return chosen
