"""Names the orchestration shares: run tags and pools. Its environment variables (landing folder, webhook,
dbt manifest, report folder, lookbacks) are declared with all the others in `core.settings`."""

from __future__ import annotations

# Run tag the run queue limits to 1 (orchestration/dagster.yaml): DuckDB allows a single writer.
WAREHOUSE_WRITER_TAG = {"lapstack/warehouse_writer": "true"}
# Op-level pool shared by every asset that writes the warehouse file, so steps of one run serialise too.
WAREHOUSE_POOL = "lapstack_warehouse"
# Pool shared by every asset that calls the FastF1 API (its rate limiter is in-process only).
FASTF1_API_POOL = "fastf1_api"

