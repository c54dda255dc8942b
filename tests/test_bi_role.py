"""`lapstack grant-bi` on the real Postgres server: log in as the role and prove what it can and cannot do."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import errors, sql

from commands.cli import main
from tests.conftest import dbt

pytestmark = pytest.mark.postgres

GR_CUP_RACE = Path("gr_cup") / "barber" / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"


def _connect(dbname: str, user: str | None = None) -> psycopg.Connection:
    return psycopg.connect(host=os.environ.get("PGHOST", "127.0.0.1"), port=int(os.environ.get("PGPORT", 5432)),
                           user=user or os.environ.get("PGUSER", "postgres"), dbname=dbname, autocommit=True)


@pytest.fixture
def bi_role(postgres_env: str) -> Iterator[str]:
    """A role name unique to this run (roles are cluster-wide), dropped with everything it holds afterwards."""
    name = f"lapstack_bi_{uuid.uuid4().hex[:10]}"
    yield name
    with _connect(postgres_env) as admin:
        exists = admin.execute("select 1 from pg_roles where rolname = %s", (name,)).fetchone()
        if exists:
            admin.execute(sql.SQL("drop owned by {}").format(sql.Identifier(name)))
            admin.execute(sql.SQL("drop role {}").format(sql.Identifier(name)))


def _relations(admin: psycopg.Connection, schema: str) -> list[str]:
    rows = admin.execute("select table_name from information_schema.tables where table_schema = %s "
                         "order by table_name", (schema,)).fetchall()
    return [r[0] for r in rows]


def _denied(conn: psycopg.Connection, statement: str) -> None:
    with pytest.raises((errors.InsufficientPrivilege, errors.ReadOnlySqlTransaction)):
        conn.execute(statement)


def test_bi_role_reads_marts_only_and_writes_nothing(postgres_env: str, bi_role: str, data_dir: Path,
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture) -> None:
    assert main(["load", "laps", str(data_dir / GR_CUP_RACE)]) == 0
    dbt("run", "--select", "staging")  # raw and staging exist, marts not yet
    monkeypatch.setenv("LAPSTACK_TEST_BI_PASSWORD", "s3cret-bi-pw")
    assert main(["grant-bi", "--role", bi_role, "--password-env", "LAPSTACK_TEST_BI_PASSWORD"]) == 0
    assert "s3cret-bi-pw" not in capsys.readouterr().out
    # Every mart is created after the grant (as dbt recreates them on full refreshes): future tables.
    dbt("build")

    with _connect(postgres_env) as admin:
        marts = _relations(admin, "marts")
        raw = _relations(admin, "raw")
        staging = _relations(admin, "staging")
        admin_counts = {t: admin.execute(f"select count(*) from marts.{t}").fetchone()[0] for t in marts}
    assert {"dim_sessions", "fct_laps", "session_driver_stats", "session_summary"} <= set(marts)
    assert {"gr_cup_laps", "sessions", "load_batches"} <= set(raw)
    assert {"stg_gr_cup__laps", "int_laps__unioned"} <= set(staging)
    _assert_every_mart_indexed(postgres_env, marts)

    with _connect(postgres_env, user=bi_role) as bi:
        # 1. SELECT on every mart, with the same rows the owner sees.
        for table in marts:
            assert bi.execute(f"select count(*) from marts.{table}").fetchone()[0] == admin_counts[table], table
        assert admin_counts["fct_laps"] == 579  # the real Barber race 1 file has 579 lap rows
        best = bi.execute("select fastest_lap_driver, fastest_lap_time from marts.session_summary").fetchone()
        assert best[0] == "13" and best[1] == pytest.approx(97.428, abs=1e-3)  # car 13, lap 8: 1:37.428

        # 2. Nothing in raw or staging is readable.
        for schema, tables in (("raw", raw), ("staging", staging)):
            for table in tables:
                with pytest.raises(errors.InsufficientPrivilege):
                    bi.execute(f"select 1 from {schema}.{table} limit 1")

        # 3. No writes anywhere, even after switching its read-only default off: the privileges are missing.
        assert bi.execute("show default_transaction_read_only").fetchone()[0] == "on"
        _denied(bi, "create temp table bi_scratch (x int)")
        bi.execute("set session characteristics as transaction read write")
        _denied(bi, "insert into marts.session_summary (session_id) values ('x')")
        _denied(bi, "update marts.fct_laps set lap_time = 0")
        _denied(bi, "delete from marts.dim_sessions")
        _denied(bi, "truncate marts.session_driver_stats")
        _denied(bi, "drop table marts.fct_laps")
        _denied(bi, "alter table marts.fct_laps add column x int")
        _denied(bi, "insert into raw.sessions (session_id) values ('x')")
        _denied(bi, "delete from raw.gr_cup_laps")
        for schema in ("marts", "raw", "staging", "public"):
            _denied(bi, f"create table {schema}.bi_scratch (x int)")
            _denied(bi, f"create view {schema}.bi_scratch as select 1 as x")
        _denied(bi, "create schema bi_scratch")

    with _connect(postgres_env) as admin:  # and nothing changed underneath
        for table in marts:
            assert admin.execute(f"select count(*) from marts.{table}").fetchone()[0] == admin_counts[table]


def _assert_every_mart_indexed(dbname: str, marts: list[str]) -> None:
    """BI tools filter and join on session_id / driver: every mart table carries a Postgres index (dbt config)."""
    with _connect(dbname) as admin:
        tables = [r[0] for r in admin.execute("select table_name from information_schema.tables where "
                                              "table_schema = 'marts' and table_type = 'BASE TABLE'").fetchall()]
        indexed = dict(admin.execute("select tablename, string_agg(indexdef, '; ') from pg_indexes "
                                     "where schemaname = 'marts' group by tablename").fetchall())
        assert set(tables) <= set(marts) and [t for t in tables if t not in indexed] == [], indexed
        assert "(session_id, driver)" in indexed["fct_laps"]
        assert "UNIQUE INDEX" in indexed["dim_sessions"] and "(session_id)" in indexed["dim_sessions"]
        admin.execute("analyze marts.fct_laps")
        admin.execute("set enable_seqscan = off")
        plan = " ".join(r[0] for r in admin.execute(
            "explain select * from marts.fct_laps where session_id = 'x' and driver = '13'").fetchall())
        assert "Index" in plan, plan


def test_grant_bi_future_table_is_readable(postgres_env: str, bi_role: str) -> None:
    """A table another loader or model creates in marts after the grant is readable without re-granting."""
    assert main(["grant-bi", "--role", bi_role]) == 0
    with _connect(postgres_env) as admin:
        admin.execute("create table marts.later_mart as select 1 as x")
        admin.execute("create schema if not exists raw")
        admin.execute("create table raw.later_raw as select 1 as x")
    with _connect(postgres_env, user=bi_role) as bi:
        assert bi.execute("select x from marts.later_mart").fetchone() == (1,)
        with pytest.raises(errors.InsufficientPrivilege):
            bi.execute("select x from raw.later_raw")


def test_grant_bi_refuses_bad_input(postgres_env: str, capsys: pytest.CaptureFixture) -> None:
    assert main(["grant-bi", "--role", "bi; drop table x"]) == 2
    assert "not a plain identifier" in capsys.readouterr().err
    assert main(["grant-bi", "--role", "lapstack_bi_x", "--password-env", "LAPSTACK_UNSET_VAR_8"]) == 2
    assert "LAPSTACK_UNSET_VAR_8" in capsys.readouterr().err


def test_grant_bi_on_duckdb_explains_read_only_file(duckdb_env: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["grant-bi", "--role", "bi"]) == 2
    err = capsys.readouterr().err
    assert "DuckDB has no roles" in err and "read_only=True" in err


@pytest.fixture
def scratch_database(postgres_env: str) -> Iterator[str]:
    """Another database owned by the lapstack user, with a non-BI role that connects to it by explicit grant."""
    name = f"lapstack_other_{uuid.uuid4().hex[:10]}"
    other_role = f"lapstack_other_role_{uuid.uuid4().hex[:8]}"
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("create role {} login").format(sql.Identifier(other_role)))
        admin.execute(sql.SQL("grant connect on database {} to {}").format(sql.Identifier(name),
                                                                          sql.Identifier(other_role)))
    yield name, other_role
    with _connect("postgres") as admin:
        admin.execute(sql.SQL("drop database if exists {} with (force)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("drop role if exists {}").format(sql.Identifier(other_role)))


def test_bi_role_loses_public_extras_and_has_limits(postgres_env: str, bi_role: str, scratch_database: tuple,
                                                    data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No TEMP (temp tables, pg_temp functions), no CONNECT elsewhere, no raw/staging in information_schema,
    a statement timeout and a connection limit; the lapstack user and other roles keep what they had."""
    other_db, other_role = scratch_database
    assert main(["load", "laps", str(data_dir / GR_CUP_RACE)]) == 0
    dbt("run", "--select", "staging")
    monkeypatch.setenv("LAPSTACK_BI_STATEMENT_TIMEOUT", "1s")
    monkeypatch.setenv("LAPSTACK_BI_CONNECTION_LIMIT", "2")
    assert main(["grant-bi", "--role", bi_role]) == 0
    dbt("build")  # dbt (the lapstack user) still builds, incremental temp tables included
    dbt("build")

    with _connect(postgres_env, user=bi_role) as bi:
        assert bi.execute("select count(*) from marts.fct_laps").fetchone()[0] == 579
        bi.execute("set session characteristics as transaction read write")
        bi.execute("set default_transaction_read_only = off")
        _denied(bi, "create temp table bi_scratch (x int)")
        _denied(bi, "create function pg_temp.bi_f() returns int language sql as 'select 1'")
        for schema in ("public", "marts", "raw", "staging"):
            _denied(bi, f"create function {schema}.bi_f() returns int language sql as 'select 1'")
        assert bi.execute("select has_database_privilege(current_database(), 'TEMPORARY')").fetchone() == (False,)
        for schema in ("raw", "staging"):
            assert bi.execute("select has_schema_privilege(%s, 'USAGE')", (schema,)).fetchone() == (False,)
        assert bi.execute("select count(*) from information_schema.columns "
                          "where table_schema in ('raw', 'staging')").fetchone() == (0,)
        assert bi.execute("select count(*) from information_schema.views "
                          "where table_schema = 'staging'").fetchone() == (0,)
        # What Postgres still shows every role (documented in commands/grants.py): catalog names and view SQL.
        assert bi.execute("select count(*) from pg_views where schemaname = 'staging'").fetchone()[0] > 0
        # Role defaults: statement timeout and limit.
        assert bi.execute("show statement_timeout").fetchone() == ("1s",)
        with pytest.raises(errors.QueryCanceled):
            bi.execute("select pg_sleep(3)")
        second = _connect(postgres_env, user=bi_role)
        try:
            with pytest.raises(psycopg.OperationalError, match="too many connections"):
                _connect(postgres_env, user=bi_role)
        finally:
            second.close()

    # No CONNECT on the other database this user owns; its owner and the explicitly granted role keep theirs.
    with pytest.raises(psycopg.OperationalError, match="permission denied for database"):
        _connect(other_db, user=bi_role)
    _connect(other_db).close()
    _connect(other_db, user=other_role).close()
    with _connect(postgres_env) as admin:
        assert admin.execute("select rolconnlimit from pg_roles where rolname = %s", (bi_role,)).fetchone() == (2,)
        acl = admin.execute("select datacl::text from pg_database where datname = current_database()").fetchone()[0]
        assert "=c/" in acl and "=Tc/" not in acl, acl  # PUBLIC keeps CONNECT here, not TEMPORARY
        # Databases the lapstack user does not own and the maintenance database are left alone.
        assert admin.execute("select datacl from pg_database where datname = 'postgres'").fetchone()[0] is None


def test_grant_bi_quotes_snowflake_names() -> None:
    from commands.grants import BiRole, GrantError, snowflake_statements

    plain = snowflake_statements(BiRole("BI"), "LAPSTACK", "COMPUTE_WH")
    assert "grant usage on warehouse COMPUTE_WH to role BI" in plain
    odd = snowflake_statements(BiRole("BI"), 'my-db"; drop database x; --', "wh one")
    assert 'grant usage on database "my-db""; drop database x; --" to role BI' in odd
    assert 'grant usage on warehouse "wh one" to role BI' in odd
    assert 'create schema if not exists "my-db""; drop database x; --".marts' in odd
    with pytest.raises(GrantError, match="SNOWFLAKE_DATABASE"):
        snowflake_statements(BiRole("BI"), "", None)
