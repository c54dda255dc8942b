"""Helpers for the FastF1 import tests: the replay folder, a no-network guard, the lapstack CLI."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

LOOPBACK = {"127.0.0.1", "::1", "localhost"}

# Prepended to `python -c` in child processes so they are held to the same no-network rule.
GUARD_SNIPPET = """
import socket
_orig = socket.socket.connect
def _guard(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host not in ('127.0.0.1', '::1', 'localhost'):
        raise AssertionError(f'network access attempted: {address!r}')
    return _orig(self, address)
socket.socket.connect = _guard
"""


def replay_dir(data_dir: Path) -> Path:
    path = data_dir / "fastf1_http"
    if not path.is_dir():
        pytest.fail(f"{path} is missing from the real data folder")
    return path


def forbid_network(monkeypatch: pytest.MonkeyPatch) -> list:
    """Any socket connecting anywhere but loopback fails the test (and is recorded)."""
    attempts: list = []
    original = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host not in LOOPBACK:
            attempts.append(address)
            raise AssertionError(f"network access attempted: {address!r}")
        return original(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    return attempts


def lapstack(*args: str) -> int:
    from commands.cli import main

    return main([str(a) for a in args])


def count_replay(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every request the replay answered, i.e. every request that reached the transport (FastF1's own cache
    hits never do): the list grows as the test runs, so a test can count API calls before and after."""
    from loaders.fastf1.replay import ReplayAdapter

    served: list[str] = []
    original = ReplayAdapter.send

    def counting(self, request, **kwargs):
        served.append(request.url)
        return original(self, request, **kwargs)

    monkeypatch.setattr(ReplayAdapter, "send", counting)
    return served
