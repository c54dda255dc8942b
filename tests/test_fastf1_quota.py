"""The shared FastF1 quota ledger: limits hold across processes, imports stop or pause and resume cleanly."""

from __future__ import annotations

import multiprocessing
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from loaders.fastf1.ledger import AlreadyClaimed, Ledger, QuotaExhausted, parse_limits
from tests.test_fastf1_helpers import GUARD_SNIPPET, forbid_network, lapstack, replay_dir

AZERBAIJAN_LAPS = {"f1-2023-azerbaijan_grand_prix-qualifying": 356,
                   "f1-2023-azerbaijan_grand_prix-sprint_shootout": 233,
                   "f1-2023-azerbaijan_grand_prix-sprint": 308}


def _worker(path: str, worker: int, planned_at: float, results) -> None:
    ledger = Ledger(Path(path), parse_limits("all=50/3600"))
    loaded = 0
    for n in range(10):
        try:
            rid = ledger.reserve(f"session-{n}", "Race", {"all": 7}, f"run-{worker}", planned_at)
        except AlreadyClaimed:
            continue
        except QuotaExhausted:
            break
        for _ in range(7):
            ledger.record_call("livetiming.formula1.com", f"/static/{n}", rid, f"run-{worker}")
        ledger.close_reservation(rid, "ok")
        loaded += 1
    results.put(loaded)


def test_concurrent_reservations_never_exceed_the_limit(tmp_path):
    path = tmp_path / "quota.sqlite"
    Ledger(path).close()
    # All four runs plan from the same state at the same moment, as concurrent imports do: a run's plan
    # excludes what was loaded before it planned (read from the warehouse, which these workers skip), so
    # taking the clock inside each worker would let a late-starting process re-plan a session that an
    # earlier one finished before it even began (seen once under a load average of 8).
    planned_at = time.time()
    results = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_worker, args=(str(path), w, planned_at, results)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    loaded = [results.get(timeout=5) for _ in procs]
    with sqlite3.connect(path) as conn:
        calls = conn.execute("select count(*) from calls").fetchone()[0]
        per_key = conn.execute("select session_key, count(*) from reservations where outcome = 'ok' "
                               "group by session_key").fetchall()
    assert calls == 49 and sum(loaded) == 7  # 7 loads of 7 calls fit under 50; the 8th never starts
    assert all(count == 1 for _, count in per_key)  # no session loaded twice


def test_requests_past_the_limit_are_refused_and_quota_reports(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LAPSTACK_FASTF1_LEDGER", str(tmp_path / "quota.sqlite"))
    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(tmp_path / "wh" / "lapstack.duckdb"))
    ledger = Ledger(tmp_path / "quota.sqlite", parse_limits("all=5/3600,jolpica=2/3600"))
    ledger.record_call("api.jolpi.ca", "/ergast/f1/2023.json", None, "r")
    ledger.record_call("api.jolpi.ca", "/ergast/f1/2023/1/results.json", None, "r")
    with pytest.raises(QuotaExhausted) as exc:
        ledger.record_call("api.jolpi.ca", "/ergast/f1/2023/2/results.json", None, "r")
    assert exc.value.limit.name == "jolpica"
    for _ in range(3):
        ledger.record_call("livetiming.formula1.com", "/static/x", None, "r")
    with pytest.raises(QuotaExhausted):
        ledger.record_call("livetiming.formula1.com", "/static/y", None, "r")
    assert ledger.total_calls() == 5
    ledger.close()
    assert lapstack("quota", "--quota", "all=5/3600,jolpica=2/3600") == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line.split()[1:6] for line in out.splitlines()[2:]}
    assert rows["jolpica"] == ["jolpi.ca", "3600s", "2", "0", "0"]
    assert rows["all"] == ["*", "3600s", "5", "0", "0"]


def _window_calls(ledger_path: Path, window: float = 3600.0) -> int:
    with sqlite3.connect(ledger_path) as conn:
        return conn.execute("select count(*) from calls where ts > (select max(ts) from calls) - ?",
                            (window,)).fetchone()[0]


