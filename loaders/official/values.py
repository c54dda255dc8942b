"""Text kinds a registry entry's `raw_checks` name: the parser refuses a value that is not of its kind
(naming file, line and column), and the raw quality suite checks the same kinds in the warehouse."""

from __future__ import annotations

import re

from loaders.laps.timeparse import NegativeTime, clock_to_seconds, timedelta_to_seconds

_INT = re.compile(r"^\d+$")
_FLOAT_INT = re.compile(r"^\d+(?:\.0+)?$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
_EPOCH = re.compile(r"^\d{9,11}(?:\.\d+)?$")
_BOOL = re.compile(r"^(?:true|false|0|1)$", re.I)


def _clock(text: str) -> None:
    clock_to_seconds(text)


_WHOLE_DAYS = re.compile(r"^\d+ days?$")  # pandas writes a zero timedelta as `0 days`


def _timedelta(text: str) -> None:
    if not _WHOLE_DAYS.match(text):
        timedelta_to_seconds(text)


def _regex(pattern: re.Pattern[str], what: str):
    def check(text: str) -> None:
        if not pattern.match(text):
            raise ValueError(f"not {what}: {text!r}")
    return check


CHECKERS = {
    "int": _regex(_INT, "a whole number"),
    "float_int": _regex(_FLOAT_INT, "a whole number"),
    "number": _regex(_NUMBER, "a number"),
    "epoch": _regex(_EPOCH, "Unix seconds"),
    "bool": _regex(_BOOL, "a boolean"),
    "clock": _clock,
    "timedelta": _timedelta,
}


def check(kind: str, text: str) -> str | None:
    """None when `text` is of `kind`, else the reason."""
    try:
        CHECKERS[kind](text)
    except NegativeTime:
        return f"negative time: {text!r}"
    except ValueError as exc:
        return str(exc) if str(exc).startswith("not ") else f"not a {kind} value: {text!r}"
    return None
