"""A read-only role for BI tools: SELECT on the whole marts schema (present and future), nothing else.

BI tools connect to the marts directly. The role must not see raw or staging (lineage columns, file
paths, unvalidated text) and must not be able to change anything, whatever tables land in marts later.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from core.warehouse import Warehouse

MARTS_SCHEMA = "marts"
# Role names are identifiers, which SQL cannot take as parameters: accept only plain ones.
_ROLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


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


def password_from_env(var: str | None) -> str | None:
    if var is None:
        return None
    value = os.environ.get(var)
    if not value:
        raise GrantError(f"environment variable {var} (--password-env) is not set or empty")
    return value


def postgres_statements(role: BiRole, database: str, owner: str,
                        other_schemas: list[str]) -> list[tuple[str, str | None]]:
    """(statement, password-or-None) pairs; the password is bound client-side as a literal, never logged."""
    r = f'"{validate_role_name(role.name)}"'
    db = '"' + database.replace('"', '""') + '"'
    own = '"' + owner.replace('"', '""') + '"'
    return [
        (f"do $$ begin if not exists (select 1 from pg_roles where rolname = '{role.name}') then "
         f"create role {r} login; end if; end $$", None),
        (f"alter role {r} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls", None),
        *([(f"alter role {r} password {{password}}", role.password)] if role.password else []),
        # Guardrail on top of the missing privileges: every transaction of the role starts read-only,
        # which also refuses CREATE TEMP TABLE.
        (f"alter role {r} set default_transaction_read_only = on", None),
        (f"grant connect on database {db} to {r}", None),
        (f"create schema if not exists {MARTS_SCHEMA}", None),
        (f"grant usage on schema {MARTS_SCHEMA} to {r}", None),
        (f"grant select on all tables in schema {MARTS_SCHEMA} to {r}", None),
        # dbt recreates tables on every full build: future tables created by the dbt user must be readable.
        (f"alter default privileges for role {own} in schema {MARTS_SCHEMA} grant select on tables to {r}", None),
        # Nothing else: a role re-used from earlier loses whatever it held on raw, staging, public, ...
        *[(f'revoke all on all tables in schema "{schema}" from {r}', None) for schema in other_schemas],
        *[(f'revoke all on schema "{schema}" from {r}', None) for schema in other_schemas],
    ]


def snowflake_statements(role: BiRole, database: str, warehouse: str | None) -> list[str]:
    """Snowflake's own model: USAGE down the hierarchy, SELECT on all and FUTURE tables and views of marts."""
    r = validate_role_name(role.name)
    schema = f"{database}.{MARTS_SCHEMA}"
    statements = [f"create role if not exists {r}"]
    if warehouse:
        statements.append(f"grant usage on warehouse {warehouse} to role {r}")
    statements += [
        f"grant usage on database {database} to role {r}",
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
    done: list[str] = []
    with conn.transaction():
        for statement, secret in postgres_statements(role, database, owner, others):
            if secret is None:
                conn.execute(statement)
                done.append(statement)
            else:
                conn.execute(sql.SQL(statement).format(password=sql.Literal(secret)))
                done.append(statement.replace("{password}", "'***'"))
    return done
