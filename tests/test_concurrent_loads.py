"""Two `lapstack load laps` of one real file at the same time: one load, one `unchanged`, never doubled rows.

Real processes (`sys.executable -m commands.cli`), started together, on the real Postgres server and on
DuckDB; plus the repair of a warehouse that an older lapstack left with a session registered twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from core.settings import PROJECT_ROOT
from core.warehouse import connect

BARBER_R1 = Path("gr_cup") / "barber" / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
BARBER_R1_ID = "gr_cup-2025-barber-race_1"
BARBER_R1_ROWS = 579  # lap rows of the real file
REPETITIONS = 20


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    env["DO_NOT_TRACK"] = "1"
    return env


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "commands.cli", *args], cwd=PROJECT_ROOT, env=_cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=180)
    return proc.returncode, out, err


def _status(out: str) -> str:
    return out.split()[0] if out.strip() else ""


def _state(session_id: str) -> tuple[int, int, int]:
    """(raw.sessions rows, lap rows, active batches) of one session."""
    wh = connect()
    try:
        sessions = wh.query("select count(*) from raw.sessions where session_id = ?", (session_id,))[0][0]
        laps = wh.query("select count(*) from raw.gr_cup_laps where _session_id = ?", (session_id,))[0][0]
        active = wh.query("select count(*) from raw.load_batches where status = 'active'")[0][0]
    finally:
        wh.close()
    return sessions, laps, active


def _pg(dbname: str) -> psycopg.Connection:
    return psycopg.connect(host=os.environ.get("PGHOST", "127.0.0.1"), port=int(os.environ.get("PGPORT", 5432)),
                           user=os.environ.get("PGUSER", "postgres"), dbname=dbname, autocommit=True)


@pytest.mark.postgres
def test_concurrent_loads_of_one_file_on_postgres(postgres_env: str, data_dir: Path) -> None:
    """20 races of two processes; odd ones start from an empty database (they also race on the raw DDL)."""
    path = str(data_dir / BARBER_R1)
    outcomes = []
    started = time.monotonic()
    for rep in range(REPETITIONS):
        with _pg(postgres_env) as admin:
            if rep % 2:
                admin.execute("drop schema if exists raw cascade")
            else:
                admin.execute("do $$ begin if exists (select 1 from pg_namespace where nspname = 'raw') then "
                              "delete from raw.gr_cup_laps; delete from raw.sessions; delete from raw.load_batches; "
                              "end if; end $$")
        procs = [_start("load", "laps", path), _start("load", "laps", path)]
        results = [_finish(p) for p in procs]
        for rc, out, err in results:
            assert rc == 0, (rep, out, err)
        statuses = sorted(_status(out) for _, out, _ in results)
        assert statuses == ["loaded", "unchanged"], (rep, results)
        assert _state(BARBER_R1_ID) == (1, BARBER_R1_ROWS, 1), rep
        outcomes.append(statuses)
    assert len(outcomes) == REPETITIONS
    print(f"{REPETITIONS} concurrent pairs on Postgres in {time.monotonic() - started:.1f} s")


@pytest.mark.postgres
def test_session_key_refuses_a_second_row_on_postgres(postgres_env: str, data_dir: Path) -> None:
    from commands.cli import main

    assert main(["load", "laps", str(data_dir / BARBER_R1)]) == 0
    with _pg(postgres_env) as admin, pytest.raises(psycopg.errors.UniqueViolation):
        admin.execute("insert into raw.sessions select * from raw.sessions")


def test_concurrent_loads_of_one_file_on_duckdb(duckdb_env: Path, data_dir: Path) -> None:
    """DuckDB has one writing process per file: the other one either ran after it (unchanged) or is told
    clearly who holds the lock; the warehouse is never doubled or corrupted."""
    path = str(data_dir / BARBER_R1)
    seen: set[str] = set()
    for rep in range(6):
        if rep and duckdb_env.exists():
            duckdb_env.unlink()
        procs = [_start("load", "laps", path), _start("load", "laps", path)]
        results = [_finish(p) for p in procs]
        loaded = 0
        for rc, out, err in results:
            if rc == 0:
                assert _status(out) in ("loaded", "unchanged"), (out, err)
                loaded += _status(out) == "loaded"
                seen.add(_status(out))
            else:
                assert "is locked by process" in err and "one writing process per file" in err, err
                assert "Nothing was written" in err
                seen.add("locked")
        assert loaded == 1, (rep, results)
        assert _state(BARBER_R1_ID) == (1, BARBER_R1_ROWS, 1), rep
    assert "loaded" in seen


def test_duckdb_lock_message_names_the_holder(duckdb_env: Path, data_dir: Path) -> None:
    duckdb_env.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('ready', flush=True); time.sleep(60)", str(duckdb_env)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        rc, out, err = _finish(_start("load", "laps", str(data_dir / BARBER_R1)))
    finally:
        holder.kill()
        holder.wait()
    assert rc == 1, (out, err)
    assert f"is locked by process {holder.pid} (" in err and "import duckdb" in err, err
    assert f"`kill {holder.pid}`" in err and str(duckdb_env) in err
    assert "Traceback" not in err
    # Once the holder is gone the same command works.
    rc, out, err = _finish(_start("load", "laps", str(data_dir / BARBER_R1)))
    assert rc == 0 and _status(out) == "loaded", err


def _double_the_session(wh) -> None:
    """What concurrent loads of an older lapstack left: two registry rows, the laps twice, two active batches."""
    from core.raw_schema import SESSION_KEY_INDEX

    wh.execute(f"drop index if exists raw.{SESSION_KEY_INDEX}")
    wh.execute("insert into raw.gr_cup_laps select * from raw.gr_cup_laps")
    wh.execute("insert into raw.load_batches select 'x' || batch_id, source_file, source_sha256, format, "
               "session_count, row_count, loaded_at, status from raw.load_batches")
    wh.execute("insert into raw.sessions select session_id, series, season, event, session_name, source_format, "
               "raw_table, 'x' || batch_id, source_file, source_sha256, version, is_deleted, updated_at "
               "from raw.sessions")


@pytest.mark.parametrize("target", ["duckdb", "postgres"])
def test_delete_session_repairs_a_doubled_session(target: str, request: pytest.FixtureRequest, data_dir: Path,
                                                  capsys: pytest.CaptureFixture) -> None:
    from commands.cli import main
    from core.raw_schema import doubled_sessions

    request.getfixturevalue("duckdb_env" if target == "duckdb" else "postgres_env")
    path = str(data_dir / BARBER_R1)
    assert main(["load", "laps", path]) == 0
    wh = connect()
    try:
        _double_the_session(wh)
        assert doubled_sessions(wh) == [BARBER_R1_ID]
    finally:
        wh.close()
    assert _state(BARBER_R1_ID) == (2, 2 * BARBER_R1_ROWS, 2)
    capsys.readouterr()

    # Loading again refuses and says how to repair; the warning names the session.
    assert main(["load", "laps", path]) == 1
    err = capsys.readouterr().err
    assert f"registers 1 session(s) twice (concurrent loads before the session key existed): {BARBER_R1_ID}" in err
    assert f"repair it with `lapstack delete session {BARBER_R1_ID}`" in err
    assert main(["delete", "driver", BARBER_R1_ID, "13"]) == 1
    assert "repair it first" in capsys.readouterr().err

    # The repair: one deleted registry row, no laps, no active batch, and the unique key is back.
    assert main(["delete", "session", BARBER_R1_ID]) == 0
    assert f"{2 * BARBER_R1_ROWS} laps" in capsys.readouterr().out
    wh = connect()
    try:
        rows = wh.query("select version, is_deleted from raw.sessions where session_id = ?", (BARBER_R1_ID,))
        assert rows == [(2, True)]
        assert doubled_sessions(wh) == []
    finally:
        wh.close()
    assert _state(BARBER_R1_ID) == (1, 0, 0)
    assert main(["load", "laps", path]) == 0
    assert capsys.readouterr().out.startswith("loaded")
    assert _state(BARBER_R1_ID) == (1, BARBER_R1_ROWS, 1)
    wh = connect()
    try:
        with pytest.raises(Exception, match="(?i)duplicate key|unique"):
            wh.execute("insert into raw.sessions select * from raw.sessions")
    finally:
        wh.close()
