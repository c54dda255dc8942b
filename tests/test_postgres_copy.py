"""Postgres for real: the COPY binary loader keeps every value (mart indexes: tests/test_bi_role.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from commands.cli import main
from core.warehouse import connect

pytestmark = pytest.mark.postgres

F1_RACE = Path("f1_2023_fastf1") / "1_Sakhir" / "laps.csv"


def test_copy_binary_lands_the_file_exactly(postgres_env: str, data_dir: Path) -> None:
    """Every text cell of the real file arrives unchanged; empty cells arrive as NULL; typed lineage columns typed."""
    path = data_dir / F1_RACE
    assert main(["load", "laps", str(path)]) == 0
    source = pd.read_csv(path, dtype=str, keep_default_na=False)
    wh = connect()
    try:
        landed = wh.query_df("select * from raw.fastf1_laps order by _source_line")
        types = dict(wh.query("select column_name, data_type from information_schema.columns "
                              "where table_schema = 'raw' and table_name = 'fastf1_laps'"))
    finally:
        wh.close()
    assert len(landed) == len(source) == 1056
    assert landed["_source_line"].tolist() == list(range(2, 1058))
    assert types["_source_line"] == "integer" and types["_loaded_at"] == "timestamp without time zone"
    for column in ("Driver", "LapTime", "LapNumber", "PitInTime", "Compound", "TrackStatus"):
        expected = [None if v == "" else v for v in source[column]]
        assert landed[column.lower()].tolist() == expected, column
