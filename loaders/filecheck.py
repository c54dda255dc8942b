"""What a file is before any parser touches it: size and line-length limits, encodings and compression.

Every loader reads plain UTF-8 text (a UTF-8 BOM is allowed) or, for telemetry, Parquet. Anything else is
named for what it is, from its first bytes: a gzip / zip / bzip2 / xz / zstd file says "decompress it first",
a UTF-16 or UTF-32 file says "save it as UTF-8", so nobody has to guess from a "NUL byte" message.

Limits (generous: measured on the real files in $LAPSTACK_DATA):
* a line (header or row) is at most MAX_LINE_BYTES; the longest real line is 432 bytes (a GR Cup results
  file), so 64 KiB is 150x that. Applies to lap files, sidecars and telemetry CSV.
* a lap or sidecar file is at most MAX_LAP_FILE_BYTES (256 MiB) and is read with that bound, so `/dev/zero`
  or an endless stream never fills memory; the biggest real lap file is the Ergast `lap_times` dump (3.6 MB).
  Telemetry is streamed, so it has no size limit, only the line limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.errors import LoadError

MAX_LINE_BYTES = 64 << 10
MAX_LAP_FILE_BYTES = 256 << 20
HEAD_BYTES = 64 << 10
READ_CHUNK = 1 << 20

UTF8 = "lapstack reads UTF-8 text"

# (magic prefix, what the file is, what to do). Longest / most specific first.
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "UTF-32 LE text (BOM FF FE 00 00)", f"save it as UTF-8 ({UTF8})"),
    (b"\x00\x00\xfe\xff", "UTF-32 BE text (BOM 00 00 FE FF)", f"save it as UTF-8 ({UTF8})"),
    (b"\xff\xfe", "UTF-16 LE text (BOM FF FE)", f"save it as UTF-8 ({UTF8})"),
    (b"\xfe\xff", "UTF-16 BE text (BOM FE FF)", f"save it as UTF-8 ({UTF8})"),
    (b"\x1f\x8b", "gzip-compressed", "decompress it first (gunzip)"),
    (b"PK\x03\x04", "a zip archive", "extract it first (unzip)"),
    (b"PK\x05\x06", "an (empty) zip archive", "extract it first (unzip)"),
    (b"\xfd7zXZ\x00", "xz-compressed", "decompress it first (unxz)"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed", "decompress it first (unzstd)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", "extract it first"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 / OLE document", "export the sheet as CSV (UTF-8)"),
    (b"PAR1", "a Parquet file", "lap files are CSV or JSON Lines; telemetry Parquet must be named *.parquet"),
)


_BREAK = re.compile(rb"\r\n|\r|\n")


def position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a byte offset; lines end at LF, CRLF or CR (as the CSV readers count them),
    the column counts bytes (a UTF-8 BOM on line 1 excluded)."""
    line, start = 1, 0
    for match in _BREAK.finditer(data, 0, offset):
        line, start = line + 1, match.end()
    if start == 0 and data.startswith(b"\xef\xbb\xbf"):
        start = 3
    return line, offset - start + 1


