"""The warehouse as a Dagster resource: the same profiles.yml target the CLI and dbt use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from dagster import ConfigurableResource

from core.settings import resolve_target
from core.warehouse import Warehouse, connect


class WarehouseResource(ConfigurableResource):
    """`target` empty means LAPSTACK_TARGET, else duckdb: Postgres is one env var away."""

    target: str | None = None

    @contextmanager
    def connection(self) -> Iterator[Warehouse]:
        wh = connect(self.target)
        try:
            yield wh
        finally:
            wh.close()

    def describe(self) -> str:
        resolved = resolve_target(self.target)
        return resolved.config.get("path", resolved.name) if resolved.kind == "duckdb" else resolved.name
