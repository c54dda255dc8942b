"""DuckDB target: DuckDB's own readers stream the file straight into raw.telemetry, in one transaction.

Why: parsing into arrow chunks, staging them in a private table and copying that over cost ~2-3x DuckDB's
read_csv (bench/telemetry_load.py). Every format has this path: lapstack CSV and FastF1 car_data through
read_csv, Parquet through read_parquet, GR Cup long format through read_csv and a pivot in SQL (direct_sources).
One transaction does insert-from-reader, validation, the swap and the audit row. DuckDB writes full row
groups to the database file as they fill and spills under the loader's memory_limit, so memory does not
follow the file size; a kill before the commit leaves only unreferenced blocks, so nothing is visible and a
re-run starts over.

Whatever this path refuses (bad value, null key, time going backwards, blank or multi-line rows, a Parquet
type it does not take as is) is rolled back and re-read by the chunked path, whose errors name file, line and
column exactly.
"""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from core.errors import LoadError
from core.raw_schema import RAW
from core.settings import (
    LAPSTACK_TELEMETRY_CHUNKED,
    LAPSTACK_TELEMETRY_DUCKDB_MEMORY,
    LAPSTACK_TELEMETRY_TRACE,
    LAPSTACK_TELEMETRY_TRACE_DELAY,
)
from core.warehouse import Warehouse
from loaders.telemetry import canonical, direct_sources, fastf1_car, gr_cup_long, lapassign
from loaders.telemetry.columns import RAW_TABLE, SCHEMA
from loaders.telemetry.ordering import OrderGuard
from loaders.telemetry.store import now, record, supersede


class FallBack(Exception):
    """The file needs the chunked path (for an exact error, or a layout this path does not handle)."""


@dataclass
class Direct:
    batch_id: str
    rows: int
    pairs: set[tuple[str, str]] = field(default_factory=set)


FORMATS = (canonical.FORMAT_CSV, canonical.FORMAT_PARQUET, fastf1_car.FORMAT, gr_cup_long.FORMAT)


def applies(wh: Warehouse, fmt: str) -> bool:
    return wh.kind == "duckdb" and fmt in FORMATS and not LAPSTACK_TELEMETRY_CHUNKED.get()


def _select(source: direct_sources.Source, header: list[str], windows: lapassign.LapWindows) -> str:
    """raw.telemetry's columns, in table order, from the source relation `c` (and lap window `w`)."""
    cols = []
    for f in SCHEMA:
        if f.name == "_driver":
            cols.append("c.driver")
        elif f.name == "lap_number" and "lap_number" not in source.columns and windows.by_driver:
            cols.append("case when c.sample_time < w.lap_end then w.lap end")
        elif f.name in ("_session_id", "_batch_id"):  # bound in this order (table order)
            cols.append("?")
        elif f.name == "_source_line":
            cols.append("c.line")
        elif f.name in source.columns:
            cols.append(f"c.{f.name}")
        else:
            cols.append("1" if f.name == "sample_seq" else "null")
    return ", ".join(cols)


def _source(path: Path, fmt: str, header: list[str], car: str | None) -> direct_sources.Source:
    if fmt == canonical.FORMAT_CSV:
        return direct_sources.canonical_csv(path, header)
    if fmt == canonical.FORMAT_PARQUET:
        return direct_sources.parquet(path, header)
    if fmt == fastf1_car.FORMAT:
        return direct_sources.fastf1_csv(path, header, car or "")
    return direct_sources.gr_cup(path, header)


@dataclass
class Summary:
    rows: int  # inserted rows
    lines: int  # file lines they hold: one per row, or (GR Cup long format) one per channel value
    ordered: bool  # every car's sample_time strictly increases with the file line
    drivers: set[str]


def _parquet_in_order(path: Path) -> bool:
    """Parquet: every car's sample_time strictly increases with the row number, streamed from the file's two
    columns in row order (OrderGuard, as the chunked path checks it). Why not the SQL window: sorting the batch
    by (car, line) under the memory limit cost ~9 s CPU per 15.7M rows, this ~2 s (bench/telemetry_load.py)."""
    guard, first = OrderGuard(path, "sample_time"), 1
    try:
        # 128K-row batches (about one row group): 1M-row batches added ~70 MB to the loader's peak RSS
        for batch in pq.ParquetFile(path).iter_batches(batch_size=1 << 17, columns=["driver", "sample_time"]):
            guard.check(batch.column(0), batch.column(1), np.arange(first, first + batch.num_rows))
            first += batch.num_rows
    except LoadError:
        return False
    except (pa.ArrowException, ValueError, TypeError):
        return False  # not decidable here (nulls, odd types): the chunked path names what is wrong
    finally:
        pa.default_memory_pool().release_unused()  # the insert's buffer pool comes on top of what stays here
    return True


