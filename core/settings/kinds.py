"""Value kinds of environment variables: each parses text strictly or says what it expected.

Why strict: a setting's value ends up in SQL, in file paths and in HTTP requests. Accepting only the
documented shape (a memory size is digits and a unit, nothing else) closes injection through the
environment and turns a typo into an error that names the variable instead of a surprise later on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")
N = TypeVar("N", int, float)

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MEMORY = re.compile(r"(\d{1,7}(?:\.\d{1,3})?)\s?([KMGT]i?B)", re.IGNORECASE)
_MEMORY_FACTOR = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
                  "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
_QUOTA_PART = r"\s*[a-z][a-z0-9_]*=\d+(?:/\d+(?:\.\d+)?)?\s*"
_QUOTA = re.compile(rf"{_QUOTA_PART}(?:,{_QUOTA_PART})*")
_TRUE = ("true", "1", "yes")
_FALSE = ("false", "0", "no")


@dataclass(frozen=True)
class Kind(Generic[T]):
    """`parse` turns the variable's text into a value or raises ValueError; `expected` completes the error
    sentence "NAME=value is not ..."."""

    expected: str
    parse: Callable[[str], T]


def _boolean(text: str) -> bool:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise ValueError


def _bounded(pattern: str, convert: Callable[[str], N], low: N, high: N, description: str) -> Kind[N]:
    """Text that matches `pattern` entirely, converted, within [low, high]: the shape of every numeric kind, so
    a value is refused the same way (ValueError, then the variable's clear message) whatever its type."""
    def parse(text: str) -> N:
        if not re.fullmatch(pattern, text) or not low <= (value := convert(text)) <= high:
            raise ValueError
        return value

    return Kind(description, parse)


def integer(low: int, high: int) -> Kind[int]:
    return _bounded(r"\s*[+-]?\d+\s*", int, low, high, f"a whole number from {low} to {high}")


def number(low: float, high: float) -> Kind[float]:
    return _bounded(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*", float, low, high, f"a number from {low:g} to {high:g}")


def _path(text: str) -> Path:
    if not text.strip() or _CONTROL.search(text):
        raise ValueError
    return Path(text).expanduser()


def _directory(text: str) -> Path:
    path = _path(text)
    if not path.is_dir():
        raise ValueError
    return path


def memory_size(min_bytes: int) -> Kind[str]:
    """DuckDB's `memory_limit` syntax, normalised (`512 mb` -> `512MB`), with a floor a load can run in."""

    def parse(text: str) -> str:
        match = _MEMORY.fullmatch(text.strip())
        if not match:
            raise ValueError
        amount, unit = match.group(1), match.group(2).upper()
        if float(amount) * _MEMORY_FACTOR[unit] < min_bytes:
            raise ValueError
        return amount + unit.replace("IB", "iB")

    return Kind(f"a memory size like 512MB or 2GiB (at least {min_bytes >> 20}MiB)", parse)


def _http_url(text: str) -> str:
    if _CONTROL.search(text) or any(ch.isspace() for ch in text):
        raise ValueError
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError
    _ = parts.port  # raises ValueError on a port that is not a number in range
    return text


def _identifier(text: str) -> str:
    if not _IDENTIFIER.fullmatch(text):
        raise ValueError
    return text


def _duration(text: str) -> str:
    if not re.fullmatch(r"\d{1,7}\s?(ms|s|min|h)", text.strip()):
        raise ValueError
    return text.strip().replace(" ", "")


def _text(text: str) -> str:
    if _CONTROL.search(text):
        raise ValueError
    return text


_SESSION_ID = r'"[a-z0-9_-]{1,200}"'
_SESSION_LIST = re.compile(rf"\[\s*(?:{_SESSION_ID}\s*(?:,\s*{_SESSION_ID}\s*)*)?\]")


def _session_list(text: str) -> list[str]:
    """A JSON list of session ids; the dbt macro that pastes them into SQL (test_scope.sql) checks the same."""
    if not _SESSION_LIST.fullmatch(text.strip()):
        raise ValueError
    return re.findall(r'"([a-z0-9_-]+)"', text)


def _quota(text: str) -> str:
    if not _QUOTA.fullmatch(text):
        raise ValueError
    return text


BOOLEAN = Kind("true/false, 1/0 or yes/no", _boolean)
PATH = Kind("a file system path (no control characters)", _path)
DIRECTORY = Kind("an existing folder", _directory)
HTTP_URL = Kind("an http(s) URL with a host", _http_url)
IDENTIFIER = Kind("a profiles.yml output name (letters, digits, _)", _identifier)
TEXT = Kind("text without control characters", _text)
DURATION = Kind("a Postgres duration like 60s, 500ms, 5min or 1h", _duration)
SESSION_LIST = Kind('a JSON list of session ids like ["gr_cup-2025-barber-race_1"]', _session_list)
QUOTA = Kind("a list of NAME=CALLS[/SECONDS] like all=30/3600,jolpica=200/3600", _quota)
