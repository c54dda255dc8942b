"""Session marts, row-count sanity between layers, and freshness of the marts against raw loads."""

from __future__ import annotations

from core.registry import lap_sources, lap_tables
from expectations import checks as c
from expectations.checks import col
from expectations.spec import CRITICAL, SERIES_RANGES, WARN, Check, SuiteSpec

SESSION = ["session_id"]


def _mart(name: str, key: list[str], columns: list[str], extra: list[Check] = (), description: str = "",
          ) -> SuiteSpec:
    cols = list(dict.fromkeys([*key, *columns, "_session_version"]))
    checks = [*(c.not_null(k) for k in key),
              c.unique(key, f"one row per ({', '.join(key)})"),
              c.not_null("_session_version"), *extra]
    return SuiteSpec(name=f"marts__{name}", table=f"marts.{name}", severity=CRITICAL, layer="marts",
                     query=f"select {', '.join(cols)} from {{table}}", checks=checks, index_columns=key,
                     partition_by="session_id", description=description)


def _pace_checks(column: str, per_driver: bool = True) -> list[Check]:
    """A session's fastest lap has the series' absolute range (the anchor a uniform x3 error fails); one
    driver's best lap a wider one (spec.SeriesRange)."""
    checks = []
    for series, rng in SERIES_RANGES.items():
        lo, hi = rng.driver_best_lap if per_driver else rng.best_lap
        checks.append(c.between(column, lo, hi, f"{series}: {column} within {lo:g}-{hi:g} s",
                                when=col("series") == series))
    return checks


MART_SUITES = [
    SuiteSpec(name="marts__dim_sessions", table="marts.dim_sessions", severity=CRITICAL, layer="marts",
              query="select session_id, series, event, session_name, session_version from {table}",
              checks=[c.not_null("session_id"), c.unique(SESSION, "one row per session"),
                      c.not_null("series"), c.not_null("session_version"),
                      c.between("session_version", 1, None, "session_version starts at 1")],
              index_columns=SESSION, description="Live sessions and their load version."),
    _mart("session_summary", SESSION,
          ["series", "fastest_lap_time", "fastest_lap_driver", "total_laps", "racing_laps", "total_drivers"],
          [c.between("racing_laps", 0, None, "racing_laps is not negative"),
           *_pace_checks("fastest_lap_time", per_driver=False)],
          "One row per session: fastest lap and totals."),
    _mart("session_driver_stats", ["session_id", "driver"],
          ["series", "best_lap_time", "optimal_lap_time", "avg_lap_time", "lap_count", "racing_lap_count"],
          [c.between("lap_count", 1, None, "every driver row has at least one lap"),
           *_pace_checks("best_lap_time")],
          "Per-driver pace, consistency and optimal lap."),
    _mart("session_lap_highlights", ["session_id", "driver"],
          ["series", "personal_best_time", "gap_to_fastest"],
          [c.between("gap_to_fastest", 0, None, "no personal best beats the session's fastest lap"),
           *_pace_checks("personal_best_time")],
          "Personal bests against the session's fastest and slowest racing laps."),
    _mart("session_sector_highlights", ["session_id", "sector", "driver"],
          ["driver_best_time", "gap_to_fastest"],
          [c.in_set("sector", [1, 2, 3], "sector is 1, 2 or 3"),
           c.between("gap_to_fastest", 0, None, "no sector best beats the session's fastest sector")],
          "Best sectors per driver against the session's."),
    _mart("session_chart_matrix", ["session_id", "driver", "lap_number"], ["lap_time"],
          [c.between("lap_number", 1, None, "chart lap axis starts at lap 1")],
          "Dense driver x lap grid for charts."),
    _mart("session_chart_json", SESSION, ["chart_json", "driver_count"],
          [c.not_null("chart_json"), c.matches("chart_json", r"^\{.*\}$", "chart_json is a JSON object")],
          "One JSON chart document per session."),
]

RECONCILIATION_MEASURES = ["fastest_lap", "laps_completed", "position", "best_10_average"]

# lapstack against the official record (timing sheets, results): a difference must name the rule explaining it.
RECONCILIATION = _mart(
    "session_reconciliation", ["session_id", "driver", "measure"], ["series", "matches", "reason"],
    [c.in_set("measure", RECONCILIATION_MEASURES, "measure is one the official record publishes"),
     c.not_null("matches"),
     c.not_null("reason", "every difference from the official record names the rule explaining it",
                when=col("matches") == False)],  # noqa: E712 - a GX condition object, not a Python comparison
    "Per session, driver and measure: lapstack's value against the official record's, and why they differ.")

COMPLETENESS = SuiteSpec(
    name="marts__session_completeness", table="marts.session_summary", severity=WARN, layer="marts",
    query="select session_id, series, total_drivers, total_laps, racing_laps from {table}",
    checks=[c.between("total_drivers", *rng.drivers,
                      f"{series}: {rng.drivers[0]}-{rng.drivers[1]} drivers with laps per session "
                      "(fewer means a truncated or partial session)", when=col("series") == series)
            for series, rng in SERIES_RANGES.items()]
    + [c.between("racing_laps", 1, None, "every session has racing laps")],
    index_columns=["session_id", "series", "total_drivers"], partition_by="session_id",
    description="Sessions that look cut short: too few drivers or no racing laps.")

