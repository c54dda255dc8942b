"""Load many lap files: each file is its own transaction, a bad one never blocks the rest.

Paths given explicitly are loaded (or fail with an error). Folders are walked: a file whose header is a
known lap format is loaded like an explicit one; every other path found is reported as skipped, with the
reason, and does not make the command fail.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import LoadError
from core.warehouse import Warehouse
from loaders import filecheck
from loaders.filecheck import Skipped
from loaders.laps.detect import parse_file, sniff_format
from loaders.laps.model import Overrides
from loaders.laps.store import ExcerptOfLoaded, LoadResult, store
from loaders.per_file import load_each

LAP_SUFFIXES = {".csv", ".jsonl", ".json"}


def expand(paths: list[Path], skipped: list[Skipped] | None = None) -> tuple[list[Path], list[LoadError]]:
    """Files as given; folders contribute the files whose header matches a known lap format."""
    files: list[Path] = []
    errors: list[LoadError] = []
    skipped = [] if skipped is None else skipped
    for path in paths:
        if path.is_dir():
            filecheck.walk(path, LAP_SUFFIXES, sniff_format, "a lap file", files, skipped)
        elif path.exists():
            files.append(path)
        else:
            errors.append(LoadError(path, None, None, "no such file or folder"))
    return files, errors


def load_paths(wh: Warehouse, paths: list[Path], fmt: str | None, overrides: Overrides,
               *, replace: bool = False, skipped: list[Skipped] | None = None
               ) -> tuple[list[LoadResult], list[LoadError]]:
    """Every file in its own transaction; `skipped` (if given) receives the folder entries not loaded."""
    skipped = [] if skipped is None else skipped
    files, errors = expand(paths, skipped)

    def load_one(path: Path) -> LoadResult | None:
        try:
            return store(wh, parse_file(path.resolve(), fmt, overrides), replace=replace)
        except ExcerptOfLoaded as exc:  # a real excerpt of a loaded file: skipped with its reason, not an error
            skipped.append(Skipped(path, exc.message))
            return None

    results, failed = load_each(files, load_one)
    return [r for r in results if r is not None], errors + failed
