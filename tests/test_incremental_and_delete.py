"""Incremental marts rebuild only changed sessions; deletes leave no trace after the next build."""

from __future__ import annotations

from pathlib import Path

import pytest

from commands.cli import main
from core.warehouse import connect
from tests.conftest import dbt
from tests.mart_compare import compare_session
from tests.warehouse_support import q, run

BARBER_R1 = "gr_cup/barber/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
BARBER_R2 = "gr_cup/barber/23_AnalysisEnduranceWithSections_Race 2_Anonymized.CSV"
SAKHIR = "f1_2023_fastf1/1_Sakhir/laps.csv"
SAKHIR_ID = "f1-2023-bahrain_grand_prix-race"
BARBER_R1_ID = "gr_cup-2025-barber-race_1"
# Every column of every mart that can name a driver.
DRIVER_COLUMNS = {
    "fct_laps": ["driver"],
    "session_driver_stats": ["driver"],
    "session_sector_highlights": ["driver", "fastest_driver", "slowest_driver"],
    "session_lap_highlights": ["driver", "fastest_total_driver", "slowest_total_driver"],
    "session_chart_matrix": ["driver"],
    "session_chart_json": ["chart_json"],
    "session_summary": ["fastest_lap_driver"],
}
MARTS = list(DRIVER_COLUMNS)




def _scenario(data_dir: Path) -> None:
    assert main(["load", "laps", str(data_dir / BARBER_R1), str(data_dir / SAKHIR)]) == 0
    dbt("build", "--selector", "lap_path")
    assert q("select total_laps, fastest_lap_driver from marts.session_summary where session_id = ?",
             (SAKHIR_ID,)) == [(1056, "ZHO")]

    # Tamper with a built row: an incremental build that re-read Sakhir would overwrite it.
    run("update marts.session_summary set total_laps = -1 where session_id = ?", (SAKHIR_ID,))
    wh = connect()
    try:
        assert any("total_laps" in p for p in compare_session(wh, SAKHIR_ID)), "the checker must see tampering"
    finally:
        wh.close()
    assert main(["load", "laps", str(data_dir / BARBER_R2)]) == 0
    dbt("build", "--selector", "lap_path")
    assert q("select session_id, total_laps from marts.session_summary order by session_id") == [
        (SAKHIR_ID, -1), (BARBER_R1_ID, 579), ("gr_cup-2025-barber-race_2", 602)]

    # Delete one driver: the session is recomputed without any trace of him.
    assert main(["delete", "driver", SAKHIR_ID, "VER"]) == 0
    dbt("build", "--selector", "lap_path")
    for mart, columns in DRIVER_COLUMNS.items():
        for column in columns:
            hits = q(f"select count(*) from marts.{mart} where session_id = ? and {column} like ?",
                     (SAKHIR_ID, "%VER%"))
            assert hits == [(0,)], (mart, column)
    assert q("select total_laps, total_drivers from marts.session_summary where session_id = ?",
             (SAKHIR_ID,)) == [(999, 19)]
    wh = connect()
    try:
        assert compare_session(wh, SAKHIR_ID) == []
    finally:
        wh.close()

    # Delete a whole session: gone from every mart and from dim_sessions.
    assert main(["delete", "session", BARBER_R1_ID]) == 0
    dbt("build", "--selector", "lap_path")
    for mart in [*MARTS, "dim_sessions"]:
        assert q(f"select count(*) from marts.{mart} where session_id = ?", (BARBER_R1_ID,)) == [(0,)], mart

    # Reloading the original file restores the deleted driver.
    assert main(["load", "laps", str(data_dir / SAKHIR)]) == 0
    dbt("build", "--selector", "lap_path")
    assert q("select total_laps, total_drivers from marts.session_summary where session_id = ?",
             (SAKHIR_ID,)) == [(1056, 20)]


def test_incremental_and_delete_on_duckdb(data_dir: Path, duckdb_env: Path) -> None:
    _scenario(data_dir)


@pytest.mark.postgres
def test_incremental_and_delete_on_postgres(data_dir: Path, postgres_env: str) -> None:
    _scenario(data_dir)


def test_delete_unknown_session_fails(duckdb_env: Path, capsys) -> None:
    assert main(["delete", "session", "f1-1999-nowhere-race"]) == 1
    assert "no loaded session" in capsys.readouterr().err
