"""The official record as landed (text): one raw suite per registered side table that declares `raw_checks`.

Derived from the registry, like the lap tables' raw suites: each `(column, kind)` the parser enforced is
checked again in the warehouse, plus lineage and the table's declared unique key.
"""

from __future__ import annotations

from core.registry import OFFICIAL, REGISTRY, RawSource
from expectations import checks as c
from expectations.checks import col
from expectations.spec import WARN, Check, SuiteSpec

KINDS = {
    "int": r"\d+",
    "float_int": r"\d+(?:\.0+)?",
    "number": r"-?\d+(?:\.\d+)?",
    "epoch": r"\d{9,11}(?:\.\d+)?",
    "bool": r"(?:[Tt]rue|[Ff]alse|TRUE|FALSE|0|1)",
    "clock": r"(?:\d+:){0,2}\d{1,2}(?:\.\d+)?",
    "timedelta": r"\d+ days?(?: \d{2}:\d{2}:\d{2}(?:\.\d+)?)?",  # pandas writes a zero delta as `0 days`
}


def _suite(source: RawSource) -> SuiteSpec:
    scope = ["_session_id"] if source.session_scoped else []
    key = [*scope, *source.raw_unique]
    columns = list(dict.fromkeys([*scope, *([source.row_key] if source.row_key else []), "_source_file",
                                  "_source_line", *(name for name, _ in source.raw_checks), *source.raw_unique]))
    checks: list[Check] = [c.not_null(k) for k in (*scope, *([source.row_key] if source.row_key else []))]
    if source.raw_unique:
        checks.append(c.unique([*key, "_source_file"], f"one row per ({', '.join(key)}) in each file"))
    checks += [c.matches(name, f"^{KINDS[kind]}$", f"{name}: {kind} text", when=col(name).is_not_null())
               for name, kind in source.raw_checks]
    return SuiteSpec(
        name=f"raw__{source.table}", table=source.qualified, severity=WARN, layer="raw",
        query=f"select {', '.join(columns)} from {{table}}", checks=checks,
        index_columns=[*scope, "_source_file", "_source_line"], partition_by="_session_id" if scope else None,
        description=f"{source.qualified} as landed: the file's text values, lineage and its key.")


SUITES = [_suite(s) for s in REGISTRY.family(OFFICIAL) if s.raw_checks]
