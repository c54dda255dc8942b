"""dbt vars reach compiled SQL, so each is typed: a value that is not a number / ISO timestamp stops dbt."""

from __future__ import annotations

import re

import pytest

from core.dbt_runner import run_dbt
from core.settings import PROJECT_ROOT

BAD = [
    ("outlier_high_ratio", '"3 or true"', "fct_laps", "is not a number"),
    ("lost_counter_lap", '"1; drop table raw.sessions"', "fct_laps", "is not a number"),
    ("telemetry_full_throttle_pct", "true", "session_driver_telemetry", "is not a number"),
    ("telemetry_rebuild_from", "\"2023-11-19' as timestamp) or (1=1\"", "track_activity_daily",
     "is not an ISO date or timestamp"),
    ("telemetry_rebuild_to", '"tomorrow"', "track_activity_daily", "is not an ISO date or timestamp"),
    ("penalty_min_seconds", '"1 or true"', "session_reconciliation", "is not a number"),
    ("weather_max_distance_s", '"60) or (1=1"', "int_laps__race_picture", "is not a number"),
    ("degradation_min_laps", '"5 --"', "driver_stints", "is not a number"),
]


@pytest.mark.parametrize(("name", "value", "model", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_var_stops_dbt_with_its_name(duckdb_env, name, value, model, message) -> None:
    duckdb_env.parent.mkdir(parents=True, exist_ok=True)
    extra = ', telemetry_rebuild_from: "2023-11-19"' if name == "telemetry_rebuild_to" else ""
    result = run_dbt(["compile", "--select", model, "--vars", f"{{{name}: {value}{extra}}}"], capture=True)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out[-2000:]
    assert f"dbt var {name}=" in out and message in out, out[-2000:]


def test_good_vars_compile_into_the_sql(duckdb_env) -> None:
    duckdb_env.parent.mkdir(parents=True, exist_ok=True)
    result = run_dbt(["compile", "--select", "fct_laps", "track_activity_daily", "--vars",
                      '{outlier_high_ratio: 2.5, telemetry_rebuild_from: "2023-11-19", '
                      'telemetry_rebuild_to: "2023-11-20T06:00:00"}'], capture=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    compiled = {p.name: p.read_text() for p in (duckdb_env.parent.parent / "dbt_target").rglob("*.sql")}
    assert "* 2.5" in compiled["fct_laps.sql"]
    assert "cast('2023-11-19' as timestamp)" in compiled["track_activity_daily.sql"]


SCOPED_TEST = "accepted_range_session_summary_fastest_lap_time__3600__0"
UNSCOPED_TEST = "not_null_championship_standings_driver"


@pytest.mark.parametrize(("env", "vars_", "message"), [
    ('["gr_cup-2025-barber-race_1\') or (1=1"]', None, "LAPSTACK_TEST_SESSIONS="),
    ("gr_cup-2025-barber-race_1", None, "is not a JSON list of session ids"),
    (None, '{test_sessions: ["x\') or (\'1\'=\'1"]}', "is not a session id"),
    (None, '{test_sessions: "gr_cup-2025-barber-race_1"}', "is not a list of session ids"),
], ids=["env-quote", "env-not-json", "var-quote", "var-not-list"])
def test_bad_test_scope_stops_dbt(duckdb_env, monkeypatch, env, vars_, message) -> None:
    """The data tests' session scope is pasted into their SQL: anything but session ids stops dbt."""
    duckdb_env.parent.mkdir(parents=True, exist_ok=True)
    if env is not None:
        monkeypatch.setenv("LAPSTACK_TEST_SESSIONS", env)
    result = run_dbt(["compile", "--select", SCOPED_TEST, *(["--vars", vars_] if vars_ else [])], capture=True)
    out = result.stdout + result.stderr
    assert result.returncode != 0 and message in out, out[-2000:]


def test_test_scope_compiles_into_session_keyed_tests_only(duckdb_env, monkeypatch) -> None:
    duckdb_env.parent.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("LAPSTACK_TEST_SESSIONS", '["gr_cup-2025-barber-race_1", "f1-2023-las_vegas_grand_prix-race"]')
    result = run_dbt(["compile", "--select", SCOPED_TEST, UNSCOPED_TEST], capture=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    compiled = {p.parent.name + "/" + p.name: p.read_text()
                for p in (duckdb_env.parent.parent / "dbt_target" / "compiled").rglob("*.sql")}
    scoped = next(sql for name, sql in compiled.items() if "session_summary" in sql)
    unscoped = next(sql for name, sql in compiled.items() if "championship_standings" in sql)
    assert "where session_id in ('gr_cup-2025-barber-race_1', 'f1-2023-las_vegas_grand_prix-race')" in scoped
    assert "where 1 = 1" in unscoped and "session_id in" not in unscoped  # a season table: no session key


def test_models_read_vars_only_through_the_typed_macros() -> None:
    """A bare `var()` pastes the user's text into the SQL; the typed macros refuse anything but its shape."""
    models = PROJECT_ROOT / "dbt_project" / "models"
    bare = re.compile(r"(?<![a-z_])var\(")
    offenders = [f"{p.relative_to(PROJECT_ROOT)}:{n}" for p in sorted(models.rglob("*.sql"))
                 for n, line in enumerate(p.read_text().splitlines(), 1) if bare.search(line)]
    assert not offenders, "read these vars through number_var / timestamp_var:\n" + "\n".join(offenders)
