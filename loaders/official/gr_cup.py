"""GR Cup / Al Kamel official side files beside the analysis laps (`;`-separated, same session rules as the laps).

The session comes from `loaders.laps.gr_cup.infer_session` (folders, file name, the ECU files' timestamps),
so a results file and the laps of the same race share one session id. The per-row key is the car number;
a number repeating within one file (two entries sharing a number) becomes `3#2`, as in the laps.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.registry import REGISTRY
from loaders.laps import csvread
from loaders.laps.gr_cup import infer_session
from loaders.laps.model import Overrides, SessionInfo
from loaders.official.sidefile import RowContext, SideFile, read

_OFFICIAL = re.compile(r"official", re.I)
_PROVISIONAL = re.compile(r"provisional", re.I)


def result_status(file_name: str) -> str:
    """official | provisional | unspecified, from the file's own name (Al Kamel writes it there)."""
    if _OFFICIAL.search(file_name):
        return "official"
    if _PROVISIONAL.search(file_name):
        return "provisional"
    return "unspecified"


def _car_key() -> Callable[[RowContext, csvread.Row], str]:
    seen: dict[str, int] = {}

    def key(ctx: RowContext, row: csvread.Row) -> str:
        number = ctx.get("NUMBER", "")
        if not number:
            return ""
        seen[number] = seen.get(number, 0) + 1
        return number if seen[number] == 1 else f"{number}#{seen[number]}"
    return key


# format -> (raw table, whether rows carry a result status)
TABLES = {
    "gr_cup_results": ("gr_cup_results", True),
    "gr_cup_results_by_class": ("gr_cup_results_by_class", True),
    "gr_cup_best_laps": ("gr_cup_best_laps", False),
    "gr_cup_weather": ("gr_cup_weather", False),
}


def parse(tf: csvread.TextFile, fmt_name: str, overrides: Overrides) -> SideFile:
    table, has_status = TABLES[fmt_name]
    source = REGISTRY.get(table)
    fmt = next(f for f in source.formats if f.name == fmt_name)
    info: SessionInfo = infer_session(tf.path, overrides)
    status = result_status(tf.path.name)
    return read(tf, source, fmt, session=lambda ctx, row: info,
                key=_car_key() if source.row_key else None,
                extra_columns={"_result_status": lambda ctx: status} if has_status else None)
