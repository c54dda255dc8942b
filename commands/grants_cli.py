"""`lapstack grant-bi`: the read-only BI role as a command, so ops never hand-write grants."""

from __future__ import annotations

import argparse
import sys

from commands.grants import BiRole, GrantError, grant_bi, password_from_env, validate_role_name
from core.warehouse import connect


def register(subparsers: argparse._SubParsersAction, load_subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "grant-bi", help="create/refresh a role that can only SELECT the marts schema (present and future tables)")
    parser.add_argument("--role", required=True, help="role name (plain identifier)")
    parser.add_argument("--password-env", metavar="VAR",
                        help="env var holding the role's login password (Postgres); never pass it on the command line")
    parser.add_argument("--grant-to-user", metavar="USER", help="Snowflake: also grant the role to this user")
    parser.add_argument("--target", help="profiles.yml output (default: LAPSTACK_TARGET or duckdb)")
    parser.set_defaults(func=_cmd_grant_bi)


def _cmd_grant_bi(args: argparse.Namespace) -> int:
    try:
        role = BiRole(validate_role_name(args.role), password_from_env(args.password_env), args.grant_to_user)
        wh = connect(args.target)
        try:
            statements = grant_bi(wh, role)
        finally:
            wh.close()
    except GrantError as exc:
        print(f"lapstack: error: {exc}", file=sys.stderr)
        return 2
    for statement in statements:
        print(f"  {statement}")
    print(f"role {role.name}: SELECT on schema marts (incl. future tables) on target {wh.target.name}; "
          "no access to raw or staging, no writes")
    return 0
