"""Read a timing CSV strictly: every defect is reported with its file, line and column."""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import LoadError

DELIMITERS = (";", ",", "\t", "|")


@dataclass
class TextFile:
    path: Path
    text: str
    sha256: str


def read_text(path: Path) -> TextFile:
    """Decode as UTF-8 (BOM allowed); refuse empty and binary files outright."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, None, None, f"cannot read file: {exc.strerror}") from exc
    if not data.strip():
        raise LoadError(path, 1, 1, "file is empty")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        col = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise LoadError(path, line, col, "binary content (NUL byte): not a text timing file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise LoadError(path, line, col, "not UTF-8 text (binary or wrong encoding)") from exc
    return TextFile(path, text, hashlib.sha256(data).hexdigest())


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most fields."""
    return max(DELIMITERS, key=lambda d: len(header_line.split(d)))


def first_line(text: str) -> str:
    return text.splitlines()[0] if text else ""


@dataclass
class Row:
    line: int
    values: dict[str, str]
    fields: list[str]


def iter_rows(tf: TextFile, delimiter: str, header: list[str]) -> Iterator[Row]:
    """Data rows with their physical line number; short or long rows are errors (truncation)."""
    reader = csv.reader(tf.text.splitlines(keepends=True), delimiter=delimiter)
    next(reader)
    for fields in reader:
        line = reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if len(fields) < len(header):
            raise LoadError(tf.path, line, len(fields) + 1,
                            f"row has {len(fields)} fields, header has {len(header)}: "
                            f"truncated or malformed row (missing {header[len(fields)]!r})")
        if len(fields) > len(header) and any(f.strip() for f in fields[len(header):]):
            raise LoadError(tf.path, line, len(header) + 1,
                            f"row has {len(fields)} fields, header has {len(header)}")
        yield Row(line, dict(zip(header, fields, strict=False)), fields)


def read_header(tf: TextFile, delimiter: str) -> list[str]:
    return [h.strip() for h in next(csv.reader([first_line(tf.text)], delimiter=delimiter))]


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

