"""Readable, unique partition keys for file loads, and the file each key names.

A file under the landing folder is keyed by its path relative to it (`ergast/lap_times_2020_2024.csv`,
`barber/Race 1/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV`); a file of the real data folder
(`lapstack materialize` of the demo files) by `data:` and its path relative to LAPSTACK_DATA; any other file
by its absolute path. The absolute path is recorded in each load's metadata.
"""

from __future__ import annotations

import os
from pathlib import Path

from core.settings import LAPSTACK_LANDING_DIR, data_dir

DATA_PREFIX = "data:"


def _absolute(path: Path) -> Path:
    """Absolute without following symlinks: a file linked into the landing folder keeps its landing key."""
    return Path(os.path.abspath(path))


def _relative(path: Path, root: Path) -> str | None:
    for base in dict.fromkeys([_absolute(root), root.resolve()]):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return None


def key_for(path: Path) -> str:
    path = _absolute(path)
    rel = _relative(path, LAPSTACK_LANDING_DIR.get())
    if rel is not None:
        return rel
    rel = _relative(path, data_dir())
    return DATA_PREFIX + rel if rel is not None else str(path)


def path_for(key: str) -> Path:
    if key.startswith(DATA_PREFIX):
        return _absolute(data_dir() / key.removeprefix(DATA_PREFIX))
    if Path(key).is_absolute():
        return Path(key)
    return _absolute(LAPSTACK_LANDING_DIR.get() / key)
