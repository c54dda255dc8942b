"""A read-only role for BI tools: SELECT on the whole marts schema (present and future), nothing else.

BI tools connect to the marts directly. The role must not see raw or staging (lineage columns, file
paths, unvalidated text) and must not be able to change anything, whatever tables land in marts later.

Postgres, beyond the role's own grants, `grant-bi` changes what PUBLIC (every role) holds, because a
role cannot be denied what PUBLIC has:
* the lapstack database: PUBLIC loses TEMPORARY (no temp tables or pg_temp functions for roles without
  an explicit grant); the running user (dbt's) is granted it explicitly, so dbt keeps working.
* other databases owned by the running user (except `postgres`, `template0`, `template1`): PUBLIC loses
  CONNECT (and TEMPORARY). Superusers, owners and roles with an explicit `grant connect` are unaffected;
  a non-superuser role that reached one of them only through PUBLIC needs `grant connect on database`.
  Databases owned by other roles are left alone: the BI role can still connect there (empty of lapstack).
* the role: `CONNECTION LIMIT` (default 10, `LAPSTACK_BI_CONNECTION_LIMIT`), `statement_timeout`
  (default 60s, `LAPSTACK_BI_STATEMENT_TIMEOUT`) and `idle_in_transaction_session_timeout` as role
  defaults (a session can still `SET` them: they bound runaway dashboards, not a hostile user).
* no USAGE on raw / staging: information_schema shows the role nothing of them. pg_catalog is readable by
  every role in Postgres: `pg_class` / `pg_attribute` still list raw and staging table and column names and
  `pg_views` / `pg_get_viewdef` the staging views' SQL (no data). Hiding those needs a separate database.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from core.settings.variables import LAPSTACK_BI_CONNECTION_LIMIT, LAPSTACK_BI_STATEMENT_TIMEOUT
from core.warehouse import Warehouse

MARTS_SCHEMA = "marts"
# Role names are identifiers, which SQL cannot take as parameters: accept only plain ones.
_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
# Snowflake: an unquoted identifier may hold $ too (resolved upper-case); anything else is quoted.
_SNOWFLAKE_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,254}$")
_TIMEOUT = re.compile(r"^\d+\s*(ms|s|min|h)?$")
DEFAULT_STATEMENT_TIMEOUT = "60s"
DEFAULT_CONNECTION_LIMIT = 10
IDLE_IN_TRANSACTION_TIMEOUT = "5min"
SYSTEM_DATABASES = ("postgres", "template0", "template1")


class GrantError(Exception):
    """A grant that cannot be made on this target, with the reason a user can act on."""


@dataclass(frozen=True)
class BiRole:
    name: str
    password: str | None = None  # from an env var only, never a command-line value
    grant_to_user: str | None = None  # Snowflake: the user that gets the role


def validate_role_name(name: str) -> str:
    if not _ROLE_NAME.match(name):
        raise GrantError(f"role name {name!r} is not a plain identifier (letters, digits, _; max 63)")
    return name


def snowflake_identifier(name: str | None, what: str) -> str:
    """A Snowflake object name from configuration as SQL: plain ones as written, anything else quoted."""
    if not name or len(name) > 255 or "\x00" in name:
        raise GrantError(f"{what} {name!r} is not a usable Snowflake identifier")
    if _SNOWFLAKE_PLAIN.match(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def bi_limits() -> tuple[str, int]:
    """(statement_timeout, connection limit) of the BI role, from the settings (validated there)."""
    return LAPSTACK_BI_STATEMENT_TIMEOUT.get(), LAPSTACK_BI_CONNECTION_LIMIT.get()


def password_from_env(var: str | None) -> str | None:
    if var is None:
        return None
    value = os.environ.get(var)
    if not value:
        raise GrantError(f"environment variable {var} (--password-env) is not set or empty")
    return value


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def postgres_statements(role: BiRole, database: str, owner: str, other_schemas: list[str],
                        other_databases: list[str] = (), statement_timeout: str = DEFAULT_STATEMENT_TIMEOUT,
                        connection_limit: int = DEFAULT_CONNECTION_LIMIT) -> list[tuple[str, str | None]]:
    """(statement, password-or-None) pairs; the password is bound client-side as a literal, never logged."""
    r = f'"{validate_role_name(role.name)}"'
    db, own = _quote(database), _quote(owner)
    if not _TIMEOUT.match(statement_timeout):
        raise GrantError(f"statement timeout {statement_timeout!r} is not a duration like 60s")
    return [
        (f"do $$ begin if not exists (select 1 from pg_roles where rolname = '{role.name}') then "
         f"create role {r} login; end if; end $$", None),
        (f"alter role {r} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls "
         f"connection limit {int(connection_limit)}", None),
        *([(f"alter role {r} password {{password}}", role.password)] if role.password else []),
        # Guardrail on top of the missing privileges: every transaction of the role starts read-only,
        # which also refuses CREATE TEMP TABLE.
        (f"alter role {r} set default_transaction_read_only = on", None),
        (f"alter role {r} set statement_timeout = '{statement_timeout}'", None),
        (f"alter role {r} set idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION_TIMEOUT}'", None),
        (f"grant connect on database {db} to {r}", None),
        # PUBLIC's TEMP would let the role create temp tables and pg_temp functions once it switches
        # read-only off: only the running user (dbt's incremental models use temp tables) keeps it.
        (f"grant temporary on database {db} to {own}", None),
        (f"revoke temporary on database {db} from public", None),
        (f"revoke temporary on database {db} from {r}", None),
        # Other databases this user owns: PUBLIC's CONNECT is what would let the role in.
        *[stmt for other in other_databases for stmt in (
            (f"revoke connect, temporary on database {_quote(other)} from public", None),
            (f"revoke all on database {_quote(other)} from {r}", None))],
        (f"create schema if not exists {MARTS_SCHEMA}", None),
        (f"grant usage on schema {MARTS_SCHEMA} to {r}", None),
        (f"grant select on all tables in schema {MARTS_SCHEMA} to {r}", None),
        # dbt recreates tables on every full build: future tables created by the dbt user must be readable.
        (f"alter default privileges for role {own} in schema {MARTS_SCHEMA} grant select on tables to {r}", None),
        # Nothing else: a role re-used from earlier loses whatever it held on raw, staging, public, ...
        *[(f"revoke all on all tables in schema {_quote(schema)} from {r}", None) for schema in other_schemas],
        *[(f"revoke all on schema {_quote(schema)} from {r}", None) for schema in other_schemas],
    ]


def snowflake_statements(role: BiRole, database: str, warehouse: str | None) -> list[str]:
    """Snowflake's own model: USAGE down the hierarchy, SELECT on all and FUTURE tables and views of marts.

    Database and warehouse names come from SNOWFLAKE_DATABASE / SNOWFLAKE_WAREHOUSE: plain identifiers
    are used as written, any other name is quoted (never spliced raw into a statement).
    """
    r = validate_role_name(role.name)
    schema = f"{snowflake_identifier(database, 'SNOWFLAKE_DATABASE')}.{MARTS_SCHEMA}"
    statements = [f"create role if not exists {r}"]
    if warehouse:
        statements.append(f"grant usage on warehouse {snowflake_identifier(warehouse, 'SNOWFLAKE_WAREHOUSE')} "
                          f"to role {r}")
    statements += [
        f"grant usage on database {snowflake_identifier(database, 'SNOWFLAKE_DATABASE')} to role {r}",
        f"create schema if not exists {schema}",
        f"grant usage on schema {schema} to role {r}",
        f"grant select on all tables in schema {schema} to role {r}",
        f"grant select on all views in schema {schema} to role {r}",
        f"grant select on future tables in schema {schema} to role {r}",
        f"grant select on future views in schema {schema} to role {r}",
    ]
    if role.grant_to_user:
        statements.append(f"grant role {r} to user {validate_role_name(role.grant_to_user)}")
    return statements


def grant_bi(wh: Warehouse, role: BiRole) -> list[str]:
    """Create or refresh the role on the warehouse's target; returns the statements run (no secrets)."""
    cfg = wh.target.config
    if wh.kind == "duckdb":
        raise GrantError(
            "DuckDB has no roles or users: give BI tools the warehouse file read-only instead "
            f"(e.g. duckdb.connect({cfg['path']!r}, read_only=True), or DBeaver's read-only connection flag)")
    if wh.kind == "postgres":
        return _grant_postgres(wh, role)
    if wh.kind == "snowflake":
        statements = snowflake_statements(role, cfg["database"], cfg.get("warehouse"))
        for statement in statements:
            wh.execute(statement)
        return statements
    raise GrantError(f"grant-bi does not support target type {wh.kind!r}")


def _grant_postgres(wh: Warehouse, role: BiRole) -> list[str]:
    from psycopg import sql

    conn = wh._conn  # noqa: SLF001 - utility statements need client-side literals (psycopg.sql)
    database, owner = conn.execute("select current_database(), current_user").fetchone()
    others = [row[0] for row in conn.execute(
        "select nspname from pg_namespace where nspname <> %s and nspname <> 'information_schema' "
        "and nspname not like 'pg\\_%%' order by nspname", (MARTS_SCHEMA,))]
    other_dbs = [row[0] for row in conn.execute(
        "select datname from pg_database where datdba = (select oid from pg_roles where rolname = current_user) "
        "and datname <> current_database() and not (datname = any(%s)) order by datname",
        (list(SYSTEM_DATABASES),))]
    timeout, limit = bi_limits()
    done: list[str] = []
    with conn.transaction():
        for statement, secret in postgres_statements(role, database, owner, others, other_dbs, timeout, limit):
            if secret is None:
                conn.execute(statement)
                done.append(statement)
            else:
                conn.execute(sql.SQL(statement).format(password=sql.Literal(secret)))
                done.append(statement.replace("{password}", "'***'"))
    return done
