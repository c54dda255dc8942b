"""Grep-proof: no SQL statement is built from a value. Every f-string handed to execute/query/copy may only
interpolate identifiers lapstack itself owns (schema and table constants, registry names, `?` placeholder
lists); values go in as bound parameters. A new interpolation fails here until it is one of those shapes or
is listed below with the reason it is not a value.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from core.settings import PROJECT_ROOT

PACKAGES = ("core", "loaders", "expectations", "orchestration", "commands")
SQL_CALLS = {"execute", "executemany", "query", "query_df", "copy", "sql"}
SAFE = [
    re.compile(r"^[A-Z][A-Z0-9_]*$"),  # module constants: RAW, RAW_TABLE, MARTS, DDL strings
    re.compile(r"^(parsed\.)?source\.(qualified|ddl\(\))$"),  # registry entries
    re.compile(r"^', '\.join\(\('\?' for _ in \w+\)\)$"),  # a list of ? placeholders
    re.compile(r"^_in\(\w+\)$"),  # the official store's `(?, ?, ...)` helper
    re.compile(r"^_q\(.+\)$"),  # a catalog name, double-quoted with quotes doubled (report reads)
    re.compile(r"^', '\.join\([A-Z][A-Z0-9_]*\)$"),  # a module constant tuple of column names
]
# Interpolations that are not values, each with why. Identifiers here come from the registry or from names
# lapstack generates; none comes from a file's content, a user's argument or the environment.
ALLOWED = {
    "name": "raw table names from the registry (LAP_TABLES keys) and stage-table names lapstack generates",
    "table": "raw table names iterated from the registry",
    "qualified": "schema.table of a registry entry",
    "qualified_table": "schema.table passed by lapstack's own loaders (registry names)",
    "col_list": "column names of a frame lapstack built from registry columns",
    "self.table": "the stage table name generated from sha256 hex, host tag, pid and a uuid",
    "low": "a stage table name matched by a strict regex of lapstack's own naming before it is dropped",
    "where": "a predicate assembled from constant text and ? placeholders",
    "placeholders": "a list of ? placeholders",
    "batch": "a stage path built from a uuid4 hex",
    "path.as_posix()": "a temporary file lapstack created itself (Snowflake PUT takes no bind parameters)",
    "_select(header, windows)": "select list of canonical column names validated against the registry header",
    "_reader(header)": "DuckDB read_csv call on the path, passed as a bound parameter",
    "join": "a join clause from constant text",
    "SESSION_KEY_INDEX": "constant index name",
    "fast": "one of two constant select lists",
    "lost": "a constant predicate on a quoted catalog column, or nothing",
    "distance": "a quoted catalog column or a constant null",
    "_select(stored, wanted)": "select list of quoted catalog column names",
    "mart": "a marts table name from information_schema, matched by core.rebuilt_sessions' strict _TABLE regex",
    "channel_counts": "count(col) over gr_cup_long's constant channel names",
    "window_rows": "a list of (cast(? as ...), ...) placeholder rows",
    "_select(source, header, windows)": "select list of canonical column names validated against the registry header",
    "source.sql": "a DuckDB reader (read_csv / read_parquet) of constant text; the path and car are bound parameters",
    "driver_expr": "the constant column _driver, or a `case when _driver = ? then ? ... end` chain of placeholders",
    "lap_expr": "one of two constants: null or lap_number",
    "threads": "an int (int() of DuckDB's own current_setting('threads')), restored after a one-thread read",
    ".format()": "psycopg sql.SQL(...).format(password=sql.Literal(...)): psycopg's own composition",
    "cascade": "one of two constants: ' cascade' (Postgres) or nothing",
}


def _sql_fstrings() -> list[tuple[str, int, str]]:
    found = []
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                        and node.func.attr in SQL_CALLS and node.args):
                    continue
                arg = node.args[0]
                rel = path.relative_to(PROJECT_ROOT).as_posix()
                if isinstance(arg, ast.JoinedStr):
                    found += [(rel, node.lineno, ast.unparse(v.value)) for v in arg.values
                              if isinstance(v, ast.FormattedValue)]
                elif isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod):
                    found.append((rel, node.lineno, "%-formatting"))
                elif isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute) and arg.func.attr == "format":
                    found.append((rel, node.lineno, ".format()"))
    return found


def test_sql_is_never_built_from_values() -> None:
    found = _sql_fstrings()
    assert len(found) > 50  # the scan sees the real statements (a scan that finds nothing proves nothing)
    unsafe = [f"{file}:{line}: {{{expr}}}" for file, line, expr in found
              if not any(p.match(expr) for p in SAFE) and expr not in ALLOWED]
    assert not unsafe, "SQL built from a value (bind it with ?, or add the identifier and why to ALLOWED):\n" + \
        "\n".join(unsafe)


def test_the_scan_catches_a_value(tmp_path: Path) -> None:
    """The check can fail: an interpolated argument is reported."""
    code = 'def f(wh, driver):\n    wh.execute(f"delete from raw.laps where driver = \'{driver}\'")\n'
    node = ast.parse(code).body[0].body[0].value
    exprs = [ast.unparse(v.value) for v in node.args[0].values if isinstance(v, ast.FormattedValue)]
    assert exprs == ["driver"] and not any(p.match("driver") for p in SAFE) and "driver" not in ALLOWED
