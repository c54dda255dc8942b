"""`lapstack load PATH...`: every recognised file kind under the paths, each file its own transaction.

One read of each file's first line decides what it is (the registry's signatures, over every family);
exactly one kind must match. Laps land first (sessions exist before their side files and telemetry), then
the official side files, then GR Cup lap events, then telemetry. A file of no known kind is skipped with its
reason; a file that fails names file:line:column and never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from core.errors import LoadError
from core.registry import LAPS, REGISTRY, TELEMETRY
from core.warehouse import Warehouse
from loaders.laps import csvread
from loaders.laps.detect import parse_file
from loaders.laps.model import Overrides
from loaders.laps.store import ExcerptOfLoaded, store
from loaders.official.load import load_side
from loaders.official.load import recognise as recognise_official

DATA_SUFFIXES = {".csv", ".jsonl", ".json", ".parquet", ".txt"}
ORDER = {"laps": 0, "official": 1, "lap_events": 2, "telemetry": 3}


@dataclass
class FileKind:
    path: Path
    family: str  # laps | official | lap_events | telemetry
    format: str


@dataclass
class Outcome:
    path: Path
    family: str
    format: str
    status: str  # loaded | unchanged
    rows: int
    sessions: list[str] = field(default_factory=list)


def _first_line(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.readline(1 << 16).decode("utf-8-sig", errors="replace").rstrip("\r\n")


def classify(path: Path) -> FileKind | str:
    """What the file is, or why it is skipped."""
    if path.suffix.lower() not in DATA_SUFFIXES:
        return f"not a data file ({path.suffix or 'no suffix'})"
    if path.suffix.lower() == ".parquet":
        return FileKind(path, "telemetry", "lapstack_telemetry_parquet")
    try:
        line = _first_line(path)
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if line.lstrip().startswith("{"):
        return FileKind(path, "laps", "lapstack")
    kinds: list[tuple[str, str]] = []
    for delimiter in csvread.DELIMITERS:
        fields = line.split(delimiter)
        kinds += [("laps", f) for f in REGISTRY.recognise(fields, None, LAPS)]
        kinds += [("lap_events" if f == "gr_cup_lap_events" else "telemetry", f)
                  for f in REGISTRY.recognise(fields, None, TELEMETRY)]
    kinds += [("official", f) for f in recognise_official(line, path.name)]
    kinds = list(dict.fromkeys(kinds))
    if not kinds:
        return "header matches no registered file format"
    if len(kinds) > 1:
        return f"ambiguous: header matches {', '.join(f for _, f in kinds)} (load it with an explicit form)"
    family, fmt = kinds[0]
    return FileKind(path, family, fmt)


def expand(paths: list[Path]) -> tuple[list[FileKind], list[tuple[Path, str]], list[LoadError]]:
    kinds: list[FileKind] = []
    skipped: list[tuple[Path, str]] = []
    errors: list[LoadError] = []
    for path in paths:
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file())
        elif path.exists():
            candidates = [path]
        else:
            errors.append(LoadError(path, None, None, "no such file or folder"))
            continue
        for candidate in candidates:
            found = classify(candidate.resolve())
            if isinstance(found, str):
                skipped.append((candidate, found))
            else:
                kinds.append(found)
    kinds.sort(key=lambda k: (ORDER[k.family], str(k.path)))
    return kinds, skipped, errors


def _load_one(wh: Warehouse, kind: FileKind, overrides: Overrides, replace: bool) -> Outcome:
    if kind.family == "laps":
        res = store(wh, parse_file(kind.path, kind.format, overrides), replace=replace)
        return Outcome(kind.path, kind.family, res.format, res.status, res.rows, res.sessions)
    if kind.family == "official":
        res = load_side(wh, kind.path, kind.format, overrides, replace=replace)
        return Outcome(kind.path, kind.family, res.format, res.status, res.rows, res.sessions)
    from loaders.telemetry.load import load_file

    tel = load_file(wh, kind.path, overrides, replace=replace, show_progress=False)
    return Outcome(kind.path, kind.family, tel.format, tel.status, tel.rows, tel.sessions)


def load_everything(wh: Warehouse, paths: list[Path], overrides: Overrides | None = None, *,
                    replace: bool = False) -> tuple[list[Outcome], list[tuple[Path, str]], list[LoadError]]:
    overrides = overrides or Overrides()
    kinds, skipped, errors = expand(paths)
    outcomes: list[Outcome] = []
    for kind in kinds:
        try:
            outcomes.append(_load_one(wh, kind, overrides, replace))
        except ExcerptOfLoaded as exc:
            skipped.append((kind.path, exc.message))
        except LoadError as exc:
            errors.append(exc)
    return outcomes, skipped, errors
