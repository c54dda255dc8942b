"""One colour and line style per driver, fixed for a whole session report.

Drivers are ordered by the session classification; the i-th gets DISTINCT[i % 20] and, past 20, a dashed
then dotted line. Where a team is known (any mart with a `team` / `team_name` column), teammates share
the team colour and the second teammate (in classification order) is dashed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

DISTINCT = ("#1f5fbf", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17a2b8",
            "#b8a600", "#555555", "#393b79", "#637939", "#c2185b", "#843c39", "#00897b", "#6d4c41",
            "#e6550d", "#5e35b1", "#7cb342", "#0277bd")
LINESTYLES = ("-", "--", ":")
# Team colours (F1 2023 liveries); matched on a lower-case fragment of the team name.
TEAM_COLOURS = (("red bull", "#3671c6"), ("mercedes", "#27b8a0"), ("ferrari", "#e8002d"), ("mclaren", "#ff8000"),
                ("aston martin", "#229971"), ("alpine", "#ff87bc"), ("williams", "#37bedd"),
                ("alphatauri", "#5e8faa"), ("rb f1", "#6692ff"), ("alfa romeo", "#c92d4b"),
                ("sauber", "#52e252"), ("haas", "#8a8d8f"))


@dataclass(frozen=True)
class DriverStyle:
    colour: str
    linestyle: str
    team: str | None = None


def team_colour(team: str) -> str:
    name = team.lower()
    for fragment, colour in TEAM_COLOURS:
        if fragment in name:
            return colour
    digest = int(hashlib.sha1(name.encode()).hexdigest(), 16)
    return DISTINCT[digest % len(DISTINCT)]


def driver_styles(order: list[str], teams: dict[str, str] | None = None) -> dict[str, DriverStyle]:
    teams = teams or {}
    styles: dict[str, DriverStyle] = {}
    seen_team: dict[str, int] = {}
    plain = 0
    for driver in order:
        team = teams.get(driver)
        if team:
            n = seen_team.get(team, 0)
            seen_team[team] = n + 1
            styles[driver] = DriverStyle(team_colour(team), LINESTYLES[min(n, 2)], team)
        else:
            styles[driver] = DriverStyle(DISTINCT[plain % len(DISTINCT)],
                                         LINESTYLES[(plain // len(DISTINCT)) % len(LINESTYLES)])
            plain += 1
    return styles
