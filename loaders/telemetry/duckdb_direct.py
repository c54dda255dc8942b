"""DuckDB target, lapstack-format CSV: DuckDB's own reader streams the file straight into raw.telemetry.

Why: parsing into arrow chunks, staging them in a private table and copying that over cost ~3x DuckDB's
read_csv (bench/telemetry_load.py). Here one transaction does insert-from-read_csv, validation, the swap
and the audit row. DuckDB writes full row groups to the database file as they fill and spills under the
loader's memory_limit, so memory does not follow the file size; a kill before the commit leaves only
unreferenced blocks, so nothing is visible and a re-run starts over.

Whatever this path refuses (bad value, null key, time going backwards, blank or multi-line rows) is
rolled back and re-read by the chunked path, whose errors name file, line and column exactly.
"""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from core.raw_schema import RAW
from core.settings import (
    LAPSTACK_TELEMETRY_CHUNKED,
    LAPSTACK_TELEMETRY_DUCKDB_MEMORY,
    LAPSTACK_TELEMETRY_TRACE,
    LAPSTACK_TELEMETRY_TRACE_DELAY,
)
from core.warehouse import Warehouse
from loaders.telemetry import canonical, lapassign
from loaders.telemetry.columns import CHANNELS, RAW_TABLE, SCHEMA
from loaders.telemetry.store import now, record, supersede

_READ_TYPES = {pa.float64(): "DOUBLE", pa.int32(): "DOUBLE", pa.bool_(): "VARCHAR"}
_TRUE = ("true", "1", "1.0", "t")
_BOOL = _TRUE + ("false", "0", "0.0", "f")


class FallBack(Exception):
    """The file needs the chunked path (for an exact error, or a layout this path does not handle)."""


@dataclass
class Direct:
    batch_id: str
    rows: int
    pairs: set[tuple[str, str]] = field(default_factory=set)


def applies(wh: Warehouse, fmt: str) -> bool:
    return wh.kind == "duckdb" and fmt == canonical.FORMAT_CSV and not LAPSTACK_TELEMETRY_CHUNKED.get()


def _expr(name: str, header: list[str]) -> str:
    """SQL for one raw.telemetry column, from the read_csv columns (all identifiers are our constants)."""
    if name not in header:
        return "1" if name == "sample_seq" else "null"
    kind = CHANNELS[name][0] if name in CHANNELS else None
    if kind == pa.bool_():
        return (f"case when c.{name} is null then null when lower(trim(c.{name})) in {_BOOL!r} "
                f"then lower(trim(c.{name})) in {_TRUE!r} else error('not a boolean') end")
    if kind == pa.int32():
        # whole numbers only: error() aborts the statement, the chunked path then names the line
        return (f"case when c.{name} is null then null when c.{name} = trunc(c.{name}) then cast(c.{name} as integer) "
                f"else error('not a whole number') end")
    if kind == pa.float64():  # nan / inf / 1e400: the chunked path names the line
        return f"case when c.{name} is null or isfinite(c.{name}) then c.{name} else error('not finite') end"
    return f"c.{name}"


def _select(header: list[str], windows: lapassign.LapWindows) -> str:
    lap = "lap_number" in header or not windows.by_driver
    cols = []
    for f in SCHEMA:
        if f.name == "_driver":
            cols.append("c.driver")
        elif f.name == "sample_time":
            cols.append("c.sample_time")
        elif f.name == "lap_number" and not lap:
            cols.append("case when c.sample_time < w.lap_end then w.lap end")
        elif f.name in ("_session_id", "source_format", "_batch_id", "_source_file", "_loaded_at"):
            cols.append("?")
        elif f.name == "_source_line":
            cols.append("c.ordinality + 1")
        else:
            cols.append(_expr(f.name, header))
    return ", ".join(cols)


