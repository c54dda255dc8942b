"""The lap path: raw lap tables (as landed text), the unioned staging laps and `marts.fct_laps`."""

from __future__ import annotations

from core.registry import lap_source_formats, lap_sources
from expectations import checks as c
from expectations.checks import col
from expectations.spec import (
    ANY_LAP_SECONDS,
    CRITICAL,
    LOST_COUNTER_LAP,
    SECTOR_SUM_TOLERANCE_S,
    SERIES_RANGES,
    WARN,
    Check,
    SuiteSpec,
    circuit_km_sql,
)

INT_TEXT = r"^\d+$"
NUMBER_TEXT = r"^\d+(?:\.\d+)?$"
CLOCK_TEXT = r"^(?:\d+:){0,2}\d{1,2}(?:\.\d+)?$"  # 1:28.398, 28.398, 1:02:03.5
TIMEDELTA_TEXT = r"^\d+ days \d{2}:\d{2}:\d{2}(?:\.\d+)?$"  # pandas: 0 days 00:01:33.433000
FLOAT_INT_TEXT = r"^\d+(?:\.0+)?$"  # FastF1 writes lap numbers as 1.0
RAW_KEY = ["_session_id", "_driver"]
LINEAGE = ["_session_id", "_driver", "_source_line"]
NOT_LOST = str(LOST_COUNTER_LAP)


def _raw_suite(table: str, lap_col: str, lap_regex: str, time_checks: list[tuple[str, str]],
               extra: list[str] = ()) -> SuiteSpec:
    """Raw tables hold the file's text: check keys, that values parse, and one row per lap."""
    name = table.split(".")[1]
    columns = list(dict.fromkeys([*LINEAGE, lap_col, *(c_ for c_, _ in time_checks), *extra]))
    checks: list[Check] = [c.not_null(k) for k in RAW_KEY]
    checks += [c.not_null(lap_col, f"{lap_col}: every row has a lap number"),
               c.matches(lap_col, lap_regex, f"{lap_col}: lap number is a whole number"),
               c.unique([*RAW_KEY, lap_col], f"one row per (session, driver, {lap_col}); repeats must be exact "
                        f"and lost-counter laps ({LOST_COUNTER_LAP}) may repeat",
                        when=col(lap_col) != NOT_LOST)]
    checks += [c.matches(column, regex, f"{column}: parses as a time") for column, regex in time_checks]
    return SuiteSpec(
        name=f"raw__{name}", table=table, severity=WARN, layer="raw",
        query=f"select {', '.join(columns)} from {{table}}",
        checks=checks, index_columns=LINEAGE, partition_by="_session_id",
        description=f"{table} as landed: the file's text values, lineage and one row per lap.")


# The text kinds a registry entry's `raw_checks` name.
TEXT_KINDS = {"int": INT_TEXT, "float_int": FLOAT_INT_TEXT, "number": NUMBER_TEXT, "clock": CLOCK_TEXT,
              "timedelta": TIMEDELTA_TEXT}

# One raw suite per registered lap table; the first raw check is its lap number column.
RAW_SUITES = [
    _raw_suite(source.qualified, source.raw_checks[0][0], TEXT_KINDS[source.raw_checks[0][1]],
               [(column, TEXT_KINDS[kind]) for column, kind in source.raw_checks[1:]])
    for source in lap_sources()
]

LAP_KEY = ["session_id", "driver", "lap_number"]
TIME_COLUMNS = ["lap_time", "sector_1_time", "sector_2_time", "sector_3_time"]
SOURCE_FORMATS = lap_source_formats()


def _typed_lap_checks() -> list[Check]:
    checks = [c.not_null(k) for k in LAP_KEY]
    checks += [c.of_type("lap_number", c.INTEGER_TYPES)]
    checks += [c.of_type(t, c.FLOAT_TYPES) for t in TIME_COLUMNS]
    checks += [c.of_type(b, c.BOOL_TYPES) for b in ("is_pit_in_lap", "is_pit_out_lap", "is_deleted")]
    checks += [c.between("lap_number", 0, None, "lap_number is not negative")]
    return checks


STAGING_SUITE = SuiteSpec(
    name="staging__laps", table="staging.int_laps__unioned", severity=CRITICAL, layer="staging",
    query=("select session_id, driver, lap_number, lap_time, sector_1_time, sector_2_time, sector_3_time, "
           "is_pit_in_lap, is_pit_out_lap, is_deleted, source_format, _source_line from {table}"),
    checks=[
        *_typed_lap_checks(),
        c.unique(LAP_KEY, "one staging row per (session, driver, lap) outside lost-counter laps",
                 when=col("lap_number") != LOST_COUNTER_LAP),
        c.in_set("source_format", SOURCE_FORMATS, "source_format is a known lap format"),
    ],
    index_columns=[*LAP_KEY, "_source_line"], partition_by="session_id",
    description="Every lap format in one typed shape, exact repeats dropped.")

