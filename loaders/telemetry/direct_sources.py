"""DuckDB SQL that reads one telemetry file in DuckDB's own readers and yields canonical, checked columns.

Why: the chunked path parses in pyarrow, stages and copies (~2-3x DuckDB's reader). Here each format is
one relation over read_csv / read_parquet whose columns are already raw.telemetry's: `driver`,
`sample_time`, `line` (the row's physical line, or 1-based Parquet row), typed channels, and for GR Cup
`sample_seq` and `ecu_time`. Every check the chunked path makes per value is an `error()` in the SQL (the
statement aborts, the caller rolls back and the chunked path names file, line and column); checks that need
the whole batch (rows = data lines, time order per car) run by query after the insert (duckdb_direct).

Only our own constants become SQL text (column names are positional `c<i>` aliases, types come from a
fixed map); the file path and every value are bound parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from loaders.telemetry import canonical, fastf1_car, gr_cup_long
from loaders.telemetry.columns import CHANNELS

_CANON_TRUE = ("true", "1", "1.0", "t")
_CANON_BOOL = _CANON_TRUE + ("false", "0", "0.0", "f")
_F1_TRUE = ("true", "1", "1.0")
_F1_BOOL = _F1_TRUE + ("false", "0", "0.0")
_TIMEDELTA = r"^(-?\d+) days (\d+):(\d+):(\d+(?:\.\d+)?)$"


class Unsupported(Exception):
    """This file's layout is not one the direct path handles (the chunked path loads it)."""


@dataclass
class Source:
    """`sql` yields canonical columns; `params` are bound in order; `columns` names what it yields."""

    sql: str
    params: list = field(default_factory=list)
    columns: set[str] = field(default_factory=set)
    long_rows: bool = False  # GR Cup: one inserted row holds several file lines (counted per channel)
    ordered: bool = False  # time order per car already checked from the file (Parquet), not by query


