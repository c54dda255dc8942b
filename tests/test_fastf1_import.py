"""FastF1 API import on the real recorded responses, served to the real `fastf1` through the replay."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb
import pytest

from tests.conftest import dbt
from tests.test_fastf1_helpers import count_replay, forbid_network, lapstack, replay_dir

# One worker builds the module's warehouse once and runs its tests (pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("fastf1_import")


def _ledger_calls(warehouse: Path) -> int:
    import sqlite3

    with sqlite3.connect(warehouse.parent / "fastf1_quota.sqlite") as conn:
        return conn.execute("select count(*) from calls").fetchone()[0]


def _fastf1_itself(replay: Path, cache: Path, season: int, rnd: int, name: str):
    """What `fastf1` returns for the same recorded session, loaded on its own with a fresh cache."""
    import fastf1

    from loaders.fastf1 import transport

    transport.configure_fastf1(cache)
    transport.install(replay)
    session = fastf1.get_session(season, rnd, name)
    session.load(laps=True, telemetry=False, weather=False, messages=False)
    fastest = session.laps.pick_fastest()
    return len(session.laps), fastest["Driver"], fastest["LapTime"].total_seconds()


@pytest.fixture(scope="module")
def weekend(data_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    """2023 Azerbaijan GP weekend and 2024 British GP FP1 imported through the CLI, then `dbt build`."""
    tmp = tmp_path_factory.mktemp("ff1_weekend")
    replay = replay_dir(data_dir)
    with pytest.MonkeyPatch.context() as mp:
        db = tmp / "warehouse" / "lapstack.duckdb"
        mp.setenv("LAPSTACK_TARGET", "duckdb")
        mp.setenv("LAPSTACK_DUCKDB_PATH", str(db))
        mp.setenv("DBT_TARGET_PATH", str(tmp / "dbt_target"))
        mp.setenv("DBT_LOG_PATH", str(tmp / "dbt_logs"))
        attempts = forbid_network(mp)
        served = count_replay(mp)
        assert lapstack("fastf1", "import", "--season", 2023, "--round", 4, "--replay", replay) == 0
        assert lapstack("fastf1", "import", "--season", 2024, "--round", 12, "--session", "Practice 1",
                        "--replay", replay) == 0
        first_served = len(served)
        dbt("run", "--select", "+session_summary", "stg_fastf1_api__weather")
        yield {"db": db, "replay": replay, "tmp": tmp, "mp": mp, "served": served, "first_served": first_served,
               "attempts": attempts}


def _q(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return conn.execute(sql, params).fetchall()


def _laps_match_fastf1_and_reach_the_marts(weekend):
    db, replay, tmp = weekend["db"], weekend["replay"], weekend["tmp"]
    cases = [(2023, 4, "Qualifying", "f1-2023-azerbaijan_grand_prix-qualifying"),
             (2024, 12, "Practice 1", "f1-2024-british_grand_prix-practice_1")]
    for season, rnd, name, sid in cases:
        laps, driver, fastest = _fastf1_itself(replay, tmp / f"ff1_own_{season}", season, rnd, name)
        assert _q(db, "select count(*) from raw.fastf1_api_laps where _session_id = ?", (sid,))[0][0] == laps
        assert _q(db, "select count(*) from marts.fct_laps where session_id = ? and source_format = 'fastf1_api'",
                  (sid,))[0][0] == laps
        summary = _q(db, "select fastest_lap_driver, fastest_lap_time, total_laps from marts.session_summary "
                         "where session_id = ?", (sid,))
        assert summary == [(driver, pytest.approx(fastest, abs=1e-6), laps)]
    # The real numbers, so a change in FastF1 or the replay cannot slip by unnoticed.
    assert _q(db, "select fastest_lap_driver, fastest_lap_time, total_laps from marts.session_summary "
                  "where session_id = 'f1-2023-azerbaijan_grand_prix-qualifying'") == [("LEC", 100.203, 356)]
    assert _q(db, "select fastest_lap_driver, fastest_lap_time, total_laps from marts.session_summary "
                  "where session_id = 'f1-2024-british_grand_prix-practice_1'") == [("NOR", 87.42, 459)]
    assert weekend["attempts"] == []


def _import_log_statuses_and_types(weekend):
    db = weekend["db"]
    log = dict(_q(db, "select session_name, status from raw.fastf1_api_import_log where season = 2023"))
    # Practice 1 and the Race have no recorded timing at all: failed, and nothing of theirs landed.
    assert log == {"Practice 1": "failed", "Qualifying": "partial", "Sprint Shootout": "partial",
                   "Sprint": "partial", "Race": "failed"}
    assert _q(db, "select status, types_missing from raw.fastf1_api_import_log where season = 2024") == [
        ("ok", "circuit_corners,circuit_marshal_lights,circuit_marshal_sectors,circuit_rotation,car_telemetry")]
    assert _q(db, "select count(*) from raw.sessions where session_id like 'f1-2023-azerbaijan%'")[0][0] == 3
    assert _q(db, "select count(*) from raw.fastf1_api_results where _session_id = "
                  "'f1-2023-azerbaijan_grand_prix-race'")[0][0] == 0
    weather = _q(db, "select count(*), min(air_temp_c), max(track_temp_c) from staging.stg_fastf1_api__weather "
                     "where session_id = 'f1-2024-british_grand_prix-practice_1'")[0]
    assert weather[0] == 81 and 10 < weather[1] < 30 and 15 < weather[2] < 50
    types = dict(_q(db, "select data_type, row_count from raw.fastf1_api_import_types where session_id = "
                        "'f1-2023-azerbaijan_grand_prix-qualifying'"))
    assert types["race_control_messages"] == 61 and types["session_status"] == 17 and types["track_status"] == 21
    assert types["weather"] == 0 and types["results"] == 20


def _second_import_makes_no_calls_and_ledger_counts_the_transport(weekend, capsys):
    db, replay, mp = weekend["db"], weekend["replay"], weekend["mp"]
    assert _ledger_calls(db) == weekend["first_served"]
    before = len(weekend["served"])
    assert lapstack("fastf1", "import", "--season", 2023, "--round", 4, "--replay", replay) == 0
    assert lapstack("fastf1", "import", "--season", 2024, "--round", 12, "--session", "Practice 1",
                    "--replay", replay) == 0
    assert len(weekend["served"]) == before
    assert "API calls:            0" in capsys.readouterr().out
    # --force reloads through FastF1's warm cache: only what the cache cannot answer (the 404s) goes out,
    # and the ledger charges exactly those.
    ledger_before = _ledger_calls(db)
    assert lapstack("fastf1", "import", "--season", 2024, "--round", 12, "--session", "Practice 1", "--force",
                    "--replay", replay) == 0
    sent = len(weekend["served"]) - before
    assert _ledger_calls(db) - ledger_before == sent
    assert 0 < sent < 14  # a cold load of this session is 13 calls + the schedule
    assert _q(db, "select count(*) from raw.fastf1_api_laps where _session_id = "
                  "'f1-2024-british_grand_prix-practice_1'")[0][0] == 459
    assert _q(db, "select version from raw.sessions where session_id = "
                  "'f1-2024-british_grand_prix-practice_1'")[0][0] == 2
    assert mp is not None


def _api_sessions_are_quality_checked(weekend):
    """The critical cross-layer checks cover API sessions (they silently skipped them before the registry)."""
    from core.warehouse import connect
    from expectations.runner import run_quality

    db, tmp = weekend["db"], weekend["tmp"]
    dbt("run", "--select", "+session_summary")  # the forced reload above bumped one session's version
    suites = ["layers__lap_row_counts", "freshness__lap_marts"]
    api = {r[0] for r in _q(db, "select session_id from raw.sessions where raw_table = 'fastf1_api_laps' "
                                "and not is_deleted")}
    assert len(api) == 4  # Azerbaijan Q, Sprint Shootout, Sprint and British FP1
    clean = run_quality(report_dir=tmp / "quality_clean", suites=suites)
    assert clean.success, [(s.suite, [f.check for f in s.failed_checks]) for s in clean.critical_failures]
    assert clean.suite("layers__lap_row_counts").rows_validated == len(api)
    assert clean.suite("freshness__lap_marts").rows_validated == len(api)
    # Corrupt one API session: laps lost on the way to fct_laps, and a raw load the marts have not seen.
    sid = "f1-2023-azerbaijan_grand_prix-qualifying"
    wh = connect()
    try:
        wh.execute("delete from marts.fct_laps where session_id = ? and lap_number <= 2", (sid,))
        wh.execute("update raw.sessions set version = version + 1 where session_id = ?", (sid,))
    finally:
        wh.close()
    broken = run_quality(report_dir=tmp / "quality_broken", suites=suites)
    assert not broken.success and broken.exit_code == 1
    lost = broken.suite("layers__lap_row_counts").outcome("no (session, driver, lap) is lost")
    assert not lost.success and {r["session_id"] for r in lost.examples} == {sid}
    stale = broken.suite("freshness__lap_marts").outcome("fct_laps is built from each session's latest load")
    assert not stale.success and {r["session_id"] for r in stale.examples} == {sid}


def test_weekend_import_matches_fastf1_reaches_marts_and_reruns_free(weekend, capsys):
    """One import of the weekend (it is the slow part), checked four ways in order."""
    _laps_match_fastf1_and_reach_the_marts(weekend)
    _import_log_statuses_and_types(weekend)
    _second_import_makes_no_calls_and_ledger_counts_the_transport(weekend, capsys)
    _api_sessions_are_quality_checked(weekend)


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_partial_and_failed_sessions_degrade_cleanly(data_dir, duckdb_env, monkeypatch, capsys):
    replay = replay_dir(data_dir)
    attempts = forbid_network(monkeypatch)
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = "T000/B000/not-a-real-token"
    monkeypatch.setenv("LAPSTACK_FASTF1_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/services/{secret}")
    try:
        # 2018 Azerbaijan race: timing without weather. 2023 Bahrain FP1: only a DriverList.
        assert lapstack("fastf1", "import", "--season", 2018, "--round", 4, "--session", "Race",
                        "--replay", replay) == 0
        assert lapstack("fastf1", "import", "--season", 2023, "--round", 1, "--session", "Practice 1",
                        "--replay", replay) == 0
        # 2020 Italian GP race: no timing, but weather, race control and Monza's circuit info.
        assert lapstack("fastf1", "import", "--season", 2020, "--round", 8, "--session", "Race",
                        "--replay", replay) == 0
    finally:
        server.shutdown()
    out = capsys.readouterr()
    assert secret not in out.out + out.err
    assert len(_Hook.received) == 3 and "FastF1 import 2018" in _Hook.received[0]["text"]
    db = duckdb_env
    log = {r[0]: r[1:] for r in _q(db, "select session_id, status, types_missing from raw.fastf1_api_import_log")}
    baku = log["f1-2018-azerbaijan_grand_prix-race"]
    assert baku[0] == "partial" and "weather" in baku[1].split(",")
    assert _q(db, "select count(*) from raw.fastf1_api_laps where _session_id = "
                  "'f1-2018-azerbaijan_grand_prix-race'")[0][0] == 848
    assert log["f1-2023-bahrain_grand_prix-practice_1"][0] == "failed"
    for table in ("fastf1_api_laps", "fastf1_api_results", "fastf1_api_race_control_messages"):
        assert _q(db, f"select count(*) from raw.{table} where _session_id = "
                      "'f1-2023-bahrain_grand_prix-practice_1'")[0][0] == 0
    assert _q(db, "select count(*) from raw.sessions where session_id = "
                  "'f1-2023-bahrain_grand_prix-practice_1'")[0][0] == 0
    monza = log["f1-2020-italian_grand_prix-race"]
    assert monza[0] == "partial" and "laps" in monza[1].split(",")
    corners = _q(db, "select count(*) from raw.fastf1_api_circuit_corners where _session_id = "
                     "'f1-2020-italian_grand_prix-race'")[0][0]
    assert corners == len(json.loads((replay / "api.multiviewer.app/api/v1/circuits/39/2020").read_text())["corners"])
    assert attempts == []


def test_gaps_leave_future_sessions_alone(data_dir, duckdb_env, monkeypatch, capsys):
    replay = replay_dir(data_dir)
    forbid_network(monkeypatch)
    assert lapstack("fastf1", "gaps", "--season", 2023, "--round", 4, "--replay", replay,
                    "--as-of", dt.datetime(2023, 4, 29, 12, 0).isoformat()) == 0
    out = capsys.readouterr().out
    assert "missing sessions: 3" in out
    assert "Practice 1 [missing]" in out and "Sprint Shootout [missing]" in out
    assert "- Sprint [" not in out and "- Race [" not in out
    assert "upcoming (not gaps): 2" in out
    assert "missing events: 1" in out and "Azerbaijan Grand Prix" in out
    assert "estimated HTTP calls to fill the gaps: all 60, jolpica 6" in out