FCT_QUERY = (
    "select q0.*, "
    "case when known_circuit and lap_time > 0 then circuit_km * 3600 / lap_time end as lap_kmh, "
    "case when known_circuit and session_best > 0 then circuit_km * 3600 / session_best end as session_best_kmh "
    "from (select session_id, series, event, driver, lap_number, lap_time, sector_1_time, sector_2_time, "
    "sector_3_time, is_pit_in_lap, is_pit_out_lap, is_deleted, is_lost_counter, is_outlier, is_racing_lap, "
    "_source_line, "
    "case when lap_time is not null and sector_1_time is not null and sector_2_time is not null "
    "and sector_3_time is not null then abs(cast(sector_1_time as double precision) "
    "+ cast(sector_2_time as double precision) + cast(sector_3_time as double precision) "
    "- cast(lap_time as double precision)) end as sector_sum_gap, "
    f"{circuit_km_sql()} as circuit_km, "
    f"{circuit_km_sql()} is not null as known_circuit, "
    "cast(min(case when is_racing_lap then lap_time end) over (partition by session_id) as double precision) "
    "as session_best "
    "from {table}) as q0")
FCT_INDEX = ["session_id", "driver", "lap_number", "lap_time", "_source_line"]
RACING = col("is_racing_lap") == True  # noqa: E712 - a GX condition object, not a Python comparison


KNOWN = col("known_circuit") == True  # noqa: E712
UNKNOWN = col("known_circuit") == False  # noqa: E712


def _series_range_checks() -> list[Check]:
    """Per-lap pace by average speed on known circuits (seconds elsewhere), plus the session's fastest lap
    as the absolute anchor that a uniform error (every time x3) cannot pass (see spec.SeriesRange)."""
    checks = []
    for series, rng in SERIES_RANGES.items():
        mine = RACING & (col("series") == series)
        lo, hi = rng.lap_kmh
        checks.append(c.between("lap_kmh", lo, hi, f"{series}: racing lap average speed within {lo:g}-{hi:g} km/h "
                                "(circuit length known)", when=mine & KNOWN))
        checks.append(c.between("session_best_kmh", rng.best_lap_kmh_min, None,
                                f"{series}: the session's fastest racing lap averages at least "
                                f"{rng.best_lap_kmh_min:g} km/h (circuit length known)", when=mine & KNOWN))
        lo, hi = rng.racing_lap
        checks.append(c.between("lap_time", lo, hi, f"{series}: racing lap time within {lo:g}-{hi:g} s "
                                "(circuit length unknown)", when=mine & UNKNOWN))
        lo, hi = rng.racing_sector
        for n in (1, 2, 3):
            checks.append(c.between(f"sector_{n}_time", lo, hi,
                                    f"{series}: racing sector {n} time within {lo:g}-{hi:g} s", when=mine))
    return checks


FCT_INTEGRITY = SuiteSpec(
    name="marts__fct_laps", table="marts.fct_laps", severity=CRITICAL, layer="marts",
    query=FCT_QUERY,
    checks=[
        *_typed_lap_checks(),
        *[c.of_type(b, c.BOOL_TYPES) for b in ("is_lost_counter", "is_outlier", "is_racing_lap")],
        *[c.not_null(b) for b in ("is_lost_counter", "is_outlier", "is_racing_lap")],
        c.not_null("series"),
        c.unique(LAP_KEY, "one fct_laps row per (session, driver, lap) outside lost-counter laps",
                 when=col("is_lost_counter") == False),  # noqa: E712
        c.between("sector_sum_gap", 0, SECTOR_SUM_TOLERANCE_S,
                  f"sector 1+2+3 within {SECTOR_SUM_TOLERANCE_S * 1000:g} ms of the lap time where all are present"),
        c.in_set("is_lost_counter", [False], "racing laps never carry a lost lap counter", when=RACING),
        c.in_set("is_outlier", [False], "racing laps are never outliers", when=RACING),
        c.between("lap_time", ANY_LAP_SECONDS[0], ANY_LAP_SECONDS[1],
                  "racing laps have a real lap time", when=RACING),
        *_series_range_checks(),
    ],
    index_columns=FCT_INDEX, partition_by="session_id",
    description="The lap fact every mart reads: keys, types, flags and per-series pace of racing laps.")

FCT_PLAUSIBILITY = SuiteSpec(
    name="marts__fct_laps_glitches", table="marts.fct_laps", severity=WARN, layer="marts",
    query=FCT_QUERY,
    checks=[
        c.between("lap_number", 0, LOST_COUNTER_LAP - 1,
                  f"GR Cup lost lap counter: lap = {LOST_COUNTER_LAP} (kept, flagged is_lost_counter)"),
        c.between("lap_time", ANY_LAP_SECONDS[0], ANY_LAP_SECONDS[1],
                  "lap time between 20 s and 1 h: 0 ms / 43 ms laps and the 7,127,986 ms lap are timing "
                  "glitches (flagged is_outlier / not racing)"),
        *[c.between(f"sector_{n}_time", 0, ANY_LAP_SECONDS[1], f"sector {n} time between 0 and 1 h",
                    strict_low=True) for n in (1, 2, 3)],
        c.in_set("is_outlier", [False], "outlier laps (more than 3x / under 0.5x the session median)"),
    ],
    index_columns=FCT_INDEX, partition_by="session_id",
    description="Real-world glitches that are kept but flagged; they must never reach racing laps.")

SUITES = [*RAW_SUITES, STAGING_SUITE, FCT_INTEGRITY, FCT_PLAUSIBILITY]
