"""One small connection API over DuckDB, Postgres and Snowflake, so loaders are written once.

Every statement takes parameters; identifiers (schema/table/column names) only ever come from
lapstack's own constants, never from input files.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import TargetUnavailable
from core.settings import Target, apply_network_hygiene, resolve_target


class Warehouse:
    """A connection to the target named in profiles.yml, with one transaction at a time."""

    def __init__(self, target: Target):
        self.target = target
        self.kind = target.kind
        try:
            self._conn = self._connect()
        except Exception as exc:  # noqa: BLE001 - every driver has its own error classes
            raise TargetUnavailable(self._describe_failure(exc)) from None

    # -- connection -----------------------------------------------------------------------
    def _describe_failure(self, exc: Exception) -> str:
        """Target, host and the driver's reason: never the password, even if a driver echoes it."""
        cfg = self.target.config
        if self.kind == "duckdb" and "could not set lock" in str(exc).lower():
            return duckdb_lock_message(str(cfg.get("path")), str(exc))
        where = cfg.get("path") if self.kind == "duckdb" else (
            f"{cfg.get('host') or cfg.get('account')}:{cfg.get('port', '')} as user {cfg.get('user')!r}")
        reason = " ".join(str(exc).split())
        secret = str(cfg.get("password") or "")
        if secret:
            reason = reason.replace(secret, "***")
        return f"cannot connect to target {self.target.name!r} ({self.kind}) at {where}: {reason}"

    def _connect(self) -> Any:
        cfg = self.target.config
        if self.kind == "duckdb":
            import duckdb

            Path(cfg["path"]).parent.mkdir(parents=True, exist_ok=True)
            return duckdb.connect(cfg["path"])
        if self.kind == "postgres":
            import psycopg

            return psycopg.connect(
                host=cfg["host"], port=int(cfg["port"]), user=cfg["user"],
                password=cfg.get("password") or None, dbname=cfg["dbname"],
                connect_timeout=int(cfg.get("connect_timeout", 10)), autocommit=True,
            )
        if self.kind == "snowflake":
            apply_network_hygiene()
            os.environ["SNOWFLAKE_DISABLE_PLATFORM_DETECTION"] = "true"  # never probe cloud metadata
            import snowflake.connector

            kwargs: dict[str, Any] = {
                "account": cfg["account"], "user": cfg["user"], "password": cfg.get("password") or None,
                "database": cfg["database"], "schema": cfg["schema"], "warehouse": cfg.get("warehouse"),
                "role": cfg.get("role"), "platform_detection_timeout_seconds": 0.0,
                "login_timeout": 30, "network_timeout": 60,
            }
            if cfg.get("host"):
                kwargs.update(host=cfg["host"], port=int(cfg["port"]), protocol=cfg.get("protocol", "https"))
            conn = snowflake.connector.connect(**kwargs)
            conn.autocommit(True)
            return conn
        raise SystemExit(f"lapstack: target type {self.kind!r} is not supported")

    def close(self) -> None:
        self._conn.close()

    # -- statements -------------------------------------------------------------------------
    @property
    def paramstyle(self) -> str:
        return "?" if self.kind == "duckdb" else "%s"

    def sql(self, text: str) -> str:
        """Write statements with `?` placeholders; this adapts them to the driver's style."""
        return text if self.kind == "duckdb" else text.replace("?", "%s")

    def _cursor(self) -> Any:
        # A DuckDB cursor is a separate connection with its own transaction: use the connection.
        return self._conn if self.kind == "duckdb" else self._conn.cursor()

    def execute(self, text: str, params: Sequence[Any] = ()) -> None:
        self._cursor().execute(self.sql(text), tuple(params))

    def query(self, text: str, params: Sequence[Any] = ()) -> list[tuple]:
        cur = self._cursor()
        cur.execute(self.sql(text), tuple(params))
        return [tuple(r) for r in cur.fetchall()]

    def query_df(self, text: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        cur = self._cursor()
        cur.execute(self.sql(text), tuple(params))
        cols = [d[0].lower() for d in cur.description]
        return pd.DataFrame([tuple(r) for r in cur.fetchall()], columns=cols)

    def table_exists(self, schema: str, table: str) -> bool:
        rows = self.query(
            "select count(*) from information_schema.tables where lower(table_schema) = ? "
            "and lower(table_name) = ?", (schema.lower(), table.lower()))
        return rows[0][0] > 0

    def lock(self, *keys: str) -> None:
        """Inside a transaction: serialize every writer of these keys (session ids) until it ends.

        Postgres: `pg_advisory_xact_lock` per key, taken in sorted order (no deadlock between two loads
        of overlapping sessions); a second loader waits, then sees the first one's committed rows.
        DuckDB needs nothing: one process holds the file's write lock (a second one gets a clear
        "locked by process ..." error at connect). Snowflake has neither advisory locks nor enforced unique
        keys: run one lapstack loader at a time per Snowflake target.
        """
        if self.kind != "postgres":
            return
        for key in sorted(set(keys)):
            self.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", (f"lapstack:{key}",))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """All-or-nothing: a failed load leaves the warehouse exactly as it was."""
        if self.kind == "postgres":
            with self._conn.transaction():
                yield self
            return
        self.execute("begin")
        try:
            yield self
        except BaseException:
            self.execute("rollback")
            raise
        self.execute("commit")

    # -- bulk load --------------------------------------------------------------------------
    def bulk_insert(self, qualified_table: str, frame: pd.DataFrame) -> int:
        """Append a frame with the engine's bulk path: DuckDB scan, Postgres COPY, Snowflake PUT+COPY."""
        if frame.empty:
            return 0
        columns = list(frame.columns)
        if self.kind == "duckdb":
            self._conn.register("_lapstack_frame", frame)
            try:
                col_list = ", ".join(columns)
                self._conn.execute(
                    f"insert into {qualified_table} ({col_list}) select {col_list} from _lapstack_frame")
            finally:
                self._conn.unregister("_lapstack_frame")
        elif self.kind == "postgres":
            self._postgres_copy(qualified_table, frame)
        else:
            self._snowflake_copy(qualified_table, frame)
        return len(frame)

    def _postgres_copy(self, qualified_table: str, frame: pd.DataFrame) -> None:
        """COPY ... (format binary) with the table's own column types: ~6x COPY text (bench/bulk_load_postgres.py)."""
        schema, _, table = qualified_table.rpartition(".")
        type_oids = dict(self.query(
            "select a.attname, a.atttypid from pg_attribute a join pg_class c on c.oid = a.attrelid "
            "join pg_namespace n on n.oid = c.relnamespace where n.nspname = ? and c.relname = ? "
            "and a.attnum > 0 and not a.attisdropped", (schema or "public", table)))
        columns = list(frame.columns)
        missing = [c for c in columns if c not in type_oids]
        if missing:
            raise ValueError(f"{qualified_table} has no column(s) {missing}")
        col_list = ", ".join(columns)
        with self._conn.cursor() as cur, cur.copy(
                f"copy {qualified_table} ({col_list}) from stdin (format binary)") as copy:
            copy.set_types([type_oids[c] for c in columns])
            for row in zip(*(_python_values(frame[c]) for c in columns), strict=True):
                copy.write_row(row)

    def _snowflake_copy(self, qualified_table: str, frame: pd.DataFrame) -> None:
        """Snowflake's bulk path: Parquet file -> PUT to the table's stage -> COPY INTO by column name.

        (write_pandas does the same, but fails against the fakesnow server with connector 4.8.)
        """
        schema, _, table = qualified_table.rpartition(".")
        stage = f"@{schema}.%{table}" if schema else f"@%{table}"
        batch = f"{stage}/lapstack_{uuid.uuid4().hex}/"  # a private stage folder per call: no stray files
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "batch.parquet"
            frame.to_parquet(path, index=False)
            self.execute(f"put 'file://{path.as_posix()}' {batch} auto_compress = false overwrite = true")
            self.execute(
                f"copy into {qualified_table} from {batch} "
                "file_format = (type = parquet use_logical_type = true) "
                "match_by_column_name = case_insensitive purge = true")


def duckdb_lock_message(path: str, error: str) -> str:
    """DuckDB allows one writing process per file: say which process holds it and what to do."""
    pid_match = re.search(r"\(PID (\d+)\)", error)
    pid = int(pid_match.group(1)) if pid_match else None
    holder = f"process {pid}" if pid else "another process"
    command = _process_command(pid) if pid else None
    if command:
        holder += f" ({command})"
    what = (f"wait for it to finish and run this again, or stop it (`kill {pid}`) if it is stuck"
            if pid else "wait for it to finish and run this again")
    return (f"the DuckDB warehouse {path} is locked by {holder}: DuckDB allows one writing process per file. "
            f"Nothing was written; {what}. (BI tools should open the file read-only.)")


def _process_command(pid: int) -> str | None:
    """The command line of a local process (Linux /proc), shortened; None when unknown."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    parts = [p for p in raw.decode(errors="replace").split("\0") if p]
    if not parts:
        return None
    text = " ".join(parts)
    return text if len(text) <= 160 else text[:157] + "..."


def _python_values(series: pd.Series) -> list[Any]:
    """Plain Python values with None for every missing one, as psycopg's binary dumpers expect."""
    values = series.tolist()  # numpy scalars -> int/float/bool; Timestamp is a datetime; no copy of objects
    if not series.hasnans:
        return values
    mask = series.isna().tolist()
    return [None if m else v for v, m in zip(values, mask, strict=True)]


def connect(target_name: str | None = None) -> Warehouse:
    return Warehouse(resolve_target(target_name))
