"""Car telemetry (raw.telemetry, marts.fct_telemetry) and GR Cup ECU lap events, read in bounded chunks."""

from __future__ import annotations

from expectations import checks as c
from expectations.checks import col
from expectations.spec import CRITICAL, GEAR, LOST_COUNTER_LAP, SPEED_KMH, THROTTLE_PCT, WARN, SuiteSpec

# One chunk = whole (session, driver) pairs: keys are unique within a pair, so chunk results add up.
PAIR = "_session_id || '|' || _driver"
TELEMETRY_ROWS_PER_CHUNK = 200_000
GEAR_GLITCH = "gear between 0 and 8 (car 14's nGear > 8 in the 2023 Las Vegas telemetry)"
THROTTLE_RANGE = "throttle between 0 and 100 % (FastF1 writes 104 when the pedal signal drops out)"
SPEED_RANGE = "speed between 0 and 400 km/h"

RAW_TELEMETRY = SuiteSpec(
    name="raw__telemetry", table="raw.telemetry", severity=WARN, layer="telemetry",
    query=(f"select {PAIR} as _pair, _session_id, _driver, sample_time, sample_seq, speed, gear, throttle, rpm, "
           "_source_line from {table}"),
    checks=[
        c.not_null("_session_id"), c.not_null("_driver"), c.not_null("sample_time"),
        c.unique(["_session_id", "_driver", "sample_time", "sample_seq"],
                 "one sample per (session, driver, sample_time, sample_seq)"),
        c.of_type("speed", c.FLOAT_TYPES), c.of_type("gear", c.INTEGER_TYPES), c.of_type("throttle", c.FLOAT_TYPES),
        c.between("speed", *SPEED_KMH, SPEED_RANGE),
        c.between("gear", *GEAR, GEAR_GLITCH),
        c.between("throttle", *THROTTLE_PCT, THROTTLE_RANGE),
        c.between("rpm", 0, 25_000, "rpm between 0 and 25,000"),
    ],
    index_columns=["_session_id", "_driver", "sample_time", "_source_line"], partition_by="_pair",
    chunk_rows=TELEMETRY_ROWS_PER_CHUNK,
    description="Telemetry samples as landed (typed at load): keys and physical ranges per channel.")

FCT_TELEMETRY = SuiteSpec(
    name="marts__fct_telemetry", table="marts.fct_telemetry", severity=CRITICAL, layer="telemetry",
    query=("select session_id || '|' || driver as _pair, session_id, driver, sample_time, sample_seq, speed, gear, "
           "throttle, is_gear_glitch, is_throttle_impossible, is_speed_impossible, lap_number, distance, "
           "lap_fraction, _source_line from {table}"),
    checks=[
        c.not_null("session_id"), c.not_null("driver"), c.not_null("sample_time"),
        c.unique(["session_id", "driver", "sample_time", "sample_seq"],
                 "one fct_telemetry row per (session, driver, sample_time, sample_seq)"),
        c.not_null("is_gear_glitch"),
        # Impossible values are nulled in the fact (raw keeps them); FCT_IMPOSSIBLE lists them.
        c.between("gear", *GEAR, "gear in the fact is 0-8 (impossible gears nulled)"),
        c.between("throttle", *THROTTLE_PCT, "throttle in the fact is 0-100 % (impossible values nulled)"),
        c.between("speed", *SPEED_KMH, SPEED_RANGE),
        c.between("lap_fraction", 0, 1.000001, "distance lies between the start line (0) and the finish line (1)"),
    ],
    index_columns=["session_id", "driver", "sample_time", "_source_line"], partition_by="_pair",
    chunk_rows=TELEMETRY_ROWS_PER_CHUNK,
    description="The telemetry fact: keys; impossible values nulled and listed (per flag); distance on every "
                "on-lap sample.")

