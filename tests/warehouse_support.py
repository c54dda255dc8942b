"""One-statement helpers for tests: open the current env's warehouse, run, close (no shared connection)."""

from __future__ import annotations

from core.warehouse import connect


def q(sql: str, params=()) -> list[tuple]:
    """Rows of one query on the warehouse the test's env vars select."""
    wh = connect()
    try:
        return wh.query(sql, params)
    finally:
        wh.close()


def run(sql: str, params=()) -> None:
    """One statement on the warehouse the test's env vars select."""
    wh = connect()
    try:
        wh.execute(sql, params)
    finally:
        wh.close()
