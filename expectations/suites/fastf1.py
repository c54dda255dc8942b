"""FastF1 API extracts as landed (text): results, weather and race control messages."""

from __future__ import annotations

from expectations import checks as c
from expectations.checks import col
from expectations.spec import WARN, SuiteSpec

NUMBER = r"^-?\d+(?:\.\d+)?$"
WHOLE = r"^\d+(?:\.0+)?$"
TIMEDELTA = r"^(?:-\s*)?\d+ days \d{2}:\d{2}:\d{2}(?:\.\d+)?$"
LINEAGE = ["_session_id", "_source_line"]


def _raw(table: str, columns: list[str], checks: list, key: list[str] | None = None,
         description: str = "") -> SuiteSpec:
    cols = list(dict.fromkeys([*LINEAGE, *columns]))
    base = [c.not_null("_session_id")]
    if key:
        base.append(c.unique(["_session_id", *key], f"one row per (session, {', '.join(key)})"))
    return SuiteSpec(name=f"raw__{table}", table=f"raw.{table}", severity=WARN, layer="fastf1",
                     query=f"select {', '.join(cols)} from {{table}}", checks=[*base, *checks],
                     index_columns=[*LINEAGE, *columns[:2]], partition_by="_session_id",
                     description=description)


SUITES = [
    _raw("fastf1_api_results", ["drivernumber", "abbreviation", "position", "gridposition", "points", "laps"], [
        c.not_null("drivernumber", "every result names a driver number"),
        c.matches("drivernumber", r"^\d+$", "drivernumber is a whole number"),
        c.matches("position", WHOLE, "position is a whole number", when=col("position").is_not_null()),
        c.matches("points", NUMBER, "points is a number", when=col("points").is_not_null()),
        c.matches("laps", WHOLE, "laps is a whole number", when=col("laps").is_not_null()),
    ], key=["drivernumber"], description="Session results per driver."),
    _raw("fastf1_api_weather", ["time", "airtemp", "tracktemp", "humidity", "rainfall", "windspeed"], [
        c.not_null("time", "every weather sample has a session time"),
        c.matches("time", TIMEDELTA, "time is a session timedelta"),
        *[c.matches(m, NUMBER, f"{m} is a number", when=col(m).is_not_null())
          for m in ("airtemp", "tracktemp", "humidity", "windspeed")],
    ], key=["time"], description="Weather samples (about one a minute)."),
    _raw("fastf1_api_race_control_messages", ["time", "category", "message", "flag", "lap"], [
        c.not_null("time", "every message has a time"), c.not_null("message", "every message has text"),
        c.matches("lap", WHOLE, "lap is a whole number", when=col("lap").is_not_null()),
    ], description="Race control messages (flags, penalties, track limits)."),
]
