"""Atomic, idempotent telemetry batches: stream into a batch-private table, swap in one transaction.

A kill mid-load leaves only the private stage table (never read by anything); the next telemetry load,
of any file, drops it. A stage table's name carries its loader's host, PID and process start time, so
only stale ones go (their process is gone, or the PID now belongs to another process), never the stage
of a load still running; GR Cup pivot scratch folders are cleaned the same way.

Raw rows of (session, driver) pairs the file covers are replaced as a whole, so a reload supersedes
instead of duplicating. A car may have been stored under another
id (its number before the session's laps were loaded, its code after): `aliases` names those ids,
and rows an earlier load of the same file stored under any id are replaced too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import socket
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
# _tstage_<sha16>_<host4>_<pid>_<start>_<batch8>: whose load it is (host tag, PID, process start ticks).
_STAGE_NAME = re.compile(r"^_tstage_[0-9a-f]{16}_([0-9a-f]{4})_(\d+)_(\d+)_[0-9a-f]{8}$")
_LEGACY_STAGE_NAME = re.compile(r"^_tstage_([0-9a-f]{16})_[0-9a-f]{8}$")


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:4]


def process_start(pid: int) -> int | None:
    """Start time of a local process in clock ticks since boot (Linux /proc); None when it does not exist."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        if not Path("/proc/self/stat").exists():  # no procfs: existence only
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return None
            except PermissionError:
                return 0
            return 0
        return None
    return int(stat.rsplit(")", 1)[1].split()[19])  # field 22; the command name may hold spaces


def process_tag(pid: int | None = None) -> str:
    """`<pid>_<start ticks>` of this (or a given) process: its identity, even after PID reuse."""
    pid = os.getpid() if pid is None else pid
    return f"{pid}_{process_start(pid) or 0}"


def is_running(pid: int, start: int) -> bool:
    now_start = process_start(pid)
    return now_start is not None and (start == 0 or now_start in (0, start))


def drop_stale_stages(wh: Warehouse, sha: str | None = None) -> list[str]:
    """Stage tables of killed loads, whatever file they were loading; never one of a load still running.

    Tagged with another host: left alone (its liveness cannot be seen from here). Untagged (lapstack
    before the tag): dropped when it stages this same file content, as before.
    """
    rows = wh.query("select table_name from information_schema.tables where lower(table_schema) = ? "
                    "and lower(table_name) like ?", (RAW, f"{STAGE_PREFIX}%"))
    dropped = []
    for (name,) in rows:
        low = name.lower()
        tagged, legacy = _STAGE_NAME.match(low), _LEGACY_STAGE_NAME.match(low)
        if tagged:
            stale = tagged.group(1) == host_tag() and not is_running(int(tagged.group(2)), int(tagged.group(3)))
        else:
            stale = bool(legacy) and sha is not None and legacy.group(1) == sha[:16]
        if stale:
            wh.execute(f"drop table if exists {RAW}.{low}")
            dropped.append(low)
    return dropped


def clean_stale(wh: Warehouse) -> None:
    """At the start of every telemetry load: stage tables and pivot scratch folders of killed loads."""
    from loaders.telemetry.gr_cup_long import drop_stale_scratch

    ensure_raw_schema(wh)
    drop_stale_stages(wh)
    drop_stale_scratch()


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
        self.table = f"{STAGE_PREFIX}{sha[:16]}_{host_tag()}_{process_tag()}_{self.batch_id[:8]}"
        self.rows = 0
        self.pairs: set[tuple[str, str]] = set()
        self.aliases: dict[str, set[str]] = {}  # driver -> other ids the same car may be stored under
        if wh.kind == "duckdb":
            # cap the loader's buffer pool so peak memory does not follow the file size
            wh.execute("set memory_limit = ?", (LAPSTACK_TELEMETRY_DUCKDB_MEMORY.get(),))
            wh.execute("set preserve_insertion_order = true")
        drop_stale_stages(wh, sha)
        wh.execute(f"create table {RAW}.{self.table} {TELEMETRY_DDL}")

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
            supersede(self.wh, self.path, self.pairs, replace, self.batch_id, self.aliases)
            self.wh.execute(f"insert into {RAW}.{RAW_TABLE} select * from {RAW}.{self.table}")
            record(self.wh, self.batch_id, self.path, self.sha, self.fmt, self.pairs, self.rows, self.loaded_at)
        self.discard()

    def discard(self) -> None:
        self.wh.execute(f"drop table if exists {RAW}.{self.table}")


def supersede(wh: Warehouse, path: Path, pairs: set[tuple[str, str]], replace: bool, batch_id: str,
              aliases: dict[str, set[str]] | None = None) -> None:
    """Inside the publishing transaction: refuse or retire other files' rows of these (session, driver) pairs.

    Retired: rows of these drivers under any of their ids (`aliases`: car number <-> driver code), and
    every row an earlier load of this same file stored in these sessions, whatever id it used.
    """
    wh.lock(*(f"telemetry:{s}" for s, _ in pairs))  # two publishes of one session never interleave (Postgres)
    aliases = aliases or {}

    def ids(drivers: set[str]) -> list[str]:
        return sorted(drivers.union(*(aliases.get(d, set()) for d in drivers)))

    # One query for every pair (not one per car: each re-read the whole uncommitted batch, 672 cars of a
    # 15.7M-row file took ~100 s); which pair a row of another file blocks is decided here.
    # A sample's file is its batch's (raw.load_batches: every batch in raw.telemetry has its row there).
    sessions, names = sorted({s for s, _ in pairs}), ids({d for _, d in pairs})
    taken = {} if replace or not pairs else {(s, d): f for s, d, f in wh.query(
        f"select t._session_id, t._driver, min(b.source_file) from {RAW}.{RAW_TABLE} as t join {RAW}.load_batches "
        f"as b on b.batch_id = t._batch_id where t._session_id in ({', '.join('?' for _ in sessions)}) and "
        f"t._driver in ({', '.join('?' for _ in names)}) and b.source_file <> ? group by t._session_id, t._driver",
        (*sessions, *names, str(path)))}
    for session_id, driver in sorted(pairs):
        other = sorted(taken[(session_id, n)] for n in ids({driver}) if (session_id, n) in taken)
        if other:
            raise LoadError(path, None, None, f"telemetry of {driver} in {session_id} is already loaded from "
                            f"{other[0]}; pass --replace to supersede it")
    for session_id in sessions:
        drivers = ids({d for s, d in pairs if s == session_id})
        where = (f"_session_id = ? and (_driver in ({', '.join('?' for _ in drivers)}) or _batch_id in "
                 f"(select batch_id from {RAW}.load_batches where source_file = ?)) and _batch_id <> ?")
        params = (session_id, *drivers, str(path), batch_id)
        wh.execute(f"update {RAW}.load_batches set status = 'superseded' where status = 'active' and batch_id in "
                   f"(select distinct _batch_id from {RAW}.{RAW_TABLE} where {where})", params)
        wh.execute(f"delete from {RAW}.{RAW_TABLE} where {where}", params)


def record(wh: Warehouse, batch_id: str, path: Path, sha: str, fmt: str, pairs: set[tuple[str, str]], rows: int,
           loaded_at: dt.datetime) -> None:
    """The audit row that makes the batch the active one for this file content."""
    wh.execute(f"insert into {RAW}.load_batches values (?, ?, ?, ?, ?, ?, ?, 'active')",
               (batch_id, str(path), sha, fmt, len({s for s, _ in pairs}), rows, loaded_at))
