"""Read a timing CSV strictly: every defect is reported with its file, line and column."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import LoadError
from loaders import filecheck

DELIMITERS = (";", ",", "\t", "|")


@dataclass
class TextFile:
    path: Path
    text: str
    sha256: str


def decode(path: Path | str, data: bytes) -> str:
    """UTF-8 (BOM allowed); a byte that is not names its line and column and the likely encoding."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, col = filecheck.position(data, exc.start)
        byte = data[exc.start]
        hint = " (looks like Latin-1 / Windows-1252: save the file as UTF-8)" if 0x80 <= byte <= 0xff else ""
        raise LoadError(path, line, col, f"not UTF-8 text: byte 0x{byte:02X}{hint}") from None


def read_text(path: Path, *, what: str = "lap files") -> TextFile:
    """Decode as UTF-8 (BOM allowed); refuse empty, binary, compressed, over-long and over-big files outright."""
    data = filecheck.read_bounded(path, what=what)
    return TextFile(path, decode(path, data), hashlib.sha256(data).hexdigest())


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most fields."""
    return max(DELIMITERS, key=lambda d: len(header_line.split(d)))


def first_line(text: str) -> str:
    return next(iter(io.StringIO(text, newline="")), "").rstrip("\r\n")


@dataclass
class Row:
    line: int
    values: dict[str, str]
    fields: list[str]


def _line_text(tf: TextFile, line: int) -> str:
    lines = io.StringIO(tf.text, newline="")
    for _ in range(line - 1):
        next(lines, None)
    return next(lines, "")


def _quote_column(tf: TextFile, line: int) -> int:
    """1-based column of the quote that opened a field running past its line (the last unmatched one)."""
    text = _line_text(tf, line)
    quotes = [i for i, ch in enumerate(text) if ch == '"']
    if not quotes:
        return 1
    return (quotes[-1] if len(quotes) % 2 else quotes[0]) + 1


def _unbalanced(tf: TextFile, start: int, end: int | None) -> LoadError:
    runs = f" and runs on to line {end}" if end else f" and runs on for over {csv.field_size_limit():,} characters"
    return LoadError(tf.path, start, _quote_column(tf, start),
                     f"unbalanced quote: a quoted field starts here{runs} (timing rows are one line each)")


def iter_records(tf: TextFile, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(physical line, fields) for every CSV record, header included; a record is one physical line."""
    reader = csv.reader(io.StringIO(tf.text, newline=""), delimiter=delimiter)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if '"' in tf.text:
                raise _unbalanced(tf, start, None) from None
            raise LoadError(tf.path, start, 1, f"malformed CSV: {exc}") from None
        if reader.line_num > start:
            raise _unbalanced(tf, start, reader.line_num)
        yield start, fields


def iter_rows(tf: TextFile, delimiter: str, header: list[str], *, lenient_short: bool = False) -> Iterator[Row]:
    """Data rows with their physical line number; short or long rows are errors (truncation).

    lenient_short: rows with fewer fields than the header get the missing ones empty (sidecar tables).
    """
    records = iter_records(tf, delimiter)
    next(records, None)
    for line, fields in records:
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if len(fields) != len(header) and '"' in (text := _line_text(tf, line)) and text.count('"') % 2:
            raise LoadError(tf.path, line, text.index('"') + 1,
                            f"unbalanced quotes: the line has {text.count(chr(34))} quote characters, so a quoted "
                            f"field is not closed (row has {len(fields)} fields, header has {len(header)})")
        if len(fields) < len(header) and not lenient_short:
            raise LoadError(tf.path, line, len(fields) + 1,
                            f"row has {len(fields)} fields, header has {len(header)}: "
                            f"truncated or malformed row (missing {header[len(fields)]!r})")
        if len(fields) > len(header) and any(f.strip() for f in fields[len(header):]):
            raise LoadError(tf.path, line, len(header) + 1,
                            f"row has {len(fields)} fields, header has {len(header)}")
        values = dict(zip(header, fields, strict=False))
        if lenient_short:
            values.update({h: "" for h in header[len(fields):]})
        yield Row(line, values, fields)


def read_header(tf: TextFile, delimiter: str) -> list[str]:
    for _, fields in iter_records(tf, delimiter):
        return [h.strip() for h in fields]
    return []


def read_header_checked(tf: TextFile, delimiter: str, what: str) -> list[str]:
    """The header split on the format's delimiter; a header another delimiter splits is a wrong-delimiter error."""
    header = read_header(tf, delimiter)
    found = sniff_delimiter(first_line(tf.text))
    if len(header) == 1 and found != delimiter:
        raise LoadError(tf.path, 1, 1, f"wrong delimiter: {what} are {delimiter!r}-separated, found {found!r}")
    return header


def require_columns(tf: TextFile, header: list[str], required: list[str], fmt: str) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise LoadError(tf.path, 1, len(header) + 1,
                        f"missing required column(s) for {fmt} format: {', '.join(missing)}")


@dataclass
class Sidecar:
    """A small table beside a lap file (`races.csv`, `drivers.csv`, `race_info.csv`, `pit_stops.csv`)."""

    tf: TextFile
    header: list[str]
    rows: list[Row]


def read_sidecar(path: Path, *, header: bool = True, lenient_short: bool = True) -> Sidecar | None:
    """Read like a lap file (bounded, UTF-8, positioned errors); None when the file is not there.

    Errors name the sidecar's own file, line and column: the lap file that needs it is then not loaded.
    """
    if not path.exists():
        return None
    tf = read_text(path, what="sidecar files")
    if header:
        names = [h.strip().strip('"') for h in read_header(tf, ",")]
        return Sidecar(tf, names, list(iter_rows(tf, ",", names, lenient_short=lenient_short)))
    rows = [Row(line, {}, fields) for line, fields in iter_records(tf, ",")]
    return Sidecar(tf, [], rows)
