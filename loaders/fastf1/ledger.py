"""The FastF1 API quota shared by every process on this machine: a small SQLite file with WAL.

FastF1 enforces its limits only inside one process. Here every real HTTP request is written to the
ledger before it is sent (under `BEGIN IMMEDIATE`, so concurrent writers serialise), and a session
load first reserves its estimated calls in one transaction. A request that would take any limit past
its budget, counting other processes' open reservations, raises `QuotaExhausted` instead of going out.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

RESERVATION_TTL_S = 900.0  # an open reservation with no request for this long belonged to a dead process


@dataclass(frozen=True)
class Limit:
    name: str
    host_suffix: str  # "" matches every host
    calls: int
    window_s: float

    def matches(self, host: str) -> bool:
        return not self.host_suffix or host == self.host_suffix or host.endswith("." + self.host_suffix)


# FastF1's published limits (fastf1/req.py): 200 calls/h to *.jolpi.ca, 500 calls/h to any API.
DEFAULT_LIMITS: tuple[Limit, ...] = (Limit("jolpica", "jolpi.ca", 200, 3600.0), Limit("all", "", 500, 3600.0))


def parse_limits(text: str | None) -> tuple[Limit, ...]:
    """`all=30/3600,jolpica=200/3600` overrides the named defaults (calls per window in seconds)."""
    limits = {lim.name: lim for lim in DEFAULT_LIMITS}
    for part in filter(None, (p.strip() for p in (text or "").split(","))):
        name, _, spec = part.partition("=")
        calls, _, window = spec.partition("/")
        if name not in limits or not calls.isdigit():
            raise ValueError(f"bad quota limit {part!r}: expected NAME=CALLS[/SECONDS] with NAME in {sorted(limits)}")
        old = limits[name]
        limits[name] = Limit(name, old.host_suffix, int(calls), float(window) if window else old.window_s)
    return tuple(limits.values())


class QuotaExhausted(BaseException):  # noqa: N818 - BaseException so FastF1's soft `except Exception` can't eat it
    """A request or reservation would exceed a limit; `retry_at` is when enough of the window frees up."""

    def __init__(self, limit: Limit, used: int, needed: int, retry_at: float):
        self.limit, self.used, self.needed, self.retry_at = limit, used, needed, retry_at
        super().__init__(f"quota {limit.name}: {used} of {limit.calls} calls used in the last "
                         f"{limit.window_s:.0f}s, {needed} more needed")


class AlreadyClaimed(Exception):  # noqa: N818
    """Another process is loading this session right now, or finished it after this run planned it."""


@dataclass(frozen=True)
class Usage:
    limit: Limit
    used: int
    reserved: int
    next_reset: float | None  # when the oldest call in the window drops out

    @property
    def remaining(self) -> int:
        return max(0, self.limit.calls - self.used - self.reserved)


_SCHEMA = """
create table if not exists calls (
    id integer primary key, ts real not null, host text not null, path text not null,
    reservation_id integer, run_id text);
create index if not exists calls_ts on calls (ts);
create table if not exists reservations (
    id integer primary key, run_id text not null, session_key text not null, kind text not null,
    estimate text not null, created_ts real not null, heartbeat_ts real not null,
    closed_ts real, outcome text);
