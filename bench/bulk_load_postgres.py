"""Postgres bulk-load paths side by side, in one run, on the loader's real raw table and real lap rows.

COPY binary with set_types (what `Warehouse.bulk_insert` does) vs COPY text vs psycopg executemany vs
pandas to_sql. Every method starts from the same DataFrame, writes the same rows into a fresh copy of
raw.fastf1_laps, and is checked by a row count. The rows are REAL FastF1 2023 lap rows (every
f1_2023_fastf1/*/laps.csv, parsed by lapstack's own parser), REPLICATED up to --rows.

    .venv/bin/python bench/bulk_load_postgres.py [--rows 500000]
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path

import pandas as pd
import psycopg
from psycopg import sql
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.real_lap_rows import LoadMethod, fresh_tables, replicated_real_laps, rows_argument  # noqa: E402
from core.warehouse import Warehouse, _python_values, connect  # noqa: E402


def _rows(frame: pd.DataFrame) -> list[tuple]:
    return list(zip(*(_python_values(frame[c]) for c in frame.columns), strict=True))


def copy_binary(wh: Warehouse, table: str, frame: pd.DataFrame) -> None:
    wh.bulk_insert(table, frame)  # the loader's own path


def copy_text(wh: Warehouse, table: str, frame: pd.DataFrame) -> None:
    cols = ", ".join(frame.columns)
    with wh._conn.cursor() as cur, cur.copy(f"copy {table} ({cols}) from stdin") as copy:  # noqa: SLF001
        for row in _rows(frame):
            copy.write_row(row)


def executemany(wh: Warehouse, table: str, frame: pd.DataFrame) -> None:
    cols = ", ".join(frame.columns)
    marks = ", ".join(["%s"] * len(frame.columns))
    with wh._conn.cursor() as cur:  # noqa: SLF001
        cur.executemany(f"insert into {table} ({cols}) values ({marks})", _rows(frame))


def to_sql(wh: Warehouse, table: str, frame: pd.DataFrame) -> None:
    from sqlalchemy import create_engine

    cfg = wh.target.config
    engine = create_engine("postgresql+psycopg://", connect_args={
        "host": cfg["host"], "port": int(cfg["port"]), "user": cfg["user"],
        "password": cfg.get("password") or None, "dbname": cfg["dbname"]})
    schema, name = table.split(".")
    try:
        frame.to_sql(name, engine, schema=schema, if_exists="append", index=False)
    finally:
        engine.dispose()


METHODS: list[tuple[str, LoadMethod]] = [
    ("COPY binary + set_types (loader)", copy_binary),
    ("COPY text", copy_text),
    ("executemany", executemany),
    ("pandas to_sql", to_sql),
]


def main() -> int:
    rows = rows_argument(__doc__, default=500_000)
    console = Console()
    frame = replicated_real_laps(rows, console)

    admin_kwargs = {"host": os.environ.get("PGHOST", "127.0.0.1"), "port": int(os.environ.get("PGPORT", 5432)),
                    "user": os.environ.get("PGUSER", "postgres"), "dbname": "postgres", "autocommit": True}
    database = f"lapstack_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(**admin_kwargs) as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(database)))
    os.environ["PGDATABASE"] = database
    results: list[tuple[str, float]] = []
    try:
        wh = connect("postgres")
        try:
            wh.execute("create schema bench")
            for name, method, table in fresh_tables(wh, METHODS):
                start = time.perf_counter()
                method(wh, table, frame)
                seconds = time.perf_counter() - start
                landed = wh.query(f"select count(*) from {table}")[0][0]
                if landed != len(frame):
                    raise SystemExit(f"bench: {name} landed {landed} rows, expected {len(frame)}")
                results.append((name, seconds))
                console.print(f"  {name:34} {len(frame) / seconds:>12,.0f} rows/s")
        finally:
            wh.close()
    finally:
        with psycopg.connect(**admin_kwargs) as admin:
            admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(database)))

    table = Table(title=f"Postgres bulk load, {len(frame):,} replicated real lap rows x {frame.shape[1]} columns")
    for col in ("method", "seconds", "rows/s", "values/s", "COPY binary is ... x faster"):
        table.add_column(col, justify="right" if col != "method" else "left")
    base = results[0][1]
    for name, seconds in results:
        table.add_row(name, f"{seconds:.2f}", f"{len(frame) / seconds:,.0f}",
                      f"{frame.size / seconds:,.0f}", f"{seconds / base:.1f}x")
    console.print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