# Every registered lap table and its staging view: a new lap source is covered without editing this file.
RAW_LAP_TABLES = [source.qualified for source in lap_sources()]
STG_VIEWS = [f"staging.{model}" for source in lap_sources() for model in source.staging_models]
LAP_TABLES_IN = "(" + ", ".join(f"'{table}'" for table in lap_tables()) + ")"  # registry names, not user values


def _count_union(tables: list[str], key: str) -> str:
    return " union all ".join(f"select {key} as session_id, count(*) as n from {t} group by {key}" for t in tables)


ROW_COUNTS_QUERY = (
    "with raw_rows as (select session_id, sum(n) as n from (" + _count_union(RAW_LAP_TABLES, "_session_id")
    + ") as r group by session_id), "
    "stg_rows as (select session_id, sum(n) as n from (" + _count_union(STG_VIEWS, "session_id")
    + ") as s group by session_id), "
    "int_rows as (select session_id, count(*) as n from staging.int_laps__unioned group by session_id), "
    "fct_rows as (select session_id, count(*) as n from marts.fct_laps group by session_id), "
    "lost as (select i.session_id, count(*) as n from staging.int_laps__unioned as i "
    "left join marts.fct_laps as f on i.session_id = f.session_id and i.driver = f.driver "
    "and i.lap_number = f.lap_number where f.session_id is null group by i.session_id) "
    "select s.session_id, coalesce(r.n, 0) as raw_rows, coalesce(st.n, 0) as staging_rows, "
    "coalesce(i.n, 0) as deduplicated_rows, coalesce(f.n, 0) as fct_rows, coalesce(l.n, 0) as laps_lost "
    "from raw.sessions as s "
    "left join raw_rows as r on s.session_id = r.session_id "
    "left join stg_rows as st on s.session_id = st.session_id "
    "left join int_rows as i on s.session_id = i.session_id "
    "left join fct_rows as f on s.session_id = f.session_id "
    "left join lost as l on s.session_id = l.session_id "
    f"where not s.is_deleted and s.raw_table in {LAP_TABLES_IN}")

ROW_COUNTS = SuiteSpec(
    name="layers__lap_row_counts", table="marts.fct_laps", severity=CRITICAL, layer="cross-layer",
    query=ROW_COUNTS_QUERY,
    requires=["raw.sessions", *RAW_LAP_TABLES, *STG_VIEWS, "staging.int_laps__unioned", "marts.fct_laps"],
    checks=[
        c.between("raw_rows", 1, None, "every live session has raw lap rows"),
        c.pair_equal("raw_rows", "staging_rows", "staging views keep every raw row"),
        c.pair_equal("deduplicated_rows", "fct_rows", "fct_laps holds every deduplicated staging lap"),
        c.between("laps_lost", 0, 0, "no (session, driver, lap) is lost between raw and fct_laps"),
    ],
    index_columns=["session_id", "raw_rows", "staging_rows", "fct_rows"], partition_by="session_id",
    description="Row counts per session through raw -> staging -> fct_laps.")

FRESHNESS_QUERY = (
    "select s.session_id, s.version as raw_version, "
    "(select max(f._session_version) from marts.fct_laps as f where f.session_id = s.session_id) "
    "as fct_laps_version, "
    "(select max(m._session_version) from marts.session_summary as m where m.session_id = s.session_id) "
    "as session_summary_version "
    "from raw.sessions as s where not s.is_deleted "
    f"and s.raw_table in {LAP_TABLES_IN}")

FRESHNESS = SuiteSpec(
    name="freshness__lap_marts", table="marts.fct_laps", severity=CRITICAL, layer="cross-layer",
    query=FRESHNESS_QUERY, requires=["raw.sessions", "marts.fct_laps", "marts.session_summary"],
    checks=[
        c.pair_equal("raw_version", "fct_laps_version",
                     "fct_laps is built from each session's latest load (else run `lapstack build`)"),
        c.pair_equal("raw_version", "session_summary_version",
                     "session marts are built from each session's latest load (else run `lapstack build`)"),
    ],
    index_columns=["session_id", "raw_version", "fct_laps_version"], partition_by="session_id",
    description="Marts that lag behind raw loads serve stale numbers.")

MAX_LOAD_AGE_HOURS = 24 * 7

LOAD_AGE = SuiteSpec(
    name="freshness__last_load", table="raw.load_batches", severity=WARN, layer="raw",
    query=("select count(*) as batches, max(loaded_at) as last_loaded_at, "
           "extract(epoch from ((now() at time zone 'UTC') - max(loaded_at))) / 3600.0 as hours_since_last_load "
           "from {table} where status = 'active'"),
    checks=[c.between("hours_since_last_load", 0, MAX_LOAD_AGE_HOURS,
                      f"the last lap load is under {MAX_LOAD_AGE_HOURS} h old")],
    index_columns=["batches", "last_loaded_at"],
    description="How long ago data last landed (UTC).")

SUITES = [*MART_SUITES, RECONCILIATION, COMPLETENESS, ROW_COUNTS, FRESHNESS, LOAD_AGE]
