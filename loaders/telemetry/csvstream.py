"""Stream a big CSV in fixed-size blocks with pyarrow, keeping each row's physical line number.

Memory is one block (a few MB) plus the arrow batch built from it, whatever the file size.
Errors always name file, line and column; the slow exact-position scans run only once a block failed.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from core.errors import LoadError, column_label

BLOCK_SIZE = 8 << 20
DELIMITERS = (",", ";", "\t", "|")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_and_lines(path: Path) -> tuple[str, int]:
    """Content hash and physical line count in one pass (the direct DuckDB path checks rows against lines)."""
    digest = hashlib.sha256()
    lines, last = 0, b"\n"
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
            lines += block.count(b"\n")
            last = block[-1:]
    return digest.hexdigest(), lines + (last != b"\n")


def read_header(path: Path, expected_delimiter: str = ",") -> list[str]:
    """The header row; refuses empty files, binary files and a wrong delimiter up front."""
    try:
        with path.open("rb") as fh:
            head = fh.read(64 << 10)
    except OSError as exc:
        raise LoadError(path, None, None, f"cannot read file: {exc.strerror}") from exc
    if not head.strip():
        raise LoadError(path, 1, 1, "file is empty")
    if b"\x00" in head:
        raise LoadError(path, 1, head.index(b"\x00") + 1, "binary content (NUL byte): not a CSV file")
    first = head.decode("utf-8-sig", errors="replace").splitlines()[0]
    header = [h.strip().strip('"') for h in next(csv.reader([first], delimiter=expected_delimiter))]
    if len(header) == 1:
        found = max(DELIMITERS, key=lambda d: len(first.split(d)))
        if found != expected_delimiter and len(first.split(found)) > 1:
            raise LoadError(path, 1, 1, f"wrong delimiter: expected {expected_delimiter!r}, found {found!r}")
    return header


def _locate_bad_row(path: Path, delimiter: str, width: int) -> LoadError:
    """After pyarrow refused a block: find the first row whose field count is wrong, exactly."""
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        next(reader, None)
        for fields in reader:
            if len(fields) != width:
                line = reader.line_num
                if not fields:
                    return LoadError(path, line, 1, "blank line inside the data")
                what = "truncated or malformed row" if len(fields) < width else "too many fields"
                return LoadError(path, line, min(len(fields), width) + 1,
                                 f"row has {len(fields)} fields, header has {width}: {what}")
    return LoadError(path, None, None, "malformed CSV (quoting or encoding)")


@dataclass
class Block:
    first_line: int  # physical line of the block's first row
    batch: pa.RecordBatch


def iter_blocks(path: Path, header: list[str], delimiter: str = ",",
                block_size: int = BLOCK_SIZE) -> Iterator[Block]:
    """Every row as text (empty = null), in order, block by block."""
    names = [h or f"column_{i}" for i, h in enumerate(header)]
    options = pacsv.ReadOptions(block_size=block_size, column_names=names, skip_rows=1, use_threads=True)
    parse = pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False)
    convert = pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=True,
                                   null_values=[""], quoted_strings_can_be_null=True)
    line = 2
    try:
        reader = pacsv.open_csv(path, read_options=options, parse_options=parse, convert_options=convert)
        for batch in reader:
            if batch.num_rows:
                yield Block(line, batch)
                line += batch.num_rows
    except pa.ArrowInvalid as exc:
        raise _locate_bad_row(path, delimiter, len(header)) from exc


def bad_value(path: Path, block: Block, arr: pa.Array, index: int, name: str, convert, what: str) -> LoadError:
    """The first value of `arr` that `convert` rejects, as a located error."""
    for i, value in enumerate(arr.to_pylist()):
        if value is None:
            continue
        try:
            convert(value)
        except (TypeError, ValueError):
            return LoadError(path, block.first_line + i, column_label(index, name), f"{what}: {value!r}")
    return LoadError(path, block.first_line, column_label(index, name), what)


def to_float(path: Path, block: Block, header: list[str], name: str) -> pa.Array:
    arr = block.batch.column(header.index(name))
    try:
        return pc.cast(pc.utf8_trim_whitespace(arr), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        raise bad_value(path, block, arr, header.index(name), name, float, "not a number") from None


def to_timestamp(path: Path, block: Block, header: list[str], name: str) -> pa.Array:
    """ISO 8601 text; a trailing Z or offset is converted to UTC, naive stays as written."""
    arr = pc.utf8_trim_whitespace(block.batch.column(header.index(name)))
    try:
        if pc.any(pc.match_substring_regex(arr, r"(Z|[+-]\d\d:?\d\d)$")).as_py():
            return pc.cast(pc.cast(arr, pa.timestamp("us", tz="UTC")), pa.timestamp("us"))
        return pc.cast(arr, pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        from datetime import datetime

        def parse(v: str) -> datetime:
            return datetime.fromisoformat(v.replace("Z", "+00:00"))

        raise bad_value(path, block, arr, header.index(name), name, parse, "not an ISO 8601 timestamp") from None


def require_non_null(path: Path, block: Block, header: list[str], name: str, arr: pa.Array) -> None:
    if arr.null_count:
        index = pc.index(pc.is_null(arr), True).as_py()
        raise LoadError(path, block.first_line + index, column_label(header.index(name), name),
                        f"missing {name}")
