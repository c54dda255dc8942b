"""Which parser reads a file: detected from its header, or forced with `--format`."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from core.errors import LoadError
from core.registry import LAPS, REGISTRY
from loaders.laps import csvread, ergast, fastf1_laps, gr_cup, lapstack_format
from loaders.laps.model import Overrides, ParsedFile

PARSERS: dict[str, ModuleType] = {
    gr_cup.FORMAT: gr_cup,
    fastf1_laps.FORMAT: fastf1_laps,
    ergast.FORMAT: ergast,
    lapstack_format.FORMAT: lapstack_format,
}
FORMATS = sorted(PARSERS)


def detect_format(tf: csvread.TextFile) -> str:
    """The first registered lap format whose signature the header satisfies (registry order)."""
    if tf.text.lstrip().startswith("{"):
        return lapstack_format.FORMAT
    line = csvread.first_line(tf.text)
    for delimiter in csvread.DELIMITERS:
        # Any delimiter: a file with the wrong one is then named by its parser ("expected ;"), not "unknown".
        found = REGISTRY.recognise(line.split(delimiter), None, LAPS)
        if found:
            return found[0]
    raise LoadError(tf.path, 1, 1, f"unknown lap format: header matches none of {', '.join(FORMATS)} "
                    "(use --format, or see the lapstack lap format in the README)")


def parse_file(path: Path, fmt: str | None, overrides: Overrides) -> ParsedFile:
    tf = csvread.read_text(path)
    name = fmt or detect_format(tf)
    if name not in PARSERS:
        raise LoadError(path, None, None, f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return PARSERS[name].parse(tf, overrides)
