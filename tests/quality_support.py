"""Shared helpers of the data quality tests: real files, loads, and oracles computed from the files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from core.warehouse import connect
from loaders.laps.load import load_paths
from loaders.laps.model import Overrides

LAS_VEGAS = "f1_2023_fastf1/21_Las Vegas"
VIR_R1 = "gr_cup/virginia-international-raceway/VIR/Race 1"


def load_laps(paths: list[Path], overrides: Overrides | None = None) -> None:
    wh = connect()
    try:
        results, errors = load_paths(wh, paths, None, overrides or Overrides())
    finally:
        wh.close()
    assert not errors, errors
    assert results


def load_telemetry(paths: list[Path]) -> None:
    from loaders.telemetry.load import load_paths as load_tel

    wh = connect()
    try:
        results, errors = load_tel(wh, paths, Overrides())
    finally:
        wh.close()
    assert not errors, errors
    assert results


def ecu_lap_events(folder: Path) -> pd.DataFrame:
    """Every ECU lap event file of a folder, read straight from disk with pandas."""
    frames = []
    for path in sorted(folder.glob("*lap_*.csv")):
        frame = pd.read_csv(path)
        frame.columns = [c.strip().strip('"') for c in frame.columns]
        frame["kind"] = "lap_time" if "_lap_time" in path.name else "other"
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
