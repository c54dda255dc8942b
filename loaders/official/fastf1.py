"""FastF1 DataFrame exports beside `laps.csv`: `results.csv`, `weather_data.csv`, `track_status.csv`.

The session is the one the laps loader gives the folder (`loaders.laps.fastf1_laps.infer_session`:
`race_info.csv` names event and date); results rows are keyed by the driver's three-letter code, as laps.
"""

from __future__ import annotations

from core.registry import REGISTRY
from loaders.laps import csvread
from loaders.laps.fastf1_laps import infer_session
from loaders.laps.model import Overrides
from loaders.official.sidefile import SideFile, read


def parse(tf: csvread.TextFile, fmt_name: str, overrides: Overrides) -> SideFile:
    source = REGISTRY.get(fmt_name)
    fmt = source.formats[0]
    info = infer_session(tf.path, overrides, None)
    return read(tf, source, fmt, session=lambda ctx, row: info,
                key=(lambda ctx, row: ctx.get("Abbreviation", "")) if source.row_key else None)