def _age_ledger(ledger_path: Path, seconds: float) -> None:
    """Let time pass for the ledger: every recorded call moves `seconds` into the past."""
    with sqlite3.connect(ledger_path) as conn:
        conn.execute("update calls set ts = ts - ?", (seconds,))
        conn.execute("update reservations set created_ts = created_ts - ?, heartbeat_ts = heartbeat_ts - ?, "
                     "closed_ts = closed_ts - ?", (seconds, seconds, seconds))


def _laps(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as conn:
        return dict(conn.execute("select _session_id, count(*) from raw.fastf1_api_laps group by 1").fetchall())


def test_quota_of_30_stops_before_the_31st_call_and_resumes(data_dir, duckdb_env, monkeypatch, capsys):
    replay = replay_dir(data_dir)
    attempts = forbid_network(monkeypatch)
    ledger = duckdb_env.parent / "fastf1_quota.sqlite"
    args = ["fastf1", "import", "--season", 2023, "--round", 4, "--replay", replay, "--quota", "all=30/3600"]
    # --max-calls: the second session could take this run past 25 calls, so it never starts.
    assert lapstack(*args, "--max-calls", 25) == 3
    out = capsys.readouterr().out
    assert "sessions processed:   1" in out and "--max-calls 25" in out
    runs = 0
    while True:
        code = lapstack(*args, "--no-wait")
        runs += 1
        assert _window_calls(ledger) <= 30
        if code == 0:
            break
        assert code == 3 and "stopped early (resumable" in capsys.readouterr().out
        assert runs < 8
        _age_ledger(ledger, 3600)
    assert runs >= 2
    assert _laps(duckdb_env) == AZERBAIJAN_LAPS
    with duckdb.connect(str(duckdb_env), read_only=True) as conn:
        per_session = conn.execute("select session_id, count(*) from raw.fastf1_api_import_log group by 1").fetchall()
    assert len(per_session) == 5 and all(n == 1 for _, n in per_session)
    assert attempts == []


def _import_process(replay: Path, env: dict[str, str]) -> subprocess.Popen:
    code = GUARD_SNIPPET + "\nimport sys\nfrom commands.cli import main\nsys.exit(main(sys.argv[1:]))\n"
    return subprocess.Popen(
        [sys.executable, "-c", code, "fastf1", "import", "--season", "2023", "--round", "4", "--replay",
         str(replay), "--quota", "all=40/8", "--wait"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_processes_share_the_quota_and_never_load_a_session_twice(data_dir, duckdb_env):
    replay = replay_dir(data_dir)
    env = dict(os.environ)
    procs = [_import_process(replay, env) for _ in range(2)]
    outputs = [p.communicate(timeout=240) for p in procs]
    for p, (out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out + err[-3000:]
        assert "network access attempted" not in err
    ledger = duckdb_env.parent / "fastf1_quota.sqlite"
    with sqlite3.connect(ledger) as conn:
        stamps = [ts for (ts,) in conn.execute("select ts from calls order by ts")]
    assert max(sum(1 for s in stamps if t - 8 < s <= t) for t in stamps) <= 40  # never over 40 in any 8 s
    with duckdb.connect(str(duckdb_env), read_only=True) as conn:
        per_session = conn.execute("select session_id, count(*) from raw.fastf1_api_import_log group by 1").fetchall()
    assert len(per_session) == 5 and all(n == 1 for _, n in per_session)
    assert _laps(duckdb_env) == AZERBAIJAN_LAPS
    joined = "".join(out for out, _ in outputs)
    assert joined.count("sessions processed:") == 2
    # 88 calls cannot pass a 40-per-8s limit without waiting: the runs paused rather than overrun.
    pauses = sum(int(m) for m in re.findall(r"rate-limit pauses: +(\d+)", joined))
    assert pauses >= 1
