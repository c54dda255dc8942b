"""What every lap parser hands to the writer: sessions with their raw rows, ready to land."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.errors import LoadError


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_text.lower()).strip("_") or "unknown"


@dataclass(frozen=True)
class SessionInfo:
    series: str
    season: int | None
    event: str
    session_name: str

    @property
    def session_id(self) -> str:
        """Stable and readable: the same session from any file or target gets the same id."""
        season = str(self.season) if self.season is not None else "na"
        return "-".join([slug(self.series), season, slug(self.event), slug(self.session_name)])


@dataclass
class Overrides:
    series: str | None = None
    season: int | None = None
    event: str | None = None
    session: str | None = None

    def apply(self, info: SessionInfo) -> SessionInfo:
        return SessionInfo(
            series=self.series or info.series,
            season=self.season if self.season is not None else info.season,
            event=self.event or info.event,
            session_name=self.session or info.session_name,
        )


@dataclass
class ParsedSession:
    info: SessionInfo
    rows: pd.DataFrame  # original columns as text, plus _driver and _source_line


def session_rows(info: SessionInfo, records: list[dict[str, object]], raw_columns: list[str]) -> ParsedSession:
    """One session's parsed records in the shape the writer lands: the raw table's columns as text, then the
    `_driver` and `_source_line` every parser adds. One constructor, so no parser can order them differently."""
    return ParsedSession(info, pd.DataFrame.from_records(records, columns=raw_columns + ["_driver", "_source_line"]))


@dataclass
class ParsedFile:
    path: Path
    sha256: str
    format: str
    raw_table: str
    sessions: list[ParsedSession] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sessions)


_SESSION_PATTERNS = [
    (re.compile(r"\b(?:race|r)[ _-]?(\d)\b", re.I), "Race {}"),
    (re.compile(r"\bsprint[ _-]?shootout\b", re.I), "Sprint Shootout"),
    (re.compile(r"\bsprint[ _-]?qualifying\b", re.I), "Sprint Qualifying"),
    (re.compile(r"\bsprint\b", re.I), "Sprint"),
    (re.compile(r"\b(?:qualifying|quali|q)[ _-]?(\d)\b", re.I), "Qualifying {}"),
    (re.compile(r"\b(?:qualifying|quali)\b", re.I), "Qualifying"),
    (re.compile(r"\b(?:practice|fp)[ _-]?(\d)\b", re.I), "Practice {}"),
    (re.compile(r"\brace\b", re.I), "Race"),
]
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
_NOT_EVENT_DIRS = re.compile(r"^(samples?|data|timing|results?|laps|csv|exports?|raw|race|races|\d+)$", re.I)


def session_from_text(text: str) -> str | None:
    """`Race 1`, `R2`, `Qualifying`, ... from a file or folder name; None when nothing matches."""
    cleaned = text.replace("_", " ")
    for pattern, template in _SESSION_PATTERNS:
        match = pattern.search(cleaned)
        if match:
            return template.format(*match.groups())
    return None


def session_from_path(path: Path) -> str | None:
    """The file name first, then the nearest folder that names a session (`Race 1/`)."""
    for text in (path.stem, *reversed(path.parent.parts[-3:])):
        found = session_from_text(text)
        if found:
            return found
    return None


def season_from_path(path: Path) -> int | None:
    """A year written in the file or folder names, nearest first."""
    for part in reversed(path.resolve().parts):
        match = _YEAR.search(part)
        if match:
            return int(match.group(1))
    return None


def event_from_path(path: Path) -> str | None:
    """The nearest folder that names a place rather than a session or a generic bucket."""
    for part in reversed(path.resolve().parent.parts):
        name = part.strip()
        if not name or session_from_text(name) or _NOT_EVENT_DIRS.match(name) or _YEAR.fullmatch(name):
            continue
        return re.sub(r"^\d+_", "", name)
    return None


def require(path: Path, value: str | None, what: str, flag: str) -> str:
    if not value:
        raise LoadError(path, None, None, f"cannot infer the {what} from the path or file; pass {flag}")
    return value
