"""What a suite is, as code: the table it guards, how to read it boundedly, and its expectations.

Suites are plain data so the runner can validate them on either path (GX pandas for DuckDB, GX SQL
for Postgres) and so Dagster can map each one to the asset it checks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["critical", "warn"]
CRITICAL: Severity = "critical"
WARN: Severity = "warn"

# GR Cup ECU and lap files mark a lost lap counter with this value; such laps may repeat.
LOST_COUNTER_LAP = 32768


@dataclass(frozen=True)
class SeriesRange:
    """Plausible values for one series; wide enough for wet/safety-car laps, tight enough for glitches."""

    racing_lap: tuple[float, float]  # seconds, laps flagged is_racing_lap
    racing_sector: tuple[float, float]  # seconds, sectors of racing laps
    drivers: tuple[int, int]  # cars with laps in one session


SERIES_RANGES: dict[str, SeriesRange] = {
    # F1: Sakhir outer loop 2020 is the shortest modern lap (~55 s); Spa/Baku safety-car laps stay < 240 s.
    "f1": SeriesRange(racing_lap=(50.0, 240.0), racing_sector=(10.0, 120.0), drivers=(15, 30)),
    # GR Cup (GR86): ~1:37 at Barber to ~2:30 at Road America; full-course-yellow laps stay < 7:30.
    "gr_cup": SeriesRange(racing_lap=(60.0, 450.0), racing_sector=(10.0, 400.0), drivers=(5, 60)),
}

# Any lap of any series: under 20 s or over an hour is a timing artefact, not a lap.
ANY_LAP_SECONDS = (20.0, 3600.0)
SECTOR_SUM_TOLERANCE_S = 0.050
SPEED_KMH = (0.0, 400.0)
GEAR = (0, 8)
THROTTLE_PCT = (0.0, 100.0)


@dataclass(frozen=True)
class Check:
    """One expectation plus the name a reader looks for in the report (a known glitch, a rule)."""

    name: str
    build: Callable[[], Any]  # returns a great_expectations Expectation


@dataclass(frozen=True)
class SuiteSpec:
    """One expectation suite over one table (or one aggregate query feeding that table's check).

    `query` is portable SQL with `{table}` and `{name}` placeholders for our own constant identifiers;
    it selects only the columns the checks need. `partition_by` names a column whose values split the
    read into bounded chunks; every expectation of a partitioned suite must be row-wise or keyed within
    one partition (uniqueness keys include the partition column), so chunk results add up exactly.
    """

    name: str
    table: str  # schema.table the suite guards (dbt model or loader table): the Dagster asset
    severity: Severity
    layer: str  # raw | staging | marts | telemetry | fastf1 | cross-layer
    query: str
    checks: Sequence[Check]
    index_columns: Sequence[str]  # identify an unexpected row in the report's example rows
    requires: Sequence[str] = ()  # every table the query reads (default: `table`)
    partition_by: str | None = None
    chunk_rows: int = 250_000
    description: str = ""
    tags: Sequence[str] = field(default_factory=tuple)

    @property
    def required_tables(self) -> tuple[str, ...]:
        return tuple(self.requires) or (self.table,)

    def sql(self, tables: dict[str, str] | None = None) -> str:
        """The query with identifiers filled in (from our constants only, never from input)."""
        return self.query.format(table=self.table, **(tables or {}))
