"""The gap report as a small JSON file beside the quota ledger: written by the daily refresh, read by the sensor.

The sensor must not call the API (the schedule is one call); it plans from this file and the ledger.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from core.settings import LAPSTACK_FASTF1_GAP_REPORT
from loaders.fastf1.config import ImportConfig
from loaders.fastf1.gaps import GapReport


@dataclass(frozen=True)
class PlannedGap:
    session_id: str
    label: str
    kind: str
    reason: str
    estimate: dict[str, int]


@dataclass(frozen=True)
class StoredGapReport:
    season: int
    generated_at: float  # epoch seconds
    gaps: list[PlannedGap]


def gap_report_path(cfg: ImportConfig) -> Path:
    return LAPSTACK_FASTF1_GAP_REPORT.get() or cfg.ledger_path.parent / "fastf1_gap_report.json"


def write_gap_report(path: Path, report: GapReport, generated_at: float) -> StoredGapReport:
    stored = StoredGapReport(report.season, generated_at, [
        PlannedGap(g.planned.session_id, g.planned.label, g.planned.kind, g.reason, dict(g.estimate))
        for g in report.gaps])
    payload = {"season": stored.season, "generated_at": generated_at,
               "generated_at_utc": dt.datetime.fromtimestamp(generated_at, dt.UTC).isoformat(),
               "gaps": [g.__dict__ for g in stored.gaps]}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(payload, indent=1))
    tmp.replace(path)  # atomic: the sensor never reads half a report
    return stored


def read_gap_report(path: Path) -> StoredGapReport | None:
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    return StoredGapReport(int(data["season"]), float(data["generated_at"]),
                           [PlannedGap(**gap) for gap in data["gaps"]])