def _reader(header: list[str]) -> str:
    types = {"driver": "VARCHAR", "sample_time": "TIMESTAMPTZ"}
    types.update({n: _READ_TYPES[CHANNELS[n][0]] for n in header if n in CHANNELS})
    columns = "{" + ", ".join(f"'{n}': '{types[n]}'" for n in header) + "}"
    return (f"(select trim(driver) as driver, cast(sample_time as timestamp) as sample_time, "
            f"* exclude (driver, sample_time) from read_csv(?, header = true, delim = ',', quote = '\"', "
            f"escape = '\"', columns = {columns}, auto_detect = false) with ordinality)")


def _register_windows(con: duckdb.DuckDBPyConnection, windows: lapassign.LapWindows) -> None:
    drivers, starts, ends, laps = [], [], [], []
    for driver, (s, e, n) in windows.by_driver.items():
        drivers += [driver] * len(s)
        starts += list(s)
        ends += list(e)
        laps += list(n)
    con.register("_lapstack_windows", pa.table({
        "driver": pa.array(drivers, pa.string()), "lap_start": pa.array(starts, pa.int64()).cast(pa.timestamp("us")),
        "lap_end": pa.array(ends, pa.int64()).cast(pa.timestamp("us")), "lap": pa.array(laps, pa.int32())}))


def _out_of_order(wh: Warehouse, batch_id: str) -> bool:
    rows = wh.query(f"select 1 from (select sample_time <= lag(sample_time) over (partition by _driver order by "
                    f"_source_line) as bad from {RAW}.{RAW_TABLE} where _batch_id = ?) where bad limit 1",
                    (batch_id,))
    return bool(rows)


def _trace(rows: int) -> None:
    """Debug/test knob: the rows are in but not committed, so a kill can land here."""
    if LAPSTACK_TELEMETRY_TRACE.get():
        print(f"inserted {rows} uncommitted rows into {RAW}.{RAW_TABLE}", file=sys.stderr, flush=True)
        time.sleep(LAPSTACK_TELEMETRY_TRACE_DELAY.get())


def load(wh: Warehouse, path: Path, sha: str, fmt: str, header: list[str], session_id: str,
         windows: lapassign.LapWindows, data_lines: int, replace: bool) -> Direct:
    """Insert, check, swap and record in one transaction; FallBack (rolled back) when the file needs the
    chunked path."""
    con = wh._conn
    # Buffer pool of the loader's connection: DuckDB spills beyond it instead of growing the process.
    con.execute("set memory_limit = ?", [LAPSTACK_TELEMETRY_DUCKDB_MEMORY.get()])
    con.execute("set preserve_insertion_order = false")
    con.execute("set TimeZone = 'UTC'")
    out = Direct(uuid.uuid4().hex, 0)
    join = ""
    if "lap_number" not in header and windows.by_driver:
        _register_windows(con, windows)
        join = "asof left join _lapstack_windows as w on w.driver = c.driver and c.sample_time >= w.lap_start"
    try:
        with wh.transaction():
            wh.execute(f"insert into {RAW}.{RAW_TABLE} select {_select(header, windows)} from {_reader(header)} "
                       f"as c {join}", (session_id, fmt, out.batch_id, str(path), now(), str(path)))
            out.rows = wh.query(f"select count(*) from {RAW}.{RAW_TABLE} where _batch_id = ?", (out.batch_id,))[0][0]
            _trace(out.rows)
            if not out.rows or out.rows != data_lines or _out_of_order(wh, out.batch_id):
                raise FallBack(f"{out.rows} rows for {data_lines} data lines, or samples out of order")
            out.pairs = {(s, d) for s, d in wh.query(f"select distinct _session_id, _driver from {RAW}.{RAW_TABLE} "
                                                      "where _batch_id = ?", (out.batch_id,))}
            supersede(wh, path, out.pairs, replace, out.batch_id)
            record(wh, out.batch_id, path, sha, fmt, out.pairs, out.rows, now())
    except duckdb.Error as exc:
        raise FallBack(str(exc)) from exc
    finally:
        if join:
            con.unregister("_lapstack_windows")
    return out
