"""The rows both bulk-load benches write: every real FastF1 2023 lap row, as the loader lands it, replicated.

The Postgres and the Snowflake bench compare load paths on the same rows and the same raw table, so they
share how those rows are made, the command line that sizes them and the line that says what they are.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
from rich.console import Console

from core.raw_schema import LAP_TABLES
from core.settings import data_dir
from core.warehouse import Warehouse
from loaders.laps.detect import parse_file
from loaders.laps.model import Overrides

RAW_TABLE = "fastf1_laps"

# One load path under test: write the frame into the (fresh, empty) table.
LoadMethod = Callable[[Warehouse, str, pd.DataFrame], None]


def real_rows(root: Path) -> tuple[pd.DataFrame, int]:
    """Every real F1 2023 lap, shaped exactly as the loader lands it (lineage columns included)."""
    files = sorted((root / "f1_2023_fastf1").glob("*/laps.csv"))
    if not files:
        raise SystemExit(f"bench: no f1_2023_fastf1/*/laps.csv under {root}; set LAPSTACK_DATA")
    frames = []
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    for path in files:
        for session in parse_file(path, None, Overrides()).sessions:
            frame = session.rows.copy()
            frame["_session_id"] = session.info.session_id
            frame["_batch_id"] = uuid.uuid4().hex
            frame["_source_file"] = str(path)
            frame["_loaded_at"] = loaded_at
            frames.append(frame)
    return pd.concat(frames, ignore_index=True), len(files)


def replicate(frame: pd.DataFrame, rows: int) -> pd.DataFrame:
    return pd.concat([frame] * math.ceil(rows / len(frame)), ignore_index=True).head(rows)


def rows_argument(doc: str | None, default: int) -> int:
    """The bench's one option, `--rows` (how many rows each load path writes), with the bench's doc as help."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=default)
    return parser.parse_args().rows


def replicated_real_laps(rows: int, console: Console, target_note: str = "") -> pd.DataFrame:
    """The real rows replicated to `rows`, after a line that says how many are real and how many copies."""
    real, files = real_rows(data_dir())
    frame = replicate(real, rows)
    console.print(f"[bold]{len(frame):,} rows x {frame.shape[1]} columns[/bold] of raw.{RAW_TABLE}: "
                  f"{len(real):,} REAL lap rows from {files} F1 2023 laps.csv files, REPLICATED "
                  f"{len(frame) / len(real):.1f}x{target_note}")
    return frame


def fresh_tables(wh: Warehouse, methods: list[tuple[str, LoadMethod]]) -> Iterator[tuple[str, LoadMethod, str]]:
    """Each load path with its own fresh, empty copy of the raw table (`bench.t0`, `bench.t1`, ...), created
    just before the path runs, so every path writes into the same empty table definition."""
    for index, (name, method) in enumerate(methods):
        table = f"bench.t{index}"
        wh.execute(f"create table {table} {LAP_TABLES[RAW_TABLE]}")
        yield name, method, table
