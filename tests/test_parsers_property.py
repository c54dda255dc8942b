"""Property-based checks of the time and number parsers and the line guard (hypothesis).

Documented contract (loaders/laps/timeparse.py): on any text each parser returns a value the warehouse
holds or raises ValueError (NegativeTime, OutOfRange are subclasses); formatted times read back exactly.
"""

from __future__ import annotations

import io
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import LoadError
from loaders.filecheck import LineGuard
from loaders.laps.timeparse import (
    INT32_MAX,
    MAX_TIME_SECONDS,
    clock_to_seconds,
    millis_to_seconds,
    parse_int,
    parse_number,
    seconds,
    timedelta_to_seconds,
)

PARSERS = (clock_to_seconds, seconds, timedelta_to_seconds, millis_to_seconds, parse_number, parse_int,
           lambda t: parse_int(t, plain=True))
# Text that looks like timing values, plus anything at all.
TIMING_TEXT = st.one_of(
    st.text(),
    st.text(alphabet="0123456789:.-+ eE_naifINFday\u0661\u00a0", max_size=40),
    st.from_regex(r"-?[0-9]{1,30}(\.[0-9]{0,12})?(e[+-]?[0-9]{1,4})?", fullmatch=True),
    st.from_regex(r"[0-9]{1,9} days [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}", fullmatch=True),
)


@settings(max_examples=400, deadline=None)
@given(TIMING_TEXT)
def test_parsers_raise_only_value_error_and_return_held_values(text: str) -> None:
    for parse in PARSERS:
        try:
            value = parse(text)
        except ValueError:
            continue
        assert math.isfinite(value)
        if isinstance(value, int) and parse not in (parse_number,):
            assert 0 <= value <= INT32_MAX
        elif parse in (clock_to_seconds, seconds, timedelta_to_seconds, millis_to_seconds):
            assert 0 <= value <= MAX_TIME_SECONDS
        assert text.strip(" \t").isascii()  # Unicode digits and spaces never pass: SQL casts refuse them


millis = st.integers(min_value=0, max_value=int(MAX_TIME_SECONDS * 1000))


@settings(deadline=None)
@given(millis)
def test_clock_text_round_trips(ms: int) -> None:
    total = ms / 1000
    h, rem = divmod(ms, 3_600_000)
    m, rem = divmod(rem, 60_000)
    s = rem / 1000
    for text in (f"{total:.3f}", f"{h * 60 + m}:{s:06.3f}", f"{h}:{m:02d}:{s:06.3f}"):
        assert math.isclose(clock_to_seconds(text), total, abs_tol=5e-7), text
    assert math.isclose(seconds(f"{total:.3f}"), total, abs_tol=5e-7)
    assert millis_to_seconds(str(ms)) == ms / 1000


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=int(MAX_TIME_SECONDS * 1000) - 1))
def test_pandas_timedelta_text_round_trips(ms: int) -> None:
    import pandas as pd

    text = str(pd.Timedelta(milliseconds=ms))  # exactly how FastF1 exports write it
    if "." not in text:
        text += ".000000"
    assert math.isclose(timedelta_to_seconds(text), ms / 1000, abs_tol=5e-7), text


@settings(deadline=None)
@given(st.integers(min_value=-(2**70), max_value=2**70))
def test_integers_in_range_only(n: int) -> None:
    for text in (str(n), f"{n}.0"):
        try:
            value = parse_int(text)
        except ValueError:
            assert not 0 <= n <= INT32_MAX
            continue
        assert value == n and 0 <= n <= INT32_MAX
    if 0 <= n <= INT32_MAX:
        try:
            parse_int(f"{n}.0", plain=True)
            raise AssertionError("plain integers refuse '.0' (Postgres cast(x as integer) does)")
        except ValueError:
            pass


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 14), st.sampled_from(["\n", "\r\n", "\r"])), max_size=30),
       st.integers(0, 14), st.integers(1, 9))
def test_line_guard_matches_universal_newlines(rows, tail, step) -> None:
    data = "".join("x" * n + end for n, end in rows) + "y" * tail
    lines = list(io.StringIO(data, newline=""))
    expected = next((k + 1 for k, x in enumerate(lines) if len(x.rstrip("\r\n")) > 10), None)
    guard = LineGuard("f", 10)
    raw = data.encode()
    try:
        for k in range(0, len(raw), step):
            guard.feed(raw[k:k + step])
    except LoadError as exc:
        assert exc.line == expected and exc.column == 11
        return
    assert expected is None
    assert guard.line_count(raw[-1:]) == len(lines)
