"""Hook lapstack into FastF1's HTTP sessions: count every real request in the ledger, replay offline,
and never prompt for an F1 account login.

FastF1 sends everything through `fastf1.req.Cache` sessions whose `send` runs requests-cache first and
the rate limiter next; a transport adapter only sees what actually goes to the wire (cache hits never
reach it). So counting happens in an adapter wrapped around each mounted one.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests
from requests.adapters import BaseAdapter

from core.settings import F1_PASSWORD, F1_USERNAME
from loaders.fastf1.ledger import Ledger
from loaders.fastf1.replay import ReplayAdapter


@dataclass
class CallState:
    """What the current process is doing: which reservation requests are charged to, what they cost."""

    ledger: Ledger | None = None
    run_id: str | None = None
    reservation_id: int | None = None
    by_host: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def calls(self) -> int:
        return sum(self.by_host.values())


STATE = CallState()


class CountingAdapter(BaseAdapter):
    """Charges each request to the ledger (which may refuse it), then lets the wrapped adapter send it."""

    def __init__(self, inner: BaseAdapter):
        super().__init__()
        self.inner = inner

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        parts = urlsplit(request.url or "")
        host = parts.hostname or ""
        with STATE.lock:
            if STATE.ledger is not None:
                STATE.ledger.record_call(host, parts.path, STATE.reservation_id, STATE.run_id)
            STATE.by_host[host] += 1
        return self.inner.send(request, **kwargs)

    def close(self) -> None:
        self.inner.close()


def _headless_login():  # pragma: no cover - only reached online without a stored token
    """Sign in only from F1_USERNAME/F1_PASSWORD; never prompt, never open a browser."""
    from fastf1.exceptions import F1AuthError
    from fastf1.internals.f1account.login import login

    user, password = F1_USERNAME.get(), F1_PASSWORD.get()
    if not (user and password):
        raise F1AuthError("headless: no F1 account credentials in F1_USERNAME/F1_PASSWORD; "
                          "continuing without authentication")
    return login(user, password)


def configure_fastf1(cache_dir: Path) -> None:
    """FastF1's own cache in `cache_dir`, quiet logging, and no interactive sign-in."""
    import fastf1
    from fastf1.internals import f1account

    cache_dir.mkdir(parents=True, exist_ok=True)
    fastf1.Cache.configure(cache_dir=str(cache_dir))
    fastf1.set_log_level("ERROR")
    f1account.token_manager._default_auth_func = _headless_login


def _sessions() -> list[requests.Session]:
    from fastf1.req import Cache

    return [s for s in (Cache._requests_session, Cache._requests_session_cached) if s is not None]


_PACING: dict[int, float] = {}


def _set_pacing(replay: bool) -> None:
    """Replay has no server to spare: drop FastF1's 0.25 s spacing between requests there. Its hourly
    limiters (`_CallsPerIntervalLimitRaise`) stay untouched, and live loads keep the spacing."""
    from fastf1.req import _MinIntervalLimitDelay, _SessionWithRateLimiting

    for limiters in _SessionWithRateLimiting._RATE_LIMITS.values():
        for lim in limiters:
            if isinstance(lim, _MinIntervalLimitDelay):
                _PACING.setdefault(id(lim), lim._interval)
                lim._interval = 0.0 if replay else _PACING[id(lim)]


def install(replay_dir: Path | None) -> None:
    """Wrap every adapter FastF1 mounted (live) or replace them with the replay, counting either way."""
    _set_pacing(replay_dir is not None)
    for session in _sessions():
        prefixes = set(session.adapters) | {"https://", "http://"}
        for prefix in prefixes:
            current = session.adapters.get(prefix) or session.get_adapter("https://")
            inner = current.inner if isinstance(current, CountingAdapter) else current
            if replay_dir is not None:
                inner = ReplayAdapter(replay_dir)
            session.mount(prefix, CountingAdapter(inner))


@contextlib.contextmanager
def charged_to(ledger: Ledger, run_id: str, reservation_id: int | None) -> Iterator[Counter]:
    """Requests inside the block are charged to this reservation; the yielded counter holds only them."""
    spent: Counter = Counter()
    with STATE.lock:
        saved = (STATE.ledger, STATE.run_id, STATE.reservation_id, STATE.by_host)
        STATE.ledger, STATE.run_id, STATE.reservation_id, STATE.by_host = ledger, run_id, reservation_id, spent
    try:
        yield spent
    finally:
        with STATE.lock:
            STATE.ledger, STATE.run_id, STATE.reservation_id, STATE.by_host = saved
            STATE.by_host.update(spent)
