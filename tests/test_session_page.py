"""marts.session_page serves a whole session page from one row: its JSON document must hold exactly what the
long marts hold (driver stats, sector and lap highlights, chart matrix, summary) and agree with the
independent pandas oracle (tests/oracle) on real sessions, on DuckDB and on Postgres.

DuckDB reuses the demo's warehouse (GR Cup Barber Race 1, 2023 Las Vegas GP); Postgres loads the largest real
session, the 2023 Austrian GP (1,354 laps), and builds only what session_page needs.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from commands.cli import main
from commands.session_page import read_session_page
from core.warehouse import Warehouse, connect
from tests.conftest import dbt
from tests.mart_compare import _diff_frames
from tests.oracle.raw_reader import compute_on_the_fly

IDENTITY = {"session_id", "series", "season", "event", "event_name", "session_name", "_session_version"}
# document array -> (long mart, its order)
ARRAYS = {
    "driver_stats": ("session_driver_stats", "driver"),
    "sector_highlights": ("session_sector_highlights", "sector, driver"),
    "lap_highlights": ("session_lap_highlights", "driver"),
}
AUSTRIA = "f1-2023-austrian_grand_prix-race"
LAS_VEGAS = "f1-2023-las_vegas_grand_prix-race"


def _equal(a: Any, b: Any) -> bool:
    """Same value: mart doubles are rounded to 1 ms, the document prints them with 3 decimals."""
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(a, b, rel_tol=0, abs_tol=1e-9)
    return a == b


def _rows(wh: Warehouse, mart: str, session_id: str, order: str) -> list[dict[str, Any]]:
    frame = wh.query_df(f"select * from marts.{mart} where session_id = ? order by {order}", (session_id,))
    return [{k: v for k, v in row.items() if k not in IDENTITY} for row in frame.astype(object)
            .where(frame.notna(), None).to_dict("records")]


def _mismatches(expected: list[dict[str, Any]], actual: list[dict[str, Any]], name: str) -> list[str]:
    if len(expected) != len(actual):
        return [f"{name}: {len(actual)} in the document vs {len(expected)} in the mart"]
    out = []
    for want, got in zip(expected, actual, strict=True):
        if list(want) != list(got):
            out.append(f"{name}: keys {list(got)} vs mart columns {list(want)}")
        out += [f"{name} {got.get('driver')}: {k} {got.get(k)!r} vs mart {v!r}"
                for k, v in want.items() if not _equal(v, got.get(k))]
    return out


def check_page(wh: Warehouse, session_id: str) -> dict[str, Any]:
    """The document equals the long marts value for value and the oracle to 1 ms; returns it."""
    page = read_session_page(wh, session_id)
    assert page is not None, f"no session_page row for {session_id}"
    problems: list[str] = []
    for key, (mart, order) in ARRAYS.items():
        problems += _mismatches(_rows(wh, mart, session_id, order), page[key], key)
    summary = _rows(wh, "session_summary", session_id, "session_id")
    problems += _mismatches(summary, [page["summary"]], "summary")
    matrix = wh.query("select driver, lap_number, lap_time from marts.session_chart_matrix where session_id = ? "
                      "order by driver, lap_number", (session_id,))
    laps = page["chart"]["laps"]
    from_doc = [(d["driver"], lap, t) for d in page["chart"]["drivers"] for lap, t in zip(laps, d["lap_times"],
                                                                                          strict=True)]
    problems += [f"chart: {a} vs mart {b}" for a, b in zip(from_doc, matrix, strict=False)
                 if a[:2] != b[:2] or not (a[2] == b[2] or _equal(a[2], b[2]))][:5]
    problems += [] if len(from_doc) == len(matrix) else [f"chart: {len(from_doc)} cells vs {len(matrix)}"]

    ref = compute_on_the_fly(wh, session_id)
    problems += _diff_frames("driver_stats", pd.DataFrame(page["driver_stats"])[ref.driver_stats.columns],
                             ref.driver_stats, ["driver"])
    problems += _diff_frames("sector_highlights", pd.DataFrame(page["sector_highlights"])[
        ref.sector_highlights.columns], ref.sector_highlights, ["sector", "driver"])
    problems += _diff_frames("lap_highlights", pd.DataFrame(page["lap_highlights"])[ref.lap_highlights.columns],
                             ref.lap_highlights, ["driver"])
    cells = pd.DataFrame(from_doc, columns=["driver", "lap_number", "lap_time"])
    problems += _diff_frames("chart", cells, ref.chart_matrix, ["driver", "lap_number"])
    assert problems == [], f"{len(problems)} discrepancies, first: {problems[:10]}"
    return page


@pytest.mark.xdist_group("demo_run")
def test_session_page_equals_marts_and_oracle_on_duckdb(demo_run, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert demo_run.code == 0, demo_run.output
    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(demo_run.duckdb_path))
    wh = connect("duckdb")
    try:
        sessions = [r[0] for r in wh.query("select session_id from marts.session_page order by session_id")]
        assert sessions == [LAS_VEGAS, "gr_cup-2025-barber-race_1"]
        vegas = check_page(wh, LAS_VEGAS)
        check_page(wh, "gr_cup-2025-barber-race_1")
    finally:
        wh.close()
    # The official record: Piastri set the 2023 Las Vegas GP's fastest lap, 1:35.490.
    assert (vegas["summary"]["fastest_lap_driver"], vegas["summary"]["fastest_lap_time"]) == ("PIA", 95.49)
    assert main(["session-page", LAS_VEGAS, "--json", "--target", "duckdb"]) == 0
    assert json.loads(capsys.readouterr().out) == vegas


@pytest.mark.postgres
def test_session_page_of_the_largest_real_session_on_postgres(data_dir: Path, postgres_env: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["load", "laps", str(data_dir / "f1_2023_fastf1" / "9_Spielberg" / "laps.csv")]) == 0
    dbt("run", "--select", "+session_page")
    wh = connect()
    try:
        assert wh.query("select count(*), sum(total_laps) from marts.session_page") == [(1, 1354)]
        page = check_page(wh, AUSTRIA)
    finally:
        wh.close()
    # The official record: Verstappen's fastest lap of the 2023 Austrian GP, 1:07.012 on lap 71.
    assert (page["summary"]["fastest_lap_driver"], page["summary"]["fastest_lap_time"],
            page["summary"]["fastest_lap_number"]) == ("VER", 67.012, 71)
    assert len(page["driver_stats"]) == 20 and len(page["chart"]["laps"]) == 71
    capsys.readouterr()
    assert main(["session-page", AUSTRIA]) == 0
    assert capsys.readouterr().out.splitlines()[3].split()[:2] == ["VER", "67.012"]
