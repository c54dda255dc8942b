"""Field checks shared by the lap parsers: each failure names file, line and column."""

from __future__ import annotations

from collections.abc import Callable

from core.errors import LoadError, column_label
from loaders.laps.csvread import Row, TextFile
from loaders.laps.timeparse import NegativeTime

LOST_COUNTER_LAP = 32768  # what timing ECUs write when the lap counter is lost


def check_int(tf: TextFile, row: Row, header: list[str], col: str, *, required: bool = True) -> int | None:
    text = row.values.get(col, "").strip()
    if not text:
        if required:
            raise LoadError(tf.path, row.line, column_label(header.index(col), col), "missing lap number")
        return None
    try:
        value = float(text)
    except ValueError:
        raise LoadError(tf.path, row.line, column_label(header.index(col), col),
                        f"not a number: {text!r}") from None
    if value != int(value):
        raise LoadError(tf.path, row.line, column_label(header.index(col), col), f"not an integer: {text!r}")
    if value < 0:
        raise LoadError(tf.path, row.line, column_label(header.index(col), col), f"negative value: {text!r}")
    return int(value)


def check_time(tf: TextFile, row: Row, header: list[str], col: str,
               parse: Callable[[str], float]) -> float | None:
    """Empty is allowed (no time recorded); garbage and negative times are not."""
    text = row.values.get(col, "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except NegativeTime:
        raise LoadError(tf.path, row.line, column_label(header.index(col), col),
                        f"negative time: {text!r}") from None
    except ValueError:
        raise LoadError(tf.path, row.line, column_label(header.index(col), col),
                        f"not a time: {text!r}") from None


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
                raise LoadError(self.tf.path, row.line,
                                column_label(self.header.index(self.time_col), self.time_col),
                                f"duplicate lap {lap} for driver {key[-2]} with a different time "
                                f"than line {first_line}")
            return False
        self.seen[key] = (row.line, time)
        return True
