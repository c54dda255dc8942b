"""Benchmark volume for telemetry: real rows replicated, never synthesised.

The 20 real Las Vegas cars (488,120 rows) and the real GR Cup Barber sample (pivoted, 1,042 rows) are
written as one lapstack-format telemetry CSV, replicated k times: replica r renames each car
`<car>#r` and shifts its clock by r days, so the file spans many cars and days. 32 replicas = 15,653,184 rows.
"""

from __future__ import annotations

import shutil
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


def build_parquet(csv_path: Path, path: Path) -> int:
    """The same replicated rows as lapstack Parquet (typed columns, DuckDB's default row groups)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"""
        copy (select * from read_csv('{csv_path}', header = true, columns = {{'driver': 'VARCHAR',
              'sample_time': 'TIMESTAMP', 'speed': 'DOUBLE', 'rpm': 'DOUBLE', 'gear': 'INTEGER',
              'throttle': 'DOUBLE', 'brake': 'BOOLEAN', 'drs': 'INTEGER'}}))
        to '{path}' (format parquet)
    """)
    return con.execute(f"select count(*) from read_parquet('{path}')").fetchone()[0]


def build_fastf1(path: Path, replicas: int) -> int:
    """One FastF1 car_data file (`<car>_telemetry.csv`, the export's own columns and text) holding the 20 real
    Las Vegas cars' rows one after another, replicated k times; each (replica, car) block is shifted by whole
    days so the one car's clock only moves forward. 3 replicas = 1,464,360 rows, 32 = 15,619,840."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = path.with_suffix(".body")
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")
    con.execute(f"""
        create table cars as
        select dense_rank() over (order by filename) - 1 as car, column00 as idx, "Date", RPM, Speed, nGear,
               Throttle, Brake, DRS, Source, "Time", SessionTime
        from read_csv('{data_dir() / VEGAS}/*_telemetry.csv', filename = true, header = true, all_varchar = true)
    """)
    con.execute(f"""
        copy (
            select row_number() over () - 1 as idx, strftime(cast("Date" as timestamp)
                       + to_days(cast(k.k * 20 + car as integer)), '%Y-%m-%d %H:%M:%S.%f') as "Date",
                   RPM, Speed, nGear, Throttle, Brake, DRS, Source, "Time", SessionTime
            from cars cross join range({replicas}) as k(k)
            order by k.k, car, cast(idx as integer)
        ) to '{body}' (header false, delimiter ',')
    """)
    with path.open("wb") as out, body.open("rb") as rows:  # the export's header: its index column is unnamed
        out.write(b",Date,RPM,Speed,nGear,Throttle,Brake,DRS,Source,Time,SessionTime\n")
        shutil.copyfileobj(rows, out, 1 << 20)
    body.unlink()
    return con.execute(f"select count(*) from read_csv('{path}')").fetchone()[0]


def build_gr_cup(path: Path, replicas: int) -> int:
    """The real GR Cup Barber long-format sample (10,000 rows, Kafka order, text as recorded) replicated k
    times as k cars: replica r is vehicle GR86-002-<r>, car number r. 150 replicas = 1.5M rows, 1,570 = 15.7M."""
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")
    con.execute(f"""
        create table sample as select row_number() over () as n, *
        from read_csv('{data_dir() / GR_SAMPLE}', header = true, all_varchar = true)
    """)
    con.execute(f"""
        copy (
            select expire_at, lap, meta_event, meta_session, meta_source, meta_time,
                   'GR86-002-' || cast(k.k as varchar) as original_vehicle_id, outing, telemetry_name,
                   telemetry_value, "timestamp", 'GR86-002-' || cast(k.k as varchar) as vehicle_id,
                   cast(k.k as varchar) as vehicle_number
            from sample cross join range({replicas}) as k(k)
            order by k.k, n
        ) to '{path}' (header, delimiter ',')
    """)
    return con.execute(f"select count(*) from read_csv('{path}')").fetchone()[0]