FCT_IMPOSSIBLE = SuiteSpec(
    name="marts__fct_telemetry_impossible_values", table="marts.fct_telemetry", severity=WARN, layer="telemetry",
    query=("select session_id || '|' || driver as _pair, session_id, driver, sample_time, sample_seq, "
           "is_gear_glitch, is_throttle_impossible, is_speed_impossible, _source_line from {table}"),
    checks=[
        c.in_set("is_gear_glitch", [False], "impossible gear, nulled in the fact: " + GEAR_GLITCH),
        c.in_set("is_throttle_impossible", [False], "impossible throttle, nulled in the fact: " + THROTTLE_RANGE),
        c.in_set("is_speed_impossible", [False],
                 "impossible speed, nulled in the fact: outside 0-400 km/h or a step beyond 100 m/s^2 (10 g)"),
    ],
    index_columns=["session_id", "driver", "sample_time", "_source_line"], partition_by="_pair",
    chunk_rows=TELEMETRY_ROWS_PER_CHUNK,
    description="Samples whose raw value was impossible (kept in raw.telemetry, null in the fact), listed per "
                "kind; session_driver_telemetry counts them per driver.")

RAW_LAP_EVENTS = SuiteSpec(
    name="raw__gr_cup_lap_events", table="raw.gr_cup_lap_events", severity=WARN, layer="telemetry",
    query="select _session_id, _driver, event_kind, vehicle_id, lap, value, _source_line from {table}",
    checks=[
        c.not_null("_session_id"), c.not_null("_driver"), c.not_null("lap"),
        c.in_set("event_kind", ["lap_start", "lap_end", "lap_time"], "event_kind is lap_start, lap_end or lap_time"),
        c.matches("lap", r"^\d+$", "lap: lap counter is a whole number"),
        c.matches("value", r"^\d+$", "lap_time value is whole milliseconds", when=col("event_kind") == "lap_time"),
    ],
    index_columns=["_session_id", "_driver", "event_kind", "lap", "_source_line"], partition_by="_session_id",
    description="ECU lap events as landed (text).")

EVENTS_INDEX = ["session_id", "driver", "vehicle_id", "event_kind", "lap_number", "lap_time_ms", "_source_line"]
LAP_TIME = col("event_kind") == "lap_time"

STG_LAP_EVENTS = SuiteSpec(
    name="staging__gr_cup_lap_events", table="staging.stg_gr_cup__lap_events", severity=WARN, layer="telemetry",
    query=("select session_id, driver, vehicle_id, event_kind, lap_number, lap_time_ms, is_lost_counter, "
           "is_implausible_lap_time, _source_line from {table}"),
    checks=[
        c.between("lap_number", 0, LOST_COUNTER_LAP - 1,
                  f"GR Cup lost lap counter: lap = {LOST_COUNTER_LAP} (flagged is_lost_counter)"),
        c.between("lap_time_ms", 20_000, None,
                  "GR Cup ECU lap time under 20 s: the 0 ms and 43 ms VIR laps (flagged is_implausible_lap_time)",
                  when=LAP_TIME),
        c.between("lap_time_ms", None, 3_600_000,
                  "GR Cup ECU lap time over 1 h: the 7,127,986 ms lap (flagged is_implausible_lap_time)",
                  when=LAP_TIME),
        c.in_set("is_lost_counter", [True], f"every lap = {LOST_COUNTER_LAP} is flagged is_lost_counter",
                 when=col("lap_number") == LOST_COUNTER_LAP),
        c.in_set("is_implausible_lap_time", [True], "every ECU lap time under 20 s is flagged implausible",
                 when=LAP_TIME & (col("lap_time_ms") < 20_000)),
    ],
    index_columns=EVENTS_INDEX, partition_by="session_id",
    description="ECU lap events typed: the real glitches are kept, flagged and reported here.")

SUITES = [RAW_TELEMETRY, FCT_TELEMETRY, FCT_IMPOSSIBLE, RAW_LAP_EVENTS, STG_LAP_EVENTS]
