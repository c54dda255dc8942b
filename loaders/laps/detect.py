"""Which parser reads a file: detected from its header, or forced with `--format`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from loaders.errors import LoadError
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
    if tf.text.lstrip().startswith("{"):
        return lapstack_format.FORMAT
    line = csvread.first_line(tf.text)
    for delimiter in csvread.DELIMITERS:
        header = [h.strip() for h in line.split(delimiter)]
        checks: list[tuple[str, Callable[[list[str]], bool]]] = [
            (gr_cup.FORMAT, gr_cup.looks_like), (fastf1_laps.FORMAT, fastf1_laps.looks_like),
            (ergast.FORMAT, ergast.looks_like), (lapstack_format.FORMAT, lapstack_format.looks_like),
        ]
        for name, looks_like in checks:
            if looks_like([h.strip('"') for h in header]):
                return name
    raise LoadError(tf.path, 1, 1, f"unknown lap format: header matches none of {', '.join(FORMATS)} "
                    "(use --format, or see the lapstack lap format in the README)")


def parse_file(path: Path, fmt: str | None, overrides: Overrides) -> ParsedFile:
    tf = csvread.read_text(path)
    name = fmt or detect_format(tf)
    if name not in PARSERS:
        raise LoadError(path, None, None, f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return PARSERS[name].parse(tf, overrides)
