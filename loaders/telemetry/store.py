"""Atomic, idempotent telemetry batches: stream into a batch-private table, swap in one transaction.

A kill mid-load leaves only the private stage table (never read by anything); the next run of the
same file drops it and starts over. Raw rows of (session, driver) pairs the file covers are replaced
as a whole, so a reload supersedes instead of duplicating.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from core.errors import LoadError
from core.raw_schema import RAW, ensure_raw_schema
from core.settings import LAPSTACK_TELEMETRY_DUCKDB_MEMORY
from core.warehouse import Warehouse
from loaders.telemetry.columns import RAW_TABLE, TELEMETRY_DDL

STAGE_PREFIX = "_tstage_"


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def active_batch(wh: Warehouse, path: Path, sha: str, fmt: str) -> str | None:
    ensure_raw_schema(wh)
    rows = wh.query(f"select batch_id from {RAW}.load_batches where source_file = ? and source_sha256 = ? "
                    "and status = 'active' and format = ?", (str(path), sha, fmt))
    return rows[0][0] if rows else None


class Stage:
    """A batch-private table the file streams into, outside any long transaction."""

    def __init__(self, wh: Warehouse, path: Path, sha: str, fmt: str):
        self.wh, self.path, self.sha, self.fmt = wh, path, sha, fmt
        self.batch_id = uuid.uuid4().hex
        self.loaded_at = now()
        self.table = f"{STAGE_PREFIX}{sha[:16]}_{self.batch_id[:8]}"
        self.rows = 0
        self.pairs: set[tuple[str, str]] = set()
        if wh.kind == "duckdb":
            # cap the loader's buffer pool so peak memory does not follow the file size
            wh.execute("set memory_limit = ?", (LAPSTACK_TELEMETRY_DUCKDB_MEMORY.get(),))
            wh.execute("set preserve_insertion_order = true")
        self.drop_leftovers()
        wh.execute(f"create table {RAW}.{self.table} {TELEMETRY_DDL}")

    def drop_leftovers(self) -> None:
        """Stage tables of an earlier, killed load of this same file content."""
        rows = self.wh.query("select table_name from information_schema.tables where lower(table_schema) = ? "
                             "and lower(table_name) like ?", (RAW, f"{STAGE_PREFIX}{self.sha[:16]}%"))
        for (name,) in rows:
            if name.lower().startswith(STAGE_PREFIX) and all(c.isalnum() or c == "_" for c in name):
                self.wh.execute(f"drop table if exists {RAW}.{name}")

    def write(self, table: pa.Table) -> None:
        """Append one bounded chunk with the engine's bulk path."""
        if not table.num_rows:
            return
        qualified = f"{RAW}.{self.table}"
        if self.wh.kind == "duckdb":
            con = self.wh._conn
            con.register("_lapstack_chunk", table)
            try:
                con.execute(f"insert into {qualified} select * from _lapstack_chunk")
            finally:
                con.unregister("_lapstack_chunk")
        elif self.wh.kind == "postgres":
            buf = io.BytesIO()
            pacsv.write_csv(table, buf, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
            with self.wh._conn.cursor() as cur, cur.copy(
                    f"copy {qualified} from stdin with (format csv)") as copy:
                copy.write(buf.getvalue())
        else:
            self.wh.bulk_insert(qualified, table.to_pandas())
        self.rows += table.num_rows

    def publish(self, replace: bool) -> None:
        """The swap: old rows of these (session, driver) pairs out, the stage in, audit row written."""
        if not self.rows:
            raise LoadError(self.path, 2, 1, "no telemetry rows after the header")
        with self.wh.transaction():
            supersede(self.wh, self.path, self.pairs, replace, self.batch_id)
            self.wh.execute(f"insert into {RAW}.{RAW_TABLE} select * from {RAW}.{self.table}")
            record(self.wh, self.batch_id, self.path, self.sha, self.fmt, self.pairs, self.rows, self.loaded_at)
        self.discard()

    def discard(self) -> None:
        self.wh.execute(f"drop table if exists {RAW}.{self.table}")


def supersede(wh: Warehouse, path: Path, pairs: set[tuple[str, str]], replace: bool, batch_id: str) -> None:
    """Inside the publishing transaction: refuse or retire other files' rows of these (session, driver) pairs."""
    for session_id, driver in sorted(pairs):
        rows = wh.query(f"select _source_file from {RAW}.{RAW_TABLE} where _session_id = ? and _driver = ? "
                        "and _source_file <> ? limit 1", (session_id, driver, str(path)))
        if rows and not replace:
            raise LoadError(path, None, None, f"telemetry of {driver} in {session_id} is already loaded from "
                            f"{rows[0][0]}; pass --replace to supersede it")
    for session_id in sorted({s for s, _ in pairs}):
        drivers = sorted(d for s, d in pairs if s == session_id)
        marks = ", ".join("?" for _ in drivers)
        wh.execute(f"update {RAW}.load_batches set status = 'superseded' where status = 'active' and batch_id in "
                   f"(select distinct _batch_id from {RAW}.{RAW_TABLE} where _session_id = ? "
                   f"and _driver in ({marks}) and _batch_id <> ?)", (session_id, *drivers, batch_id))
        wh.execute(f"delete from {RAW}.{RAW_TABLE} where _session_id = ? and _driver in ({marks}) "
                   "and _batch_id <> ?", (session_id, *drivers, batch_id))


def record(wh: Warehouse, batch_id: str, path: Path, sha: str, fmt: str, pairs: set[tuple[str, str]], rows: int,
           loaded_at: dt.datetime) -> None:
    """The audit row that makes the batch the active one for this file content."""
    wh.execute(f"insert into {RAW}.load_batches values (?, ?, ?, ?, ?, ?, ?, 'active')",
               (batch_id, str(path), sha, fmt, len({s for s, _ in pairs}), rows, loaded_at))