def _summary(wh: Warehouse, source: direct_sources.Source, batch_id: str) -> Summary:
    """Every check that needs the whole batch, in one scan of it (row count, lines, time order, the cars):
    each separate query re-read the 15.7M-row batch (from the buffer pool or, past memory_limit, from disk).
    The time order is the only part that sorts (per car, by file line); it reads only the three columns it
    needs (the session is the insert's bound constant). Parquet's order is checked from the file instead
    (_parquet_in_order), so its summary is one hash aggregate."""
    if source.ordered:  # one row per line, order already checked: no sort
        found = wh.query(f"select _driver, count(*), count(*), 0 from {RAW}.{RAW_TABLE} where _batch_id = ? "
                         "group by _driver", (batch_id,))
    elif source.long_rows:  # GR Cup: samples are pivoted from many lines; the pivot orders them itself
        channel_counts = " + ".join(f"count({c})" for c in sorted(set(gr_cup_long.CHANNELS.values())))
        found = wh.query(f"select _driver, count(*), {channel_counts}, 0 from {RAW}.{RAW_TABLE} "
                         "where _batch_id = ? group by _driver", (batch_id,))
    else:
        found = wh.query("select _driver, count(*), count(*), count(*) filter (where bad) from ("
                         "select _driver, sample_time <= lag(sample_time) over (partition by _driver "
                         f"order by _source_line) as bad from {RAW}.{RAW_TABLE} where _batch_id = ?) group by _driver",
                         (batch_id,))
    return Summary(sum(r[1] for r in found), sum(r[2] for r in found), not any(r[3] for r in found),
                   {r[0] for r in found})


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


def _trace(rows: int) -> None:
    """Debug/test knob: the rows are in but not committed, so a kill can land here."""
    if LAPSTACK_TELEMETRY_TRACE.get():
        print(f"inserted {rows} uncommitted rows into {RAW}.{RAW_TABLE}", file=sys.stderr, flush=True)
        time.sleep(LAPSTACK_TELEMETRY_TRACE_DELAY.get())


def _data_rows(path: Path, fmt: str, data_lines: int) -> int:
    return pq.ParquetFile(path).metadata.num_rows if fmt == canonical.FORMAT_PARQUET else data_lines


def load(wh: Warehouse, path: Path, sha: str, fmt: str, header: list[str], session_id: str,
         windows: lapassign.LapWindows, data_lines: int, replace: bool, *, car: str | None = None,
         aliases: dict[str, set[str]] | None = None) -> Direct:
    """Insert, check, swap and record in one transaction; FallBack (rolled back) when the file needs the
    chunked path. `car`: the id a single-car file's rows get (FastF1); `aliases`: its other ids."""
    try:
        source = _source(path, fmt, header, car)
        expected = _data_rows(path, fmt, data_lines)
        if fmt == canonical.FORMAT_PARQUET:
            if not _parquet_in_order(path):
                raise FallBack("samples out of order")
            source.ordered = True
    except (direct_sources.Unsupported, OSError, pa.ArrowException) as exc:
        raise FallBack(str(exc)) from exc
    con = wh._conn
    # Buffer pool of the loader's connection: DuckDB spills beyond it instead of growing the process.
    con.execute("set memory_limit = ?", [LAPSTACK_TELEMETRY_DUCKDB_MEMORY.get()])
    con.execute("set preserve_insertion_order = false")
    con.execute("set TimeZone = 'UTC'")
    out = Direct(uuid.uuid4().hex, 0)
    join = ""
    if "lap_number" not in source.columns and windows.by_driver:
        _register_windows(con, windows)
        join = "asof left join _lapstack_windows as w on w.driver = c.driver and c.sample_time >= w.lap_start"
    try:
        with wh.transaction():
            wh.execute(f"insert into {RAW}.{RAW_TABLE} select {_select(source, header, windows)} from "
                       f"({source.sql}) as c {join}",
                       (session_id, out.batch_id, *source.params))
            found = _summary(wh, source, out.batch_id)
            out.rows, out.pairs = found.rows, {(session_id, d) for d in found.drivers}
            _trace(out.rows)
            if not found.rows or found.lines != expected or not found.ordered:
                raise FallBack(f"{found.lines} rows read for {expected} data rows, or samples out of order")
            supersede(wh, path, out.pairs, replace, out.batch_id, aliases)
            record(wh, out.batch_id, path, sha, fmt, out.pairs, out.rows, now())
    except duckdb.Error as exc:
        raise FallBack(str(exc)) from exc
    finally:
        if join:
            con.unregister("_lapstack_windows")
    return out
