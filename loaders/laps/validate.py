"""Field checks shared by the lap parsers: each failure names file, line and column.

Values land in `raw` as text and dbt casts them; a check here accepts exactly what those casts read on
every target and what the typed columns hold (lap numbers, positions: 32-bit integers; times: finite,
below timeparse.MAX_TIME_SECONDS), so a file that loads always builds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from core.errors import LoadError, column_label
from loaders.laps.csvread import Row, TextFile
from loaders.laps.timeparse import INT32_MAX, NegativeTime, OutOfRange, parse_int, parse_number

LOST_COUNTER_LAP = 32768  # what timing ECUs write when the lap counter is lost
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,9})?)?)?"
                  r"(?:Z|[+-][0-9]{2}:[0-9]{2})?")


def _where(header: list[str], col: str) -> str:
    return column_label(header.index(col), col) if col in header else col


def _cell(tf: TextFile, row: Row, header: list[str], col: str, *, required: bool, what: str) -> str | None:
    """The cell's text without surrounding blanks, or None when it is empty: every check treats an empty cell
    the same way (absent, or `missing <what>` where the column is required)."""
    text = row.values.get(col, "").strip(" \t")
    if not text and required:
        raise LoadError(tf.path, row.line, _where(header, col), f"missing {what}")
    return text or None


def check_int(tf: TextFile, row: Row, header: list[str], col: str, *, required: bool = True,
              plain: bool = False, what: str = "lap number", high: int = INT32_MAX) -> int | None:
    """A whole number >= 0 that a 32-bit integer holds; `plain` = digits only (cast straight to integer)."""
    text = _cell(tf, row, header, col, required=required, what=what)
    if text is None:
        return None
    try:
        return parse_int(text, plain=plain, high=high)
    except OutOfRange as exc:
        msg = str(exc)
        if msg.startswith("negative"):
            raise LoadError(tf.path, row.line, _where(header, col), f"negative value: {text!r}") from None
        raise LoadError(tf.path, row.line, _where(header, col),
                        f"{what} out of range (0 to {high:,}): {text!r}") from None
    except ValueError as exc:
        kind = "not an integer" if str(exc).startswith("not an integer") else "not a number"
        hint = " (digits only)" if plain and kind == "not an integer" else ""
        raise LoadError(tf.path, row.line, _where(header, col), f"{kind}{hint}: {text!r}") from None


def check_time(tf: TextFile, row: Row, header: list[str], col: str,
               parse: Callable[[str], float]) -> float | None:
    """Empty is allowed (no time recorded); garbage, negative, non-finite and absurd times are not."""
    text = _cell(tf, row, header, col, required=False, what="time")
    if text is None:
        return None
    try:
        return parse(text)
    except NegativeTime:
        raise LoadError(tf.path, row.line, _where(header, col), f"negative time: {text!r}") from None
    except OutOfRange as exc:
        raise LoadError(tf.path, row.line, _where(header, col), str(exc)) from None
    except ValueError:
        raise LoadError(tf.path, row.line, _where(header, col), f"not a time: {text!r}") from None


def check_number(tf: TextFile, row: Row, header: list[str], col: str, *, what: str = "number",
                 low: float = 0.0, high: float = 1e6) -> float | None:
    """An optional finite decimal (speeds, counters kept as text): no nan/inf/1e400, within [low, high]."""
    text = _cell(tf, row, header, col, required=False, what=what)
    if text is None:
        return None
    try:
        return parse_number(text, low=low, high=high)
    except OutOfRange:
        raise LoadError(tf.path, row.line, _where(header, col),
                        f"{what} out of range ({low:g} to {high:g}): {text!r}") from None
    except ValueError:
        raise LoadError(tf.path, row.line, _where(header, col), f"{what} is not a number: {text!r}") from None


def check_timestamp(tf: TextFile, row: Row, header: list[str], col: str, *, required: bool = False) -> str | None:
    """ISO 8601 date-time (`2023-03-05 15:03:41.123`, `...T...Z`), years 1900-2199."""
    text = _cell(tf, row, header, col, required=required, what=col)
    if text is None:
        return None
    try:
        if not _ISO.fullmatch(text):
            raise ValueError(text)
        stamp = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if not 1900 <= stamp.year < 2200:
            raise ValueError(text)
    except ValueError:
        raise LoadError(tf.path, row.line, _where(header, col),
                        f"not an ISO 8601 timestamp (years 1900-2199): {text!r}") from None
    return text


class DuplicateGuard:
    """Two rows for one driver and lap must agree; a second, different time is an error."""

    def __init__(self, tf: TextFile, header: list[str], time_col: str):
        self.tf, self.header, self.time_col = tf, header, time_col
        self.seen: dict[tuple, tuple[int, float | None]] = {}

    def check(self, key: tuple, lap: int | None, time: float | None, row: Row) -> bool:
        """True when the row is new; False for an exact repeat (kept raw, dropped in staging)."""
        if lap is None or lap >= LOST_COUNTER_LAP:
            return True
        if key in self.seen:
            first_line, first_time = self.seen[key]
            if first_time != time:
                raise LoadError(self.tf.path, row.line, _where(self.header, self.time_col),
                                f"duplicate lap {lap} for driver {key[-2]} with a different time "
                                f"than line {first_line}")
            return False
        self.seen[key] = (row.line, time)
        return True
