"""Snowflake for real, through the fakesnow emulator the tests start on 127.0.0.1.

The same loaders and dbt project run on DuckDB, Postgres and Snowflake; every mart must come out equal
(times to 1 ms), on a first build and on an incremental re-run after a delete and a new session.
Every test runs under a timeout: on an HTTP 500 the Snowflake connector retries forever.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from commands.cli import main
from core.dbt_runner import run_dbt
from core.warehouse import connect
from tests.mart_compare import compare_session
from tests.snowflake_emulator import diff_marts, start_fakesnow

# 600 s: ~250 s alone, and the suite shares 2 cores with other work (on an HTTP 500 the connector retries forever)
pytestmark = [pytest.mark.snowflake, pytest.mark.timeout(600)]

SESSIONS = [
    Path("gr_cup") / "barber" / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV",
    Path("gr_cup") / "barber" / "23_AnalysisEnduranceWithSections_Race 2_Anonymized.CSV",
    Path("f1_2023_fastf1") / "1_Sakhir" / "laps.csv",
    Path("f1_2023_fastf1") / "2_Jeddah" / "laps.csv",
]
LATER_SESSION = Path("f1_2023_fastf1") / "3_Melbourne" / "laps.csv"


@pytest.fixture(scope="module")
def fakesnow_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    yield from start_fakesnow(tmp_path_factory.mktemp("fakesnow") / "fakesnow.log")


@pytest.fixture
def snowflake_env(fakesnow_port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database of its own on the emulator (tests never share state); the `fakesnow` target of profiles.yml."""
    monkeypatch.setenv("FAKESNOW_PORT", str(fakesnow_port))
    monkeypatch.setenv("SNOWFLAKE_DATABASE", f"LAPSTACK_{uuid.uuid4().hex[:8].upper()}")
    monkeypatch.setenv("SNOWFLAKE_DISABLE_PLATFORM_DETECTION", "true")
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "dbt_target_fakesnow"))
    monkeypatch.setenv("DBT_LOG_PATH", str(tmp_path / "dbt_logs_fakesnow"))
    return "fakesnow"


def _dbt(target: str, *args: str) -> str:
    result = run_dbt(list(args), target=target, capture=True)
    if result.returncode != 0:
        pytest.fail(f"dbt {' '.join(args)} on {target} failed:\n{result.stdout[-6000:]}")
    return re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # dbt colours its console output


def _load(target: str, paths: list[Path]) -> None:
    assert main(["load", "laps", *map(str, paths), "--target", target]) == 0


def test_snowflake_loader_lands_every_row(snowflake_env: str, data_dir: Path) -> None:
    """Stage + PUT + COPY INTO keeps every value: the raw rows equal the file, nulls stay null."""
    path = data_dir / SESSIONS[2]
    _load(snowflake_env, [path])
    _load(snowflake_env, [path])  # the same file again is a no-op, not a duplicate
    wh = connect(snowflake_env)
    try:
        count, lines, first, last, pit_in = wh.query(
            "select count(*), count(distinct _source_line), min(_source_line), max(_source_line), "
            "count(pitintime) from raw.fastf1_laps")[0]
        version = wh.query("select version from raw.sessions")
    finally:
        wh.close()
    with path.open() as fh:
        file_rows = sum(1 for _ in fh) - 1
    assert (count, lines, first, last) == (file_rows, file_rows, 2, file_rows + 1)
    assert file_rows == 1056
    assert 0 < pit_in < count  # PitInTime is set on in-laps only: empty cells arrived as NULL
    assert version == [(1,)]


def test_marts_equal_on_duckdb_postgres_and_snowflake(snowflake_env: str, duckdb_env: Path, postgres_env: str,
                                                      data_dir: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture) -> None:
    secret = f"pw-{uuid.uuid4().hex}"  # accepted by trust auth and the emulator; must never be written anywhere
    monkeypatch.setenv("SNOWFLAKE_PASSWORD", secret)
    monkeypatch.setenv("PGPASSWORD", secret)
    targets = ["duckdb", "postgres", snowflake_env]
    files = [data_dir / p for p in SESSIONS]

    def first_build(target: str) -> str:
        _load(target, files)
        return _dbt(target, "build")

    outputs = _on_every_target(targets, first_build)
    # dbt-snowflake itself connected to the emulator and built every model.
    assert "Registered adapter: snowflake=" in outputs[snowflake_env]
    assert re.search(r"Done\. PASS=\d+ WARN=0 ERROR=0", outputs[snowflake_env])
    _assert_marts_equal(targets, expected_sessions=4)

    # The marts are right, not merely equal: the independent pandas reference agrees on Snowflake too.
    wh = connect(snowflake_env)
    try:
        sessions = [r[0] for r in wh.query("select session_id from marts.session_summary")]
        problems = [p for sid in sessions for p in compare_session(wh, sid)]
        victim = wh.query("select session_id, driver from marts.session_driver_stats where series = 'f1' "
                          "order by session_id, driver limit 1")[0]
    finally:
        wh.close()
    assert problems == [], problems[:10]

    # Incremental re-run (the emulator-only overrides at work): a driver deleted, a session added.
    def incremental_build(target: str) -> str:
        assert main(["delete", "driver", victim[0], victim[1], "--target", target]) == 0
        _load(target, [data_dir / LATER_SESSION])
        return _dbt(target, "build")

    outputs = _on_every_target(targets, incremental_build)
    for out in outputs.values():
        assert "incremental model marts.fct_laps" in out
    _assert_marts_equal(targets, expected_sessions=5)

    # No password in dbt's target/ artifacts, its logs, or anything printed.
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix != ".duckdb"]
    assert any(p.name == "manifest.json" for p in written) and any(p.name == "dbt.log" for p in written)
    leaks = [str(p) for p in written if secret.encode() in p.read_bytes()]
    assert leaks == []
    assert secret not in capsys.readouterr().out + "".join(outputs.values())
    wh = connect(snowflake_env)
    try:
        left = wh.query("select count(*) from marts.fct_laps where session_id = ? and driver = ?", victim)
    finally:
        wh.close()
    assert left == [(0,)]


def _on_every_target(targets: list[str], step: Callable[[str], str]) -> dict[str, str]:
    """The targets are independent servers / files: run their load + build side by side."""
    with ThreadPoolExecutor(max_workers=len(targets)) as pool:
        return dict(zip(targets, pool.map(step, targets), strict=True))


def _assert_marts_equal(targets: list[str], expected_sessions: int) -> None:
    wh = connect(targets[0])
    try:
        assert wh.query("select count(*) from marts.session_summary") == [(expected_sessions,)]
        assert wh.query("select count(*) from marts.fct_laps")[0][0] > 1000 * (expected_sessions - 2)
    finally:
        wh.close()
    for other in targets[1:]:
        problems = diff_marts(targets[0], other)
        assert problems == [], f"{len(problems)} differences, first: {problems[:10]}"
