"""Asset keys, partitions and tags of the FastF1 import, shared by assets, sensor and schedules."""

from __future__ import annotations

from dagster import AssetKey, DynamicPartitionsDefinition

from core.registry import FASTF1_SESSIONS_ASSET
from core.settings import LAPSTACK_FASTF1_SEASON

FASTF1_SESSIONS_KEY = AssetKey(list(FASTF1_SESSIONS_ASSET))  # declared in the registry
GAP_REPORT_KEY = AssetKey(["raw", "fastf1_gap_report"])
# One partition per FastF1 session, keyed by lapstack's session id (f1-<season>-<event>-<session>).
fastf1_session_partitions = DynamicPartitionsDefinition(name="fastf1_sessions")
SESSION_TAG = "lapstack/fastf1_session"


def current_season() -> int:
    """LAPSTACK_FASTF1_SEASON, else this calendar year (UTC)."""
    return LAPSTACK_FASTF1_SEASON.get()


def season_of(session_id: str) -> int:
    parts = session_id.split("-")
    if len(parts) < 4 or parts[0] != "f1" or not parts[1].isdigit():
        raise ValueError(f"{session_id!r} is not a FastF1 session id (f1-<season>-<event>-<session>)")
    return int(parts[1])
