"""Start the fakesnow emulator as a local server for the Snowflake tests, and compare marts across targets."""

from __future__ import annotations

import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from core.warehouse import connect

# Columns that differ by construction between two loads of the same files (load time, random batch ids).
LOAD_DEPENDENT = {"_loaded_at", "_batch_id", "loaded_at", "_max_loaded_at"}
# Times to 1 ms. Marts round times to the ms, so an average whose last binary digit differs between engines can
# land on the neighbouring millisecond (101.219 vs 101.22, float difference 0.0010000000000047): 1 ms plus noise.
TOLERANCE = 0.001 + 1e-9


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fakesnow_executable() -> str:
    candidate = Path(sys.executable).parent / "fakesnow"
    return str(candidate) if candidate.exists() else "fakesnow"


def start_fakesnow(log_path: Path) -> Iterator[int]:
    """`fakesnow -s -p PORT --host 127.0.0.1` on a free port; stopped (SIGINT, then SIGKILL) afterwards."""
    port = free_port()
    env = dict(os.environ, SNOWFLAKE_DISABLE_PLATFORM_DETECTION="true", DO_NOT_TRACK="1")
    with open(log_path, "w") as log:
        proc = subprocess.Popen([fakesnow_executable(), "-s", "-p", str(port), "--host", "127.0.0.1"],
                                stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"fakesnow exited with {proc.returncode}: {log_path.read_text()[-2000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"fakesnow did not listen on 127.0.0.1:{port} within 30 s")
                time.sleep(0.2)
        yield port
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


EPOCH = "1970-01-01 00:00:00"


def _normal(value: object, target: str = "") -> object:
    if target == "fakesnow" and str(value) == EPOCH:
        # The emulator hands a NULL timestamp back as the epoch (seen on fct_laps.lap_start_time even where the
        # SQL guards it with `case when ... end`); no lap starts at 1970-01-01 00:00:00, so it is NULL.
        return None
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT:
        return None
    return value


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a) == bool(b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) <= TOLERANCE
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, str) and isinstance(b, str) and a[:1] in "{[" and a != b:
        # A JSON document column (session_page, session_chart_json) holds the same mart times as the long
        # marts: compared value by value under the same 1 ms rule, keys and order exactly.
        try:
            return _same(json.loads(a), json.loads(b))
        except ValueError:
            return False
    return str(a) == str(b)


def mart_tables(target: str) -> list[str]:
    wh = connect(target)
    try:
        rows = wh.query("select table_name from information_schema.tables where lower(table_schema) = 'marts'")
    finally:
        wh.close()
    return sorted(r[0].lower() for r in rows)


def mart_rows(target: str, table: str) -> tuple[list[str], list[tuple]]:
    """Every row of marts.<table>, load-dependent columns dropped, in a target-independent order."""
    wh = connect(target)
    try:
        frame = wh.query_df(f"select * from marts.{table}")
    finally:
        wh.close()
    columns = sorted(c for c in frame.columns if c not in LOAD_DEPENDENT)
    rows = [tuple(_normal(v, target) for v in row) for row in frame[columns].itertuples(index=False, name=None)]

    floats = {i for i, c in enumerate(columns) if any(isinstance(r[i], float) for r in rows)}

    def order(row: tuple) -> tuple:
        # Exact columns first; floats (rounded) only break ties, so engine rounding never reorders rows.
        exact = tuple("" if row[i] is None else str(row[i]) for i in range(len(row)) if i not in floats)
        approx = tuple(-1.0 if row[i] is None else round(float(row[i]), 3) for i in sorted(floats))
        return exact, approx

    return columns, sorted(rows, key=order)


def diff_marts(base: str, other: str) -> list[str]:
    """Every difference between the marts of two targets: tables, columns, row counts, values (times to 1 ms)."""
    tables = mart_tables(base)
    problems = [] if tables == mart_tables(other) else [f"tables differ: {tables} vs {mart_tables(other)}"]
    for table in tables:
        cols_a, rows_a = mart_rows(base, table)
        cols_b, rows_b = mart_rows(other, table)
        if cols_a != cols_b:
            problems.append(f"{table}: columns {cols_a} vs {cols_b}")
            continue
        if len(rows_a) != len(rows_b):
            problems.append(f"{table}: {len(rows_a)} rows on {base} vs {len(rows_b)} on {other}")
            continue
        for row_a, row_b in zip(rows_a, rows_b, strict=True):
            for col, a, b in zip(cols_a, row_a, row_b, strict=True):
                if not _same(a, b):
                    key = {c: v for c, v in zip(cols_a, row_a, strict=True) if c in ("session_id", "driver")}
                    problems.append(f"{table}.{col} {key}: {str(a)[:120]!r} on {base} vs {str(b)[:120]!r} on {other}")
    return problems
