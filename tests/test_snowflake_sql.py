"""The Snowflake SQL the emulator cannot run, checked another way: compiled by dbt, parsed by sqlglot.

fakesnow runs the project (tests/test_snowflake_emulator.py) with three emulator-only overrides
(dbt_project/macros/snowflake_emulator_overrides.sql), and it has no roles or grants at all. So the
real-Snowflake forms of those statements never reach it; here dbt renders them for the `snowflake` target
(overrides inactive) and sqlglot's Snowflake dialect must parse every one into a real statement.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel

from commands.grants import BiRole, snowflake_statements
from core.dbt_runner import dbt_env, dbt_executable, run_dbt
from core.settings import DBT_PROJECT_DIR
from tests.snowflake_emulator import start_fakesnow

pytestmark = [pytest.mark.snowflake, pytest.mark.timeout(240), pytest.mark.xdist_group("snowflake_sql")]

RENDER_MACRO = """
{% macro lapstack_render_incremental_sql() %}
  {%- set rel = api.Relation.create(database=target.database, schema='marts', identifier='fct_laps') -%}
  {%- set tmp = make_temp_relation(rel) -%}
  {%- set cols = [api.Column('SESSION_ID', 'VARCHAR'), api.Column('DRIVER', 'VARCHAR'),
                  api.Column('LAP_TIME', 'FLOAT')] -%}
  {%- set rendered = {
      'temp_table': snowflake__create_table_temporary_sql(tmp, 'select 1 as session_id'),
      'temp_view': snowflake__create_view_as_with_temp_flag(tmp, 'select 1 as session_id', True),
      'delete_insert': get_delete_insert_merge_sql(rel, tmp, 'session_id', cols, none),
      'merge': get_merge_sql(rel, tmp, 'session_id', cols, none),
  } -%}
  {%- for name, sql in rendered.items() -%}
    {{ print('-- lapstack-render ' ~ name ~ '\\n' ~ sql) }}
  {%- endfor -%}
{% endmacro %}
"""


@pytest.fixture(scope="module")
def fakesnow_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    yield from start_fakesnow(tmp_path_factory.mktemp("fakesnow") / "fakesnow.log")


@pytest.fixture
def snowflake_via_emulator(fakesnow_port: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both Snowflake targets reach the local emulator; the `snowflake` one is the production profile."""
    for key, value in {"FAKESNOW_PORT": str(fakesnow_port), "SNOWFLAKE_HOST": "127.0.0.1",
                       "SNOWFLAKE_PORT": str(fakesnow_port), "SNOWFLAKE_PROTOCOL": "http",
                       "SNOWFLAKE_ACCOUNT": "fakesnow", "SNOWFLAKE_PASSWORD": "fakesnow",
                       "SNOWFLAKE_DATABASE": f"LAPSTACK_{uuid.uuid4().hex[:8].upper()}",
                       "SNOWFLAKE_DISABLE_PLATFORM_DETECTION": "true",
                       "DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")}.items():
        monkeypatch.setenv(key, value)


def _project_with_render_macro(tmp_path: Path) -> Path:
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    (project / "macros" / "lapstack_render_incremental_sql.sql").write_text(RENDER_MACRO)
    return project


