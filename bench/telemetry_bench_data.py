"""Benchmark volume for telemetry: real rows replicated, never synthesised.

The 20 real Las Vegas cars (488,120 rows) and the real GR Cup Barber sample (pivoted, 1,042 rows) are
written as one lapstack-format telemetry CSV, replicated k times: replica r renames each car
`<car>#r` and shifts its clock by r days, so the file spans many cars and days. 32 replicas = 15,653,184 rows.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from core.settings import data_dir

VEGAS = "f1_2023_fastf1/21_Las Vegas"
GR_SAMPLE = "gr_cup/barber/Samples/R1_barber_telemetry_data_sample.csv"
COLUMNS = "driver, sample_time, speed, rpm, gear, throttle, brake, drs"


def _real_rows(con: duckdb.DuckDBPyConnection) -> int:
    base = data_dir()
    con.execute(f"""
        create or replace table real_rows as
        select regexp_extract(filename, '(\\d+)_telemetry', 1) as driver, cast("Date" as timestamp) as sample_time,
               cast(Speed as double) as speed, cast(RPM as double) as rpm, cast(nGear as integer) as gear,
               cast(Throttle as double) as throttle, Brake as brake, cast(DRS as integer) as drs
        from read_csv('{base / VEGAS}/*_telemetry.csv', filename = true, header = true)
        union all
        select 'gr' || cast(vehicle_number as varchar), cast(timestamp as timestamp),
               max(case when telemetry_name = 'speed' then telemetry_value end),
               max(case when telemetry_name = 'nmot' then telemetry_value end),
               cast(max(case when telemetry_name = 'gear' then telemetry_value end) as integer),
               max(case when telemetry_name = 'aps' then telemetry_value end), null, null
        from read_csv('{base / GR_SAMPLE}', header = true)
        group by vehicle_number, timestamp
    """)
    return con.execute("select count(*) from real_rows").fetchone()[0]


def build(path: Path, replicas: int) -> int:
    """Write the replicated CSV (sorted per car by time, as a logger writes it); returns its row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")
    _real_rows(con)
    con.execute(f"""
        copy (
            select r.driver || '#' || cast(k.k as varchar) as driver,
                   strftime(r.sample_time + to_days(cast(k.k as integer)), '%Y-%m-%d %H:%M:%S.%f') as sample_time,
                   speed, rpm, gear, throttle, brake, drs
            from real_rows as r cross join range({replicas}) as k(k)
            order by k.k, r.driver, r.sample_time
        ) to '{path}' (header, delimiter ',')
    """)
    return con.execute(f"select count(*) from read_csv('{path}')").fetchone()[0]
