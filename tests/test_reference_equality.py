"""The marts agree with the independent pandas reference on every real session (floats to 1 ms)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.warehouse import connect
from loaders.laps.load import load_paths
from loaders.laps.model import Overrides
from tests.conftest import dbt
from tests.mart_compare import compare_session


def gr_cup_files(data: Path) -> list[Path]:
    return sorted(p for p in (data / "gr_cup").rglob("23_AnalysisEnduranceWithSections_*.CSV")
                  if "Samples" not in p.parts)


def _load_build_compare(paths: list[Path], expected_sessions: int, *build_args: str) -> None:
    wh = connect()
    try:
        results, errors = load_paths(wh, paths, None, Overrides())
        assert not errors, errors
        assert sum(len(r.sessions) for r in results) == expected_sessions
    finally:
        wh.close()
    dbt("build", *build_args)
    wh = connect()
    try:
        sessions = [r[0] for r in wh.query("select session_id from marts.session_summary order by session_id")]
        assert len(sessions) == expected_sessions
        problems = [p for sid in sessions for p in compare_session(wh, sid)]
    finally:
        wh.close()
    assert problems == [], f"{len(problems)} discrepancies, first: {problems[:15]}"


def test_every_gr_cup_and_f1_2023_session_matches_reference(data_dir: Path, duckdb_env: Path) -> None:
    files = gr_cup_files(data_dir) + sorted((data_dir / "f1_2023_fastf1").glob("*/laps.csv"))
    assert len(files) == 28
    _load_build_compare(files, 28)  # the whole project builds on real data, not only the lap path


def test_every_ergast_race_matches_reference(data_dir: Path, duckdb_env: Path) -> None:
    _load_build_compare([data_dir / "ergast" / "lap_times_2020_2024.csv"], 107, "--selector", "lap_path")


@pytest.mark.postgres
def test_every_session_matches_reference_on_postgres(data_dir: Path, postgres_env: str) -> None:
    files = gr_cup_files(data_dir) + sorted((data_dir / "f1_2023_fastf1").glob("*/laps.csv"))
    _load_build_compare(files, 28)


@pytest.mark.postgres
def test_every_ergast_race_matches_reference_on_postgres(data_dir: Path, postgres_env: str) -> None:
    _load_build_compare([data_dir / "ergast" / "lap_times_2020_2024.csv"], 107, "--selector", "lap_path")