def _render(project: Path, target: str) -> dict[str, str]:
    result = subprocess.run(
        [dbt_executable(), "run-operation", "lapstack_render_incremental_sql", "--project-dir", str(project),
         "--profiles-dir", str(DBT_PROJECT_DIR.parent), "--target", target],
        env=dbt_env(target), capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stdout[-4000:]
    parts = re.split(r"^-- lapstack-render (\w+)\n", result.stdout, flags=re.M)
    rendered = {parts[i]: re.split(r"^\S*\d\d:\d\d:\d\d ", parts[i + 1], flags=re.M)[0]
                for i in range(1, len(parts), 2)}
    return {name: re.sub(r"--[^\n]*", "", sql).strip() for name, sql in rendered.items()}  # drop SQL comments


def _parse_snowflake(sql: str) -> list[exp.Expression]:
    """Every statement must parse as a real Snowflake statement: no parse errors, no opaque fallback."""
    statements = [s for s in sqlglot.parse(sql, read="snowflake", error_level=ErrorLevel.RAISE) if s is not None]
    assert statements, sql
    opaque = [s.sql() for s in statements if isinstance(s, exp.Command)]
    assert opaque == [], f"sqlglot could only treat these as opaque commands: {opaque}"
    return statements


def test_real_snowflake_incremental_sql_parses_and_overrides_stay_emulator_only(
        snowflake_via_emulator: None, tmp_path: Path) -> None:
    project = _project_with_render_macro(tmp_path)
    real = _render(project, "snowflake")
    emulated = _render(project, "fakesnow")

    # What real Snowflake gets: dbt-snowflake's own SQL, untouched by the overrides file.
    assert re.search(r"create or replace temporary table \w+\.marts\.fct_laps__dbt_tmp", real["temp_table"], re.I)
    assert re.search(r"create or replace\s+temporary view \w+\.marts\.fct_laps__dbt_tmp", real["temp_view"], re.I)
    for name in ("delete_insert", "merge"):
        assert real[name].lower().startswith("begin;") and real[name].lower().rstrip(";").endswith("commit")
    assert re.search(r'values\s*\(\s*"SESSION_ID", "DRIVER", "LAP_TIME"\)', real["merge"])
    for name, sql in real.items():
        kinds = [type(s).__name__ for s in _parse_snowflake(sql)]
        assert kinds, name
    assert [type(s).__name__ for s in _parse_snowflake(real["delete_insert"])] == [
        "Transaction", "Delete", "Insert", "Commit"]
    assert [type(s).__name__ for s in _parse_snowflake(real["merge"])] == ["Transaction", "Merge", "Commit"]

    # What the emulator gets instead (and runs in test_snowflake_emulator.py).
    assert "temporary" not in emulated["temp_table"].lower() and "transient table" in emulated["temp_table"]
    assert "temporary" not in emulated["temp_view"].lower()
    assert not emulated["delete_insert"].lower().startswith("begin")
    assert 'values (DBT_INTERNAL_SOURCE."SESSION_ID", DBT_INTERNAL_SOURCE."DRIVER"' in emulated["merge"]


def test_every_model_compiles_for_snowflake_and_parses(snowflake_via_emulator: None) -> None:
    result = run_dbt(["compile", "--quiet"], target="snowflake", capture=True)
    assert result.returncode == 0, result.stdout[-4000:]
    compiled = sorted((Path(_target_path()) / "compiled" / "lapstack" / "models").rglob("*.sql"))
    names = {p.stem for p in compiled}
    assert {"fct_laps", "dim_sessions", "session_driver_stats", "session_chart_json"} <= names
    for path in compiled:
        statements = _parse_snowflake(path.read_text())
        assert len(statements) == 1 and isinstance(statements[0], exp.Query), path.name


def test_grant_bi_snowflake_statements_parse() -> None:
    """fakesnow has no roles (`create role` is a parser error there): the grants are parsed, not executed."""
    statements = snowflake_statements(BiRole("BI_READER", None, "ANALYST"), "LAPSTACK", "COMPUTE_WH")
    parsed = [sqlglot.parse_one(s, read="snowflake", error_level=ErrorLevel.RAISE) for s in statements]
    structured = [p for p in parsed if not isinstance(p, exp.Command)]
    assert [type(p).__name__ for p in structured] == ["Grant", "Grant", "Create", "Grant"]
    # sqlglot keeps the rest as opaque commands: hold them to Snowflake's documented grammar instead.
    grammar = re.compile(
        r"^(create role if not exists \w+"
        r"|grant select on (all|future) (tables|views) in schema \w+\.marts to role \w+"
        r"|grant role \w+ to user \w+)$")
    for statement in (s for s, p in zip(statements, parsed, strict=True) if isinstance(p, exp.Command)):
        assert grammar.match(statement), statement
    text = "\n".join(statements)
    assert "insert" not in text and "ownership" not in text and " all privileges" not in text
    for scope in ("all tables", "future tables", "all views", "future views"):
        assert f"grant select on {scope} in schema LAPSTACK.marts to role BI_READER" in text


def _target_path() -> str:
    import os

    return os.environ["DBT_TARGET_PATH"]
