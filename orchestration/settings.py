"""Where the orchestration looks for things: every setting is an env var with a zero-config default."""

from __future__ import annotations

import os
from pathlib import Path

from core.settings import PROJECT_ROOT, apply_network_hygiene

apply_network_hygiene()

# Run tag the run queue limits to 1 (orchestration/dagster.yaml): DuckDB allows a single writer.
WAREHOUSE_WRITER_TAG = {"lapstack/warehouse_writer": "true"}
# Op-level pool shared by every asset that writes the warehouse file, so steps of one run serialise too.
WAREHOUSE_POOL = "lapstack_warehouse"
# Pool shared by every asset that calls the FastF1 API (its rate limiter is in-process only).
FASTF1_API_POOL = "fastf1_api"


def landing_dir() -> Path:
    """Folder the landing sensor watches for new or changed lap files."""
    return Path(os.environ.get("LAPSTACK_LANDING_DIR", PROJECT_ROOT / "landing"))


def webhook_url() -> str | None:
    """Optional run-status webhook; read at send time and never logged."""
    return os.environ.get("LAPSTACK_WEBHOOK_URL") or None


def dbt_manifest_dir() -> Path:
    """Target folder holding manifest.json, built at set-up by `dbt parse` (`make install`)."""
    return Path(os.environ.get("LAPSTACK_DBT_MANIFEST_DIR", PROJECT_ROOT / "dbt_project" / "target"))


def quality_report_dir() -> Path:
    """Where the GX Data Docs of Dagster-run checks go (the same reports `lapstack quality` writes)."""
    return Path(os.environ.get("LAPSTACK_QUALITY_REPORT_DIR", PROJECT_ROOT / "reports" / "quality"))
