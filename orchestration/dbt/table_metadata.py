"""Row counts and column types of every relation a dbt step built, in two warehouse queries (issue 15).

dagster-dbt's `fetch_row_counts()` / `fetch_column_metadata()` ask dbt's in-process adapter once per model
(a `count(*)` and a rendered `get_columns_in_relation` macro each): with ~74 models in a lap run that was the
largest cost of the dbt step after dbt itself, and it needs the adapter, which dagster-dbt builds by loading
the profile, the project and dbt's macros in the run worker before dbt even starts. Here one `union all` of
`count(*)` covers every table and one `information_schema.columns` read covers every relation, on the
warehouse connection the step opens anyway after dbt exits (DuckDB admits one writer: not while dbt runs).

The metadata is the same as dagster-dbt's: `dagster/row_count` and `dagster/storage_kind` for tables and
incremental models (not for views, whose count would run their query), `dagster/column_schema` for every
relation, with the warehouse's own type names (DuckDB's VARCHAR, Postgres's `character varying`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dagster import TableColumn, TableSchema
from dagster._core.definitions.metadata import TableMetadataSet

from core.warehouse import Warehouse

# Schema and relation names come from the dbt manifest; they are checked before they reach SQL.
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Relation:
    """A built dbt node as the warehouse names it."""

    unique_id: str
    schema: str
    name: str
    is_view: bool

    @classmethod
    def of(cls, node: Mapping[str, Any]) -> Relation:
        schema, name = node["schema"], node.get("alias") or node["name"]
        for part in (schema, name):
            if not IDENTIFIER.match(part):
                raise ValueError(f"dbt relation name {part!r} of {node['unique_id']} is not a plain identifier")
        return cls(node["unique_id"], schema, name, node["config"]["materialized"] == "view")


def row_counts(wh: Warehouse, relations: list[Relation]) -> dict[str, int]:
    """unique_id -> rows, for the tables among `relations`, in one query."""
    tables = [r for r in relations if not r.is_view]
    if not tables:
        return {}
    # Positions are this function's own integers; names are validated identifiers (Relation.of).
    sql = " union all ".join(f"select {i} as position, count(*) as row_count from {r.schema}.{r.name}"
                             for i, r in enumerate(tables))
    return {tables[int(position)].unique_id: int(count) for position, count in wh.query(sql)}


def column_types(wh: Warehouse, relations: list[Relation]) -> dict[str, list[tuple[str, str]]]:
    """unique_id -> [(column, warehouse type)] in table order, for every relation, in one query."""
    if not relations:
        return {}
    schemas = sorted({r.schema.lower() for r in relations})
    rows = wh.query(
        "select lower(table_schema), lower(table_name), column_name, data_type from information_schema.columns "
        f"where lower(table_schema) in ({', '.join('?' for _ in schemas)}) "
        "order by table_schema, table_name, ordinal_position", schemas)
    by_relation: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in rows:
        by_relation.setdefault((schema, table), []).append((column, str(data_type)))
    return {r.unique_id: by_relation.get((r.schema.lower(), r.name.lower()), []) for r in relations}


def table_metadata(wh: Warehouse, nodes: Iterable[Mapping[str, Any]], storage_kind: str) -> dict[str, dict]:
    """unique_id -> the metadata dagster-dbt would have attached (row count, storage kind, column schema)."""
    relations = [Relation.of(node) for node in nodes]
    counts = row_counts(wh, relations)
    columns = column_types(wh, relations)
    metadata: dict[str, dict] = {}
    for relation in relations:
        entry: dict[str, Any] = {}
        if relation.unique_id in counts:
            entry.update(TableMetadataSet(row_count=counts[relation.unique_id], storage_kind=storage_kind))
        if columns.get(relation.unique_id):
            entry.update(TableMetadataSet(column_schema=TableSchema(
                columns=[TableColumn(name=name, type=data_type) for name, data_type in columns[relation.unique_id]])))
        metadata[relation.unique_id] = entry
    return metadata