def _utf16_without_bom(head: bytes) -> str | None:
    """ASCII text saved as UTF-16/32 without a BOM: every other (or 3 of 4) byte is NUL."""
    sample = head[:4096]
    if len(sample) < 8:
        return None
    n = len(sample) - len(sample) % 4
    quads = [sample[i::4][: n // 4] for i in range(4)]
    if quads[1] == quads[2] == quads[3] == bytes(n // 4) and b"\x00" not in quads[0]:
        return "UTF-32 LE text (no BOM)"
    if quads[0] == quads[1] == quads[2] == bytes(n // 4) and b"\x00" not in quads[3]:
        return "UTF-32 BE text (no BOM)"
    m = len(sample) - len(sample) % 2
    even, odd = sample[0:m:2], sample[1:m:2]
    if odd == bytes(len(odd)) and b"\x00" not in even:
        return "UTF-16 LE text (no BOM)"
    if even == bytes(len(even)) and b"\x00" not in odd:
        return "UTF-16 BE text (no BOM)"
    return None


def check_head(path: Path | str, head: bytes, *, allow_parquet: bool = False) -> None:
    """Refuse what is not UTF-8 text from the first bytes: encodings, compression, binary (NUL bytes)."""
    for magic, what, advice in _MAGIC:
        if allow_parquet and magic == b"PAR1":
            continue
        if head.startswith(magic):
            raise LoadError(path, 1, 1, f"file is {what}, not UTF-8 text: {advice}")
    if head.startswith(b"BZh") and head[3:4].isdigit() and head[4:10] == b"1AY&SY":
        raise LoadError(path, 1, 1, "file is bzip2-compressed, not UTF-8 text: decompress it first (bunzip2)")
    nul = head.find(b"\x00")
    if nul >= 0:
        guess = _utf16_without_bom(head)
        if guess:
            raise LoadError(path, 1, 1, f"file is {guess}, not UTF-8 text: save it as UTF-8 ({UTF8})")
        line, col = position(head, nul)
        raise LoadError(path, line, col, "binary content (NUL byte): not a text file")


def line_too_long(path: Path | str, line: int, limit: int = MAX_LINE_BYTES) -> LoadError:
    return LoadError(path, line, limit + 1, f"line is longer than {limit:,} bytes (real timing lines are under "
                     "1 KB): not a line-based text file, or a corrupt one")


class LineGuard:
    """Fed consecutive blocks of a file: raises at the first line longer than the limit; counts lines.

    A line ends at LF, CRLF or a lone CR (classic Mac files), as Python's and pyarrow's CSV readers count them.
    """

    def __init__(self, path: Path | str, limit: int = MAX_LINE_BYTES):
        self.path, self.limit = path, limit
        self.lines = 0  # line breaks seen so far
        self.run = 0  # bytes since the last break
        self.pending_cr = False  # the previous block ended with CR (counted): an LF right after belongs to it

    def feed(self, block: bytes) -> None:
        if not block:
            return
        arr = np.frombuffer(block, dtype=np.uint8)
        is_lf = arr == 10
        is_cr = arr == 13
        next_lf = np.zeros(len(arr), dtype=bool)
        next_lf[:-1] = is_lf[1:]
        breaks = is_lf | (is_cr & ~next_lf)
        skip_first = self.pending_cr and bool(is_lf[0])
        if skip_first:
            breaks[0] = False
        self.pending_cr = bool(is_cr[-1])
        nl = np.flatnonzero(breaks)
        # the CR of a CRLF (break on its LF) is not part of the line's length
        crlf = np.zeros(len(nl), dtype=np.int64)
        if len(nl):
            inner = nl > 0
            crlf[inner] = is_lf[nl[inner]] & is_cr[nl[inner] - 1]
        if not len(nl):
            self.run += len(block) - (1 if skip_first else 0)
            if self.run > self.limit:
                raise line_too_long(self.path, self.lines + 1, self.limit)
            return
        first = self.run + int(nl[0]) - (1 if skip_first else 0) - int(crlf[0])
        if first > self.limit:
            raise line_too_long(self.path, self.lines + 1, self.limit)
        if len(nl) > 1:
            gaps = nl[1:] - nl[:-1] - 1 - crlf[1:]  # a CRLF break sits on its LF: the next line starts after it
            bad = np.flatnonzero(gaps > self.limit)
            if len(bad):
                raise line_too_long(self.path, self.lines + 2 + int(bad[0]), self.limit)
        self.lines += len(nl)
        self.run = len(block) - int(nl[-1]) - 1
        if self.run > self.limit:
            raise line_too_long(self.path, self.lines + 1, self.limit)

    def line_count(self, last_byte: bytes) -> int:
        """Physical lines: breaks, plus one for a last line without its break."""
        return self.lines + (1 if self.run or (last_byte and last_byte not in (b"\n", b"\r")) else 0)


def read_bounded(path: Path | str, max_bytes: int | None = None, max_line: int | None = None,
                 what: str = "lap files") -> bytes:
    """The whole file, never more than `max_bytes` read; the head is checked first, so `/dev/zero` fails fast."""
    max_bytes = MAX_LAP_FILE_BYTES if max_bytes is None else max_bytes
    max_line = MAX_LINE_BYTES if max_line is None else max_line
    try:
        if Path(path).is_dir():
            raise LoadError(path, None, None, "is a folder, not a file")
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
            if not head.strip():
                rest = fh.read(1)
                if not rest:
                    raise LoadError(path, 1, 1, "file is empty")
                head += rest
            check_head(path, head)
            guard = LineGuard(path, max_line)
            guard.feed(head)
            chunks = [head]
            size = len(head)
            while True:
                block = fh.read(min(READ_CHUNK, max_bytes + 1 - size))
                if not block:
                    break
                guard.feed(block)
                if b"\x00" in block:
                    data = b"".join(chunks) + block
                    line, col = position(data, data.index(b"\x00", size))
                    raise LoadError(path, line, col, "binary content (NUL byte): not a text file")
                chunks.append(block)
                size += len(block)
                if size > max_bytes:
                    raise LoadError(path, None, None, f"file is larger than {max_bytes / (1 << 20):g} MiB, the "
                                    f"limit for {what}: split it, or check it is the right file")
    except OSError as exc:
        raise LoadError(path, None, None, f"cannot read file: {exc.strerror or exc}") from exc
    data = b"".join(chunks)
    if not data.strip():
        raise LoadError(path, 1, 1, "file is empty")
    return data


def read_head(path: Path | str, size: int = HEAD_BYTES) -> bytes:
    try:
        if Path(path).is_dir():
            raise LoadError(path, None, None, "is a folder, not a file")
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise LoadError(path, None, None, f"cannot read file: {exc.strerror or exc}") from exc


@dataclass
class Skipped:
    """A path found while walking a folder that is not loaded, and why."""

    path: Path
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


def _reason(exc: LoadError) -> str:
    where = "" if exc.line is None else f"line {exc.line}: " if exc.column is None else \
        f"line {exc.line}, column {exc.column}: "
    return f"{where}{exc.message}"


def walk(folder: Path, suffixes: set[str], sniff: Callable[[Path], object], what: str, files: list[Path],
         skipped: list[Skipped]) -> None:
    """Files under `folder` that `sniff` recognises; everything else goes to `skipped` with its reason."""
    for candidate in sorted(folder.rglob("*")):
        if candidate.is_dir():
            if candidate.suffix.lower() in suffixes:
                skipped.append(Skipped(candidate, f"is a folder named like a file ({candidate.suffix}); "
                                                  "its files are searched"))
            continue
        if candidate.suffix.lower() not in suffixes:
            skipped.append(Skipped(candidate, f"not a {'/'.join(sorted(suffixes))} file"))
            continue
        if not candidate.is_file():
            skipped.append(Skipped(candidate, "not a regular file (device, pipe or broken link)"))
            continue
        try:
            sniff(candidate)
        except LoadError as exc:
            skipped.append(Skipped(candidate, f"not {what}: {_reason(exc)}"))
            continue
        files.append(candidate)
