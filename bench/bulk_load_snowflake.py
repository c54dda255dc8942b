"""Snowflake bulk-load paths side by side, in one run, against the local fakesnow emulator.

Parquet stage + PUT + COPY INTO (what `Warehouse.bulk_insert` does) vs the connector's write_pandas vs
executemany row inserts, each into a fresh copy of raw.fastf1_laps from the same DataFrame, checked by a
row count. The rows are REAL FastF1 2023 lap rows (every f1_2023_fastf1/*/laps.csv, parsed by lapstack's
parser), REPLICATED up to --rows. The emulator is DuckDB underneath: these are emulator figures, they say
which path works and how the paths compare, not what a Snowflake warehouse does.

    .venv/bin/python bench/bulk_load_snowflake.py [--rows 200000]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.real_lap_rows import LoadMethod, fresh_tables, replicated_real_laps, rows_argument  # noqa: E402
from core.settings import apply_network_hygiene  # noqa: E402
from core.warehouse import Warehouse, _python_values, connect  # noqa: E402
from tests.snowflake_emulator import start_fakesnow  # noqa: E402


@contextmanager
def fakesnow_server() -> Iterator[int]:
    """The emulator as the Snowflake tests start it (free port, waited for, stopped after), logging to a tmp dir."""
    with tempfile.TemporaryDirectory(prefix="lapstack_bench_fakesnow_") as tmp:
        yield from start_fakesnow(Path(tmp) / "fakesnow.log")


def stage_copy(wh: Warehouse, table: str, frame: pd.DataFrame) -> None:
    wh.bulk_insert(table, frame)  # the loader's own path


def write_pandas(wh: Warehouse, table: str, frame: pd.DataFrame) -> None:
    from snowflake.connector.pandas_tools import write_pandas as sf_write_pandas

    schema, name = table.split(".")
    ok, _, rows, _ = sf_write_pandas(wh._conn, frame, name.upper(), schema=schema.upper(),  # noqa: SLF001
                                     quote_identifiers=False)
    if not ok:
        raise RuntimeError(f"write_pandas reported failure after {rows} rows")


def executemany(wh: Warehouse, table: str, frame: pd.DataFrame) -> None:
    values = [_python_values(frame[c]) for c in frame.columns]
    values = [[v.to_pydatetime() if isinstance(v, pd.Timestamp) else v for v in col] for col in values]
    rows = list(zip(*values, strict=True))  # the connector binds datetime, not pandas.Timestamp
    cols = ", ".join(frame.columns)
    marks = ", ".join(["%s"] * len(frame.columns))
    cur = wh._conn.cursor()  # noqa: SLF001
    deadline = time.perf_counter() + EXECUTEMANY_BUDGET_S
    for start in range(0, len(rows), 1000):  # one request for all rows times out: 1000-row batches
        if time.perf_counter() > deadline:
            raise TimeBudgetExceeded(start)
        cur.executemany(f"insert into {table} ({cols}) values ({marks})", rows[start:start + 1000])


EXECUTEMANY_BUDGET_S = 60.0


class TimeBudgetExceeded(Exception):
    """Row inserts are too slow to finish: report the rate over the rows they managed."""

    def __init__(self, rows_done: int):
        super().__init__(f"stopped after {EXECUTEMANY_BUDGET_S:.0f} s")
        self.rows_done = rows_done


METHODS: list[tuple[str, LoadMethod]] = [
    ("Parquet stage + PUT + COPY INTO (loader)", stage_copy),
    ("write_pandas", write_pandas),
    ("executemany", executemany),
]


def main() -> int:
    rows = rows_argument(__doc__, default=200_000)
    apply_network_hygiene()  # no cloud metadata probes from the connector
    console = Console(width=170)
    frame = replicated_real_laps(rows, console, "; target: fakesnow emulator on 127.0.0.1")
    results: list[tuple[str, float | None, str]] = []
    with fakesnow_server() as port:
        os.environ.update(FAKESNOW_PORT=str(port), SNOWFLAKE_DATABASE=f"BENCH_{uuid.uuid4().hex[:6].upper()}")
        wh = connect("fakesnow")
        try:
            wh.execute("create schema if not exists bench")
            for name, method, table in fresh_tables(wh, METHODS):
                start = time.perf_counter()
                try:
                    method(wh, table, frame)
                except TimeBudgetExceeded as exc:
                    seconds = time.perf_counter() - start
                    rate = exc.rows_done / seconds
                    note = f"{exc} with {exc.rows_done:,} rows landed; rows/s over those, seconds extrapolated"
                    results.append((name, len(frame) / rate, note))
                    console.print(f"  {name:42} {rate:>12,.0f} rows/s ({note})")
                    continue
                except Exception as exc:  # noqa: BLE001 - a failing path is a result, shown with its reason
                    reason = " ".join(str(exc).split())[:160]
                    results.append((name, None, f"FAILED: {type(exc).__name__}: {reason}"))
                    console.print(f"  {name:42} {results[-1][2]}")
                    continue
                seconds = time.perf_counter() - start
                landed = wh.query(f"select count(*) from {table}")[0][0]
                note = "" if landed == len(frame) else f"landed {landed} of {len(frame)} rows"
                results.append((name, seconds, note))
                console.print(f"  {name:42} {len(frame) / seconds:>12,.0f} rows/s {note}")
        finally:
            wh.close()

    table = Table(title=f"Snowflake (fakesnow) bulk load, {len(frame):,} replicated real lap rows")
    for col in ("method", "seconds (all rows)", "rows/s", "vs loader", "note"):
        table.add_column(col)
    base = results[0][1]
    for name, seconds, note in results:
        if seconds is None:
            table.add_row(name, "-", "-", "-", note)
        else:
            table.add_row(name, f"{seconds:.2f}", f"{len(frame) / seconds:,.0f}",
                          f"{seconds / base:.1f}x slower" if base else "-", note)
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
