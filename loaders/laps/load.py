"""Load many lap files: each file is its own transaction, a bad one never blocks the rest."""

from __future__ import annotations

from pathlib import Path

from core.errors import LoadError
from core.warehouse import Warehouse
from loaders.laps import csvread
from loaders.laps.detect import detect_format, parse_file
from loaders.laps.model import Overrides
from loaders.laps.store import LoadResult, store

LAP_SUFFIXES = {".csv", ".jsonl", ".json"}


def expand(paths: list[Path]) -> tuple[list[Path], list[LoadError]]:
    """Files as given; folders contribute the files whose header matches a known lap format."""
    files: list[Path] = []
    errors: list[LoadError] = []
    for path in paths:
        if path.is_dir():
            for candidate in sorted(p for p in path.rglob("*") if p.suffix.lower() in LAP_SUFFIXES):
                try:
                    detect_format(csvread.read_text(candidate))
                except LoadError:
                    continue
                files.append(candidate)
        elif path.exists():
            files.append(path)
        else:
            errors.append(LoadError(path, None, None, "no such file or folder"))
    return files, errors


def load_paths(wh: Warehouse, paths: list[Path], fmt: str | None, overrides: Overrides,
               *, replace: bool = False) -> tuple[list[LoadResult], list[LoadError]]:
    files, errors = expand(paths)
    results: list[LoadResult] = []
    for path in files:
        try:
            results.append(store(wh, parse_file(path.resolve(), fmt, overrides), replace=replace))
        except LoadError as exc:
            errors.append(exc)
    return results, errors
