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
    """Plausible values for one series, wide enough for real safety-car / wet / full-course-yellow laps.

    A lap's pace is judged by its average speed on the circuit where the circuit length is known
    (CIRCUIT_KM), so a slow circuit or a session run behind the safety car (2021 Belgian GP: every lap
    241-245 s at Spa, 103 km/h) passes while a unit error does not. A uniform error (every time x3) keeps
    every ratio to the session's own median, so the absolute anchor is the session's fastest racing lap:
    its average speed must reach `best_lap_kmh_min`. Unknown circuits fall back to `racing_lap` seconds.
    """

    racing_lap: tuple[float, float]  # seconds, laps flagged is_racing_lap, circuit length unknown
    racing_sector: tuple[float, float]  # seconds, sectors of racing laps
    drivers: tuple[int, int]  # cars with laps in one session
    lap_kmh: tuple[float, float]  # average speed of a racing lap on a known circuit
    best_lap_kmh_min: float  # the session's fastest racing lap is at least this fast (known circuit)
    best_lap: tuple[float, float]  # seconds, a session's fastest racing lap (marts.session_summary)
    driver_best_lap: tuple[float, float]  # seconds, one driver's best lap (a driver may have one SC lap only)


SERIES_RANGES: dict[str, SeriesRange] = {
    # F1 2020-2024 real data: session fastest laps <= 207 s (Spa 2021), one driver's best up to 245 s
    # (Spa 2021: some drivers have a single racing lap, behind the safety car); racing laps 62 km/h
    # (Monaco 2022, wet, behind the safety car: 192.8 s) to 264 km/h (Monza); session fastest laps
    # >= 121 km/h (Spa 2021, safety car only) and >= 160 km/h otherwise (Monaco); x3 times would give
    # a Monza best lap of 88 km/h. Sakhir outer loop 2020 is the shortest modern lap (~55 s).
    "f1": SeriesRange(racing_lap=(50.0, 240.0), racing_sector=(10.0, 120.0), drivers=(15, 30),
                      lap_kmh=(45.0, 300.0), best_lap_kmh_min=100.0, best_lap=(50.0, 240.0),
                      driver_best_lap=(50.0, 360.0)),
    # GR Cup (GR86) 2025 real data: racing laps 51 km/h (COTA race 2, full-course yellow: 391 s) to 155 km/h
    # (Road America); session fastest laps 130-155 km/h. Full-course-yellow laps stay < 7:30.
    "gr_cup": SeriesRange(racing_lap=(60.0, 450.0), racing_sector=(10.0, 400.0), drivers=(5, 60),
                          lap_kmh=(30.0, 220.0), best_lap_kmh_min=90.0, best_lap=(60.0, 450.0),
                          driver_best_lap=(60.0, 450.0)),
}

# Circuit length (km) by series and lower-case event name, as the lap sources name events. Where a layout
# changed a little over the years (Abu Dhabi 2021, Singapore 2023, Barcelona 2023) the speed bounds are wide
# enough for either length; events run on another layout need their own name (Sakhir GP = outer loop).
CIRCUIT_KM: dict[str, dict[str, float]] = {
    "f1": {
        "70th anniversary grand prix": 5.891, "abu dhabi grand prix": 5.281, "australian grand prix": 5.278,
        "austrian grand prix": 4.318, "azerbaijan grand prix": 6.003, "bahrain grand prix": 5.412,
        "belgian grand prix": 7.004, "brazilian grand prix": 4.309, "british grand prix": 5.891,
        "canadian grand prix": 4.361, "chinese grand prix": 5.451, "dutch grand prix": 4.259,
        "eifel grand prix": 5.148, "emilia romagna grand prix": 4.909, "french grand prix": 5.842,
        "hungarian grand prix": 4.381, "italian grand prix": 5.793, "japanese grand prix": 5.807,
        "las vegas grand prix": 6.201, "mexico city grand prix": 4.304, "mexican grand prix": 4.304,
        "miami grand prix": 5.412, "monaco grand prix": 3.337, "portuguese grand prix": 4.653,
        "qatar grand prix": 5.419, "russian grand prix": 5.848, "sakhir grand prix": 3.543,
        "saudi arabian grand prix": 6.174, "singapore grand prix": 4.940, "spanish grand prix": 4.657,
        "são paulo grand prix": 4.309, "sao paulo grand prix": 4.309, "styrian grand prix": 4.318,
        "turkish grand prix": 5.338, "tuscan grand prix": 5.245, "united states grand prix": 5.513,
    },
    "gr_cup": {
        "barber": 3.830, "cota": 5.513, "road america": 6.515, "road-america": 6.515, "sonoma": 4.055,
        "vir": 5.263, "virginia-international-raceway": 5.263,
    },
}


def circuit_km_sql(series_col: str = "series", event_col: str = "event") -> str:
    """SQL CASE giving the circuit length per row, null when unknown (names from CIRCUIT_KM constants only)."""
    arms = []
    for series, circuits in CIRCUIT_KM.items():
        for event, km in sorted(circuits.items()):
            name = event.replace("'", "''")
            arms.append(f"when {series_col} = '{series}' and lower({event_col}) = '{name}' then {km:.3f}")
    return "cast(case " + " ".join(arms) + " end as double precision)"


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