create index if not exists reservations_key on reservations (session_key);
"""


class Ledger:
    def __init__(self, path: Path, limits: tuple[Limit, ...] = DEFAULT_LIMITS,
                 clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.limits = limits
        self.clock = clock
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
        self._conn.execute("pragma journal_mode=wal")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    @contextlib.contextmanager
    def _immediate(self) -> Iterator[sqlite3.Connection]:
        """One writer at a time across processes: the check and the insert are a single step."""
        self._conn.execute("begin immediate")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("rollback")
            raise
        self._conn.execute("commit")

    # -- accounting ------------------------------------------------------------------------
    def _window_calls(self, limit: Limit, now: float) -> list[float]:
        rows = self._conn.execute("select ts, host from calls where ts > ? order by ts",
                                  (now - limit.window_s,)).fetchall()
        return [ts for ts, host in rows if limit.matches(host)]

    def _open_reservations(self, now: float) -> list[tuple[int, str, dict[str, int]]]:
        rows = self._conn.execute(
            "select id, session_key, estimate from reservations where closed_ts is null and heartbeat_ts > ?",
            (now - RESERVATION_TTL_S,)).fetchall()
        return [(rid, key, json.loads(est)) for rid, key, est in rows]

    def _outstanding(self, limit: Limit, now: float, exclude: int | None) -> int:
        """Calls other open reservations may still make against this limit."""
        total = 0
        for rid, _, estimate in self._open_reservations(now):
            if rid == exclude:
                continue
            made = sum(1 for (host,) in self._conn.execute(
                "select host from calls where reservation_id = ?", (rid,)) if limit.matches(host))
            total += max(0, int(estimate.get(limit.name, 0)) - made)
        return total

    def _retry_at(self, limit: Limit, calls: list[float], outstanding: int, needed: int, now: float) -> float:
        """Earliest time at which `needed` more calls fit, if open reservations stay as they are."""
        excess = len(calls) + outstanding + needed - limit.calls
        if excess <= 0:
            return now
        if excess > len(calls):  # other processes' reservations block: look again shortly
            return now + min(30.0, limit.window_s)
        return calls[excess - 1] + limit.window_s

    def _check(self, needed: dict[str, int], now: float, exclude: int | None) -> None:
        for limit in self.limits:
            want = needed.get(limit.name, 0)
            if want <= 0:
                continue
            calls = self._window_calls(limit, now)
            outstanding = self._outstanding(limit, now, exclude)
            if len(calls) + outstanding + want > limit.calls:
                raise QuotaExhausted(limit, len(calls) + outstanding, want,
                                     self._retry_at(limit, calls, outstanding, want, now))

    def usage(self) -> list[Usage]:
        now = self.clock()
        out = []
        for limit in self.limits:
            calls = self._window_calls(limit, now)
            out.append(Usage(limit, len(calls), self._outstanding(limit, now, None),
                             calls[0] + limit.window_s if calls else None))
        return out

    # -- requests ------------------------------------------------------------------------
    def record_call(self, host: str, path: str, reservation_id: int | None, run_id: str | None) -> None:
        """Account one real request before it is sent; raises QuotaExhausted rather than exceed a limit."""
        needed = {lim.name: 1 for lim in self.limits if lim.matches(host)}
        with self._immediate() as conn:
            now = self.clock()
            self._check(needed, now, reservation_id)
            conn.execute("insert into calls (ts, host, path, reservation_id, run_id) values (?, ?, ?, ?, ?)",
                         (now, host, path, reservation_id, run_id))
            if reservation_id is not None:
                conn.execute("update reservations set heartbeat_ts = ? where id = ?", (now, reservation_id))

    # -- reservations ----------------------------------------------------------------------
    def reserve(self, session_key: str, kind: str, estimate: dict[str, int], run_id: str,
                planned_at: float | None = None) -> int:
        """Claim a session and its estimated calls in one transaction, or raise AlreadyClaimed/QuotaExhausted."""
        with self._immediate() as conn:
            now = self.clock()
            for rid, key, _ in self._open_reservations(now):
                if key == session_key:
                    raise AlreadyClaimed(f"{session_key} is being loaded by another process (reservation {rid})")
            if planned_at is not None:
                done = conn.execute(
                    "select count(*) from reservations where session_key = ? and closed_ts > ? "
                    "and outcome in ('ok', 'partial', 'failed', 'skipped')", (session_key, planned_at)).fetchone()[0]
                if done:
                    raise AlreadyClaimed(f"{session_key} was loaded by another process after this run planned it")
            self._check(estimate, now, None)
            cur = conn.execute(
                "insert into reservations (run_id, session_key, kind, estimate, created_ts, heartbeat_ts) "
                "values (?, ?, ?, ?, ?, ?)", (run_id, session_key, kind, json.dumps(estimate), now, now))
            return int(cur.lastrowid)

    def close_reservation(self, reservation_id: int, outcome: str) -> None:
        with self._immediate() as conn:
            conn.execute("update reservations set closed_ts = ?, outcome = ? where id = ?",
                         (self.clock(), outcome, reservation_id))

    def calls_for(self, reservation_id: int) -> dict[str, int]:
        """Calls a reservation made, per limit."""
        hosts = [h for (h,) in self._conn.execute("select host from calls where reservation_id = ?",
                                                  (reservation_id,))]
        return {lim.name: sum(1 for h in hosts if lim.matches(h)) for lim in self.limits}

    def observed_cost(self, kind: str | None) -> dict[str, int] | None:
        """Most calls one finished load of this kind has made (any kind when None), per limit."""
        sql = "select id from reservations where closed_ts is not null and outcome in ('ok', 'partial', 'failed')"
        params: tuple = ()
        if kind is not None:
            sql += " and kind = ?"
            params = (kind,)
        ids = [rid for (rid,) in self._conn.execute(sql, params)]
        if not ids:
            return None
        costs = [self.calls_for(rid) for rid in ids]
        return {lim.name: max(c[lim.name] for c in costs) for lim in self.limits}

    def total_calls(self, run_id: str | None = None) -> int:
        if run_id is None:
            return int(self._conn.execute("select count(*) from calls").fetchone()[0])
        return int(self._conn.execute("select count(*) from calls where run_id = ?", (run_id,)).fetchone()[0])
