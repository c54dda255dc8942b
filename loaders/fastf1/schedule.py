"""A season's sessions from FastF1's event schedule, named the way lapstack names F1 sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from loaders.laps.model import SessionInfo


@dataclass(frozen=True)
class PlannedSession:
    season: int
    round_number: int
    event: str
    session_name: str
    date_utc: dt.datetime | None  # naive UTC; None when the schedule has no date

    @property
    def session_id(self) -> str:
        # The same id every other F1 source gets, so an import and a file load meet in raw.sessions.
        return SessionInfo("f1", self.season, self.event, self.session_name).session_id

    @property
    def kind(self) -> str:
        """Sessions of one kind cost about the same number of calls: Practice 1-3 share one estimate."""
        return "Practice" if self.session_name.startswith("Practice") else self.session_name

    def is_past(self, as_of: dt.datetime) -> bool:
        return self.date_utc is not None and self.date_utc <= as_of

    @property
    def label(self) -> str:
        return f"{self.season} R{self.round_number} {self.event} - {self.session_name}"


def _utc(value: object) -> dt.datetime | None:
    if value is None or pd.isna(value):
        return None
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return stamp.to_pydatetime()


def season_sessions(season: int, round_number: int | None = None, session_name: str | None = None
                    ) -> list[PlannedSession]:
    """Every scheduled session (testing excluded), in running order; one HTTP call when not cached."""
    import fastf1

    schedule = fastf1.get_event_schedule(season, include_testing=False)
    sessions: list[PlannedSession] = []
    for _, event in schedule.iterrows():
        rnd = int(event["RoundNumber"])
        if round_number is not None and rnd != round_number:
            continue
        for n in range(1, 6):
            name = event.get(f"Session{n}")
            if not isinstance(name, str) or not name or name == "None":
                continue
            if session_name is not None and name.lower() != session_name.lower():
                continue
            sessions.append(PlannedSession(season, rnd, str(event["EventName"]), name,
                                           _utc(event.get(f"Session{n}DateUtc"))))
    sessions.sort(key=lambda s: (s.date_utc or dt.datetime.max, s.round_number))
    return sessions
