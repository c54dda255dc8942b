"""The README's example queries run as written and give the real answers."""

from __future__ import annotations

from pathlib import Path

from commands.cli import main
from commands.mart_examples import EXAMPLES
from core.warehouse import connect
from tests.conftest import dbt

SQL = {e.name: e.sql for e in EXAMPLES}


def test_example_queries_on_real_sessions(data_dir: Path, duckdb_env: Path) -> None:
    f1 = data_dir / "f1_2023_fastf1"
    files = [f1 / "3_Melbourne/laps.csv", f1 / "9_Spielberg/laps.csv", f1 / "4_Baku/laps.csv",
             data_dir / "gr_cup/barber/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"]
    assert main(["load", "laps", *map(str, files)]) == 0
    dbt("build", "--selector", "lap_path")
    wh = connect()
    try:
        # The real 2023 fastest laps: Perez 1:20.235 (Melbourne), Verstappen 1:07.012, Russell 1:43.370 (Baku).
        assert wh.query(SQL["fastest_laps"], ("f1", 2023)) == [
            ("Australian Grand Prix", "Race", "PER", 80.235, 20),
            ("Austrian Grand Prix", "Race", "VER", 67.012, 20),
            ("Azerbaijan Grand Prix", "Race", "RUS", 103.37, 20)]
        ver = wh.query(SQL["driver_consistency"], ("f1", 2023, "VER"))
        assert [(r[0], r[3]) for r in ver] == [
            ("Australian Grand Prix", 80.342), ("Austrian Grand Prix", 67.012), ("Azerbaijan Grand Prix", 104.232)]
        sectors = wh.query(SQL["sector_comparison"], ("gr_cup-2025-barber-race_1", "13", "22"))
        assert sectors[:2] == [(1, "13", 26.592, 6, 26.592, "13", 0.0),
                               (1, "22", 26.644, 7, 26.592, "13", sectors[1][6])]
        assert abs(sectors[1][6] - 0.052) < 1e-9
    finally:
        wh.close()


def test_readme_shows_every_example_exactly_as_run() -> None:
    """Each example query appears in the README's sql blocks character for character, so the documented SQL is the
    tested SQL (the answers are checked in this file and in tests/test_race_picture.py)."""
    from core.settings import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text()
    assert [e.name for e in EXAMPLES if f"```sql\n{e.sql}\n```" not in readme] == []
