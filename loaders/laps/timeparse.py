"""Lap and sector time strings as timing systems write them, to seconds."""

from __future__ import annotations

import re

_CLOCK = re.compile(r"^(?:(\d+):)?(?:(\d+):)?(\d+(?:\.\d+)?)$")
_TIMEDELTA = re.compile(r"^(-?\d+) days? (\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$")


def clock_to_seconds(text: str) -> float:
    """`1:54.168`, `54.168` or `1:02:03.5` (timing-system style). Raises ValueError otherwise."""
    value = text.strip()
    if value.startswith("-"):
        raise NegativeTime(value)
    match = _CLOCK.match(value)
    if not match:
        raise ValueError(f"not a time: {text!r}")
    first, second, secs = match.groups()
    parts = [p for p in (first, second) if p is not None]
    hours, minutes = (int(parts[0]), int(parts[1])) if len(parts) == 2 else (0, int(parts[0]) if parts else 0)
    return hours * 3600 + minutes * 60 + float(secs)


def timedelta_to_seconds(text: str) -> float:
    """pandas' timedelta text, `0 days 00:01:33.433000`, as FastF1 exports write it."""
    value = text.strip()
    match = _TIMEDELTA.match(value)
    if not match:
        raise ValueError(f"not a timedelta: {text!r}")
    days, hours, minutes, secs = match.groups()
    if days.startswith("-"):
        raise NegativeTime(value)
    return int(days) * 86400 + int(hours) * 3600 + int(minutes) * 60 + float(secs)


class NegativeTime(ValueError):
    """A time below zero: never a real lap or sector."""
