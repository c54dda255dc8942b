"""Recognise and parse an official side file: the registry names its format and the parser module reading it."""

from __future__ import annotations

import importlib
from pathlib import Path

from core.errors import LoadError
from core.registry import OFFICIAL, REGISTRY
from core.warehouse import Warehouse
from loaders.laps import csvread
from loaders.laps.model import Overrides
from loaders.laps.store import LoadResult
from loaders.official.sidefile import SideFile
from loaders.official.store import store_side


def recognise(header_line: str, file_name: str) -> list[str]:
    """Official formats whose signature the header and file name satisfy, on any delimiter lapstack reads."""
    found: list[str] = []
    for delimiter in csvread.DELIMITERS:
        for name in REGISTRY.recognise(header_line.split(delimiter), None, OFFICIAL, file_name):
            if name not in found:
                found.append(name)
    return found


def parse_side(path: Path, fmt: str | None, overrides: Overrides) -> SideFile:
    tf = csvread.read_text(path)
    if fmt is None:
        found = recognise(csvread.first_line(tf.text), path.name)
        if len(found) != 1:
            raise LoadError(path, 1, 1, "header matches no official format" if not found
                            else f"header matches several official formats: {', '.join(found)}")
        fmt = found[0]
    source, file_format = REGISTRY.format(fmt)
    if source.family != OFFICIAL or not file_format.parser:
        raise LoadError(path, None, None, f"{fmt} is not an official side-file format")
    module = importlib.import_module(file_format.parser)
    return module.parse(tf, fmt, overrides)


def load_side(wh: Warehouse, path: Path, fmt: str | None, overrides: Overrides, *,
              replace: bool = False) -> LoadResult:
    return store_side(wh, parse_side(path.resolve(), fmt, overrides), replace=replace)
