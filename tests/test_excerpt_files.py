"""A real excerpt of a loaded file (GR Cup `barber/Samples/`) is skipped with its reason, never an exit 1.

`lapstack load laps gr_cup/` used to exit 1 on every target: the Samples/ file holds the first 49 laps of
Barber Race 1, which resolves to the session the full file already loaded. Either order must work: the
excerpt after the full file is skipped; the full file after the excerpt supersedes it.
"""

from __future__ import annotations

import pytest

from commands.cli import main
from core.warehouse import connect


@pytest.mark.parametrize("env", ["duckdb_env", pytest.param("postgres_env", marks=pytest.mark.postgres)])
def test_samples_excerpt_is_skipped_either_order(env, request, data_dir, capsys) -> None:
    request.getfixturevalue(env)
    barber = data_dir / "gr_cup" / "barber"
    # the excerpt first, then the folder holding the full file and (again) the excerpt
    assert main(["load", "laps", str(barber / "Samples"), str(barber)]) == 0
    out = capsys.readouterr()
    assert "error" not in out.err
    excerpt = barber / "Samples" / "23_AnalysisEnduranceWithSections_Race_1_sample.CSV"
    assert f"skipped   {excerpt}: an excerpt of {barber / '23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV'}" \
           ": its 49 laps of session gr_cup-2025-barber-race_1 are all loaded from it already" in out.out
    wh = connect()
    try:
        laps = wh.query("select count(*) from raw.gr_cup_laps where _session_id = 'gr_cup-2025-barber-race_1'")
        source = wh.query("select source_file, version from raw.sessions "
                          "where session_id = 'gr_cup-2025-barber-race_1'")
    finally:
        wh.close()
    assert laps == [(579,)]  # the full race superseded the 49-lap excerpt loaded first
    assert source == [(str(barber / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"), 2)]
