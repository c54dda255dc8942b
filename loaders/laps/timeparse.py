"""Lap and sector time strings, and numbers, as timing systems write them.

Every parser here accepts only what the warehouse casts in dbt staging accept too (ASCII digits, no
`nan`/`inf`, no `1_000`, no Unicode digits), and values the warehouse types hold; anything else raises
ValueError (a subclass names the kind: NegativeTime, OutOfRange). No other exception escapes, whatever the text.
"""

from __future__ import annotations

import math
import re

INT32_MAX = 2_147_483_647
# No real lap, sector or session clock comes near this (the longest real lap is 7,128 s, a lost ECU counter);
# it keeps every time far inside what pandas timedeltas and the marts' sums hold.
MAX_TIME_SECONDS = 1_000_000.0

_CLOCK = re.compile(r"(?:([0-9]+):)?(?:([0-9]+):)?([0-9]+(?:\.[0-9]+)?)")
_TIMEDELTA = re.compile(r"(-?[0-9]+) days ([0-9]{1,2}):([0-9]{2}):([0-9]{2}(?:\.[0-9]+)?)")
_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_PLAIN_INT = re.compile(r"[0-9]+")
_SPACE = " \t"


class NegativeTime(ValueError):
    """A time below zero: never a real lap or sector."""


class OutOfRange(ValueError):
    """A number the warehouse column cannot hold (or no timing system writes)."""


def _time(value: float, text: str) -> float:
    if not math.isfinite(value) or value > MAX_TIME_SECONDS:
        raise OutOfRange(f"time out of range (limit {MAX_TIME_SECONDS:,.0f} s): {text!r}")
    return value


def clock_to_seconds(text: str) -> float:
    """`1:54.168`, `54.168` or `1:02:03.5` (timing-system style). Raises ValueError otherwise."""
    value = text.strip(_SPACE)
    if value.startswith("-"):
        raise NegativeTime(value)
    match = _CLOCK.fullmatch(value)
    if not match:
        raise ValueError(f"not a time: {text!r}")
    first, second, secs = match.groups()
    parts = [p for p in (first, second) if p is not None]
    hours, minutes = (int(parts[0]), int(parts[1])) if len(parts) == 2 else (0, int(parts[0]) if parts else 0)
    if hours > MAX_TIME_SECONDS or minutes > MAX_TIME_SECONDS:  # int * 3600 of a 4,000-digit hour count
        raise OutOfRange(f"time out of range (limit {MAX_TIME_SECONDS:,.0f} s): {text!r}")
    return _time(hours * 3600 + minutes * 60 + float(secs), text)


def _unsigned(text: str, pattern: re.Pattern[str], what: str) -> str:
    """The stripped text of an unsigned amount written as `pattern`: a leading minus is a negative time (its
    own message), anything else off the pattern is not `what`."""
    value = text.strip(_SPACE)
    if value.startswith("-"):
        raise NegativeTime(value)
    if not pattern.fullmatch(value):
        raise ValueError(f"not {what}: {text!r}")
    return value


def seconds(text: str) -> float:
    """Plain decimal seconds (`26.192`), as the `*_SECONDS` columns hold them."""
    return _time(float(_unsigned(text, _DECIMAL, "a number of seconds")), text)


def timedelta_to_seconds(text: str) -> float:
    """pandas' timedelta text, `0 days 00:01:33.433000`, as FastF1 exports write it."""
    value = text.strip(_SPACE)
    match = _TIMEDELTA.fullmatch(value)
    if not match:
        if value.startswith("-"):
            raise NegativeTime(value)
        raise ValueError(f"not a timedelta: {text!r}")
    days, hours, minutes, secs = match.groups()
    if days.startswith("-"):
        raise NegativeTime(value)
    if len(days) > 7:
        raise OutOfRange(f"time out of range (limit {MAX_TIME_SECONDS:,.0f} s): {text!r}")
    if int(hours) > 23 or int(minutes) > 59 or float(secs) >= 60:
        raise OutOfRange(f"not a valid timedelta (hours < 24, minutes and seconds < 60): {text!r}")
    return _time(int(days) * 86400 + int(hours) * 3600 + int(minutes) * 60 + float(secs), text)


def millis_to_seconds(text: str) -> float:
    """Whole milliseconds (`71454`), as Ergast writes them."""
    value = _unsigned(text, _PLAIN_INT, "whole milliseconds")
    if len(value) > 15:
        raise OutOfRange(f"time out of range (limit {MAX_TIME_SECONDS:,.0f} s): {text!r}")
    return _time(int(value) / 1000.0, text)


def parse_number(text: str, *, low: float = 0.0, high: float = 1e9) -> float:
    """A finite decimal (`301.2`, `.5`) within [low, high]; what every warehouse double cast reads alike."""
    value = text.strip(_SPACE)
    negative = value.startswith("-")
    body = value[1:] if negative else value
    if not _DECIMAL.fullmatch(body):
        raise ValueError(f"not a number: {text!r}")
    number = -float(body) if negative else float(body)
    if not math.isfinite(number) or not low <= number <= high:
        raise OutOfRange(f"out of range [{low:g}, {high:g}]: {text!r}")
    return number


def parse_int(text: str, *, plain: bool = False, low: int = 0, high: int = INT32_MAX) -> int:
    """A whole number within [low, high] (the warehouse's 32-bit integer by default).

    plain: digits only, as `cast(x as integer)` needs on Postgres; otherwise `12.0` (pandas' float columns,
    cast through double in staging) is accepted too.
    """
    value = text.strip(_SPACE)
    negative = value.startswith("-")
    body = value[1:] if negative else value
    if _PLAIN_INT.fullmatch(body):
        if len(body) > 20:
            raise OutOfRange(f"out of range [{low}, {high}]: {text!r}")
        number = int(body)
    elif not plain and _DECIMAL.fullmatch(body):
        whole, _, frac = body.partition(".")
        if frac.strip("0"):
            raise ValueError(f"not an integer: {text!r}")
        if len(whole) > 20:
            raise OutOfRange(f"out of range [{low}, {high}]: {text!r}")
        number = int(whole or "0")
    else:
        raise ValueError(f"not an integer: {text!r}" if _DECIMAL.fullmatch(body) else f"not a number: {text!r}")
    number = -number if negative else number
    if not low <= number <= high:
        if negative and low >= 0:
            raise OutOfRange(f"negative value: {text!r}")
        raise OutOfRange(f"out of range [{low}, {high}]: {text!r}")
    return number