def _lit(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _utc(col: str) -> str:
    """A TIMESTAMPTZ as the naive UTC timestamp raw.telemetry holds. Why not `cast(.. as timestamp)`: that
    goes through ICU's calendar per value (~0.1 s CPU per million rows, a tenth of DuckDB's whole CSV read);
    the instant's microseconds since the epoch are the UTC wall clock already. +-infinity give null, which
    the not-null column refuses (the chunked path then names the line)."""
    return f"make_timestamp(epoch_us({col}))"


def _double(col: str) -> str:
    """A finite double (nan / inf / overflow abort; the chunked path names the line)."""
    return f"case when {col} is null or isfinite({col}) then {col} else error('not finite') end"


def _whole(col: str) -> str:
    """A whole number an int32 holds; anything else aborts."""
    return (f"case when {col} is null then null when isfinite({col}) and {col} = trunc({col}) "
            f"then cast({col} as integer) else error('not a whole number') end")


def _bool(col: str, true: tuple[str, ...], known: tuple[str, ...]) -> str:
    low = f"lower(trim({col}))"
    return (f"case when {col} is null then null when {low} in {_lit(known)} then {low} in {_lit(true)} "
            "else error('not a boolean') end")


def _channel(name: str, col: str, true=_CANON_TRUE, known=_CANON_BOOL) -> str:
    kind = CHANNELS[name][0]
    if kind == pa.bool_():
        return _bool(col, true, known)
    if kind == pa.int32():
        return _whole(col)
    return _double(col)


def _read_csv(header: list[str], types: dict[int, str]) -> str:
    """read_csv over positional aliases c0..cN (header names never reach SQL text); unnamed = VARCHAR."""
    cols = ", ".join(f"'c{i}': '{types.get(i, 'VARCHAR')}'" for i in range(len(header)))
    return (f"read_csv(?, header = true, delim = ',', quote = '\"', escape = '\"', columns = {{{cols}}}, "
            "auto_detect = false)")


def _csv_type(name: str) -> str:
    return {pa.float64(): "DOUBLE", pa.int32(): "DOUBLE", pa.bool_(): "VARCHAR"}[CHANNELS[name][0]]


def canonical_csv(path: Path, header: list[str]) -> Source:
    types = {i: _csv_type(n) for i, n in enumerate(header) if n in CHANNELS}
    types.update({header.index("sample_time"): "TIMESTAMPTZ"})
    cols = [f"trim(c{header.index('driver')}) as driver",
            f"{_utc('c' + str(header.index('sample_time')))} as sample_time", "ordinality + 1 as line"]
    cols += [f"{_channel(n, f'c{i}')} as {n}" for i, n in enumerate(header) if n in CHANNELS]
    return Source(f"select {', '.join(cols)} from {_read_csv(header, types)} with ordinality", [str(path)],
                  {"driver", "sample_time", "line", *(n for n in header if n in CHANNELS)})


def fastf1_csv(path: Path, header: list[str], car: str) -> Source:
    """FastF1 car_data: the file's own columns mapped to canonical ones; the car id is a bound constant."""
    types: dict[int, str] = {}
    cols = ["? as driver", "ordinality + 1 as line"]
    names = {"driver", "line"}
    split = "null"
    for i, src in enumerate(header):
        target = fastf1_car.MAPPED.get(src)
        if target is None or target in names:
            continue
        names.add(target)
        col = f"c{i}"
        if target == "sample_time":
            types[i] = "TIMESTAMPTZ"
            cols.append(f"{_utc(col)} as sample_time")
        elif target == "session_time":
            split = f"regexp_extract({col}, '{_TIMEDELTA}', ['d', 'h', 'm', 's'])"
            # the chunked path's arithmetic order: (d*86400 + h*3600) + (m*60 + s), in doubles
            cols.append(f"case when {col} is null then null when _td.d = '' then error('not a timedelta') "
                        "else (cast(_td.d as double) * 86400.0 + cast(_td.h as double) * 3600.0) + "
                        "(cast(_td.m as double) * 60.0 + cast(_td.s as double)) end as session_time")
        elif target == "brake":
            cols.append(f"{_bool(col, _F1_TRUE, _F1_BOOL)} as brake")
        else:
            types[i] = "DOUBLE"
            cols.append(f"{_channel(target, col)} as {target}")
    inner = f"select *, {split} as _td from {_read_csv(header, types)} with ordinality"
    return Source(f"select {', '.join(cols)} from ({inner})", [car, str(path)], names)


_PARQUET_DRIVER = (pa.types.is_string, pa.types.is_large_string, pa.types.is_integer)
_PARQUET_NUMBER = (pa.types.is_integer, pa.types.is_floating)


def parquet(path: Path, header: list[str]) -> Source:
    """lapstack Parquet: accepted as is when its types are what the chunked path casts without loss."""
    schema = pq.ParquetFile(path).schema_arrow
    cols = ["file_row_number + 1 as line"]
    for name in header:
        kind = schema.field(name).type
        col = f"c.\"{name}\""  # `name` is one of canonical.KNOWN (checked by check_header): our identifiers
        if name not in canonical.KNOWN:
            raise Unsupported(name)
        if name == "driver":
            if not any(t(kind) for t in _PARQUET_DRIVER):
                raise Unsupported(name)
            cols.append(f"cast({col} as varchar) as driver")
        elif name == "sample_time":
            if not pa.types.is_timestamp(kind):
                raise Unsupported(name)
            if kind.unit == "ns":  # pyarrow refuses a lossy ns -> us cast: so does this
                cols.append(f"case when epoch_ns({col}) % 1000 <> 0 then error('sub-microsecond time') "
                            f"else cast({col} as timestamp) end as sample_time")
            else:
                cols.append(f"{_utc(col) if kind.tz is not None else f'cast({col} as timestamp)'} as sample_time")
        elif CHANNELS[name][0] == pa.bool_():
            if not pa.types.is_boolean(kind):
                raise Unsupported(name)
            cols.append(f"{col} as {name}")
        else:
            if not any(t(kind) for t in _PARQUET_NUMBER):
                raise Unsupported(name)
            expr = f"cast({col} as double)"
            cols.append(f"{_whole(expr) if CHANNELS[name][0] == pa.int32() else _double(expr)} as {name}")
    return Source(f"select {', '.join(cols)} from read_parquet(?, file_row_number = true) as c", [str(path)],
                  {"line", *header})


def gr_cup(path: Path, header: list[str]) -> Source:
    """GR Cup long format, pivoted in SQL as gr_cup_long does (sample_seq, clock offset, car number)."""
    idx = {n: i for i, n in enumerate(header)}
    types = {idx["telemetry_value"]: "DOUBLE", idx["timestamp"]: "TIMESTAMPTZ"}
    if "meta_time" in idx:
        types[idx["meta_time"]] = "TIMESTAMPTZ"
    if "lap" in idx:
        types[idx["lap"]] = "DOUBLE"
    names = tuple(gr_cup_long.CHANNELS)
    c = {n: f"c{i}" for n, i in idx.items()}
    number = (f"case when {c['vehicle_number']} is null then null when regexp_full_match(trim({c['vehicle_number']}), "
              f"'[0-9]{{1,9}}(\\.0+)?') then trim({c['vehicle_number']}) else error('not a car number') end"
              if "vehicle_number" in idx else "cast(null as varchar)")
    value = c["telemetry_value"]
    long_rows = f"""
        select ordinality + 1 as line,
               case when {c['vehicle_id']} is null then error('missing vehicle_id') else trim({c['vehicle_id']}) end
                   as vehicle,
               {number} as vehicle_number,
               case when {c['timestamp']} is null then error('missing timestamp')
                    else {_utc(c['timestamp'])} end as ts,
               {_utc(c['meta_time']) if 'meta_time' in idx else 'cast(null as timestamp)'}
                   as meta_time,
               {_whole(c['lap']) if 'lap' in idx else 'cast(null as integer)'} as lap,
               case when trim({c['telemetry_name']}) in {_lit(names)} then trim({c['telemetry_name']})
                    else error('unknown channel') end as channel,
               case when {value} is null then error('missing telemetry_value') when isfinite({value}) then {value}
                    else error('not finite') end as value
        from {_read_csv(header, types)} with ordinality"""
    cases = ", ".join(f"max(case when channel = '{src}' then value end) as {dst}"
                      for src, dst in gr_cup_long.CHANNELS.items())
    text = "coalesce(nullif(trim(max(vehicle_number)), ''), split_part(vehicle, '-', -1))"
    sql = f"""
        with long_rows as ({long_rows}),
        numbered as (
            select *, row_number() over (partition by vehicle, ts, channel order by line) as sample_seq
            from long_rows
        ),
        offsets as (
            select vehicle, coalesce(min(meta_time - ts), interval 0 second) as clock_offset,
                   case when regexp_full_match({text}, '[0-9]{{1,9}}(\\.0+)?')
                        then cast(cast(split_part({text}, '.', 1) as bigint) as varchar)
                        else error('no car number in vehicle id') end as driver
            from long_rows group by vehicle
        ),
        pivoted as (
            select vehicle, ts, sample_seq, min(line) as line, max(lap) as source_lap, {cases}
            from numbered group by vehicle, ts, sample_seq
        )
        select p.* exclude (vehicle, ts), p.ts as ecu_time, p.ts + o.clock_offset as sample_time, o.driver
        from pivoted as p join offsets as o using (vehicle)"""
    cols = {"line", "sample_seq", "source_lap", "ecu_time", "sample_time", "driver",
            *gr_cup_long.CHANNELS.values()}
    return Source(sql, [str(path)], cols, long_rows=True)
