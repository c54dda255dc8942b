"""Which parser reads a file: detected from its header, or forced with `--format`."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from core.errors import LoadError
from core.registry import LAPS, REGISTRY
from loaders import filecheck
from loaders.laps import csvread, ergast, fastf1_laps, gr_cup, lapstack_format
from loaders.laps.model import Overrides, ParsedFile

PARSERS: dict[str, ModuleType] = {
    gr_cup.FORMAT: gr_cup,
    fastf1_laps.FORMAT: fastf1_laps,
    ergast.FORMAT: ergast,
    lapstack_format.FORMAT: lapstack_format,
}
FORMATS = sorted(PARSERS)


def _format_of(path: Path | str, text: str) -> str:
    if text.lstrip().startswith("{"):
        return lapstack_format.FORMAT
    line = csvread.first_line(text)
    for delimiter in csvread.DELIMITERS:
        # Any delimiter: a file with the wrong one is then named by its parser ("expected ;"), not "unknown".
        found = REGISTRY.recognise(line.split(delimiter), None, LAPS)
        if found:
            return found[0]
    raise LoadError(path, 1, 1, f"unknown lap format: header matches none of {', '.join(FORMATS)} "
                    "(use --format, or see the lapstack lap format in the README)")


def detect_format(tf: csvread.TextFile) -> str:
    """The first registered lap format whose signature the header satisfies (registry order)."""
    return _format_of(tf.path, tf.text)


def sniff_format(path: Path) -> str:
    """The format from the file's first bytes only (folder walks): cheap, bounded, never reads the whole file."""
    head = filecheck.read_head(path)
    if not head.strip():
        raise LoadError(path, 1, 1, "file is empty")
    filecheck.check_head(path, head)
    end = head.find(b"\n")
    if end < 0 and len(head) >= filecheck.HEAD_BYTES:
        raise filecheck.line_too_long(path, 1, filecheck.HEAD_BYTES)
    first = head if end < 0 else head[:end]
    return _format_of(path, csvread.decode(path, first))


def parse_file(path: Path, fmt: str | None, overrides: Overrides) -> ParsedFile:
    tf = csvread.read_text(path)
    name = fmt or detect_format(tf)
    if name not in PARSERS:
        raise LoadError(path, None, None, f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return PARSERS[name].parse(tf, overrides)
