"""Great Expectations kept quiet and offline: no analytics, no progress bars, docs only where we say."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from core.settings import apply_network_hygiene

GX_OFFLINE_ENV = {
    "GX_ANALYTICS_ENABLED": "false",  # GX 1.x usage statistics
    "GE_USAGE_STATS": "FALSE",  # older name, still honoured by some plugins
    "DO_NOT_TRACK": "1",
}
SITE_NAME = "lapstack_quality"


def quiet_offline() -> None:
    """Set before importing great_expectations; safe to call repeatedly."""
    apply_network_hygiene()
    for key, value in GX_OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
    os.environ["GX_ANALYTICS_ENABLED"] = "false"
    for name in ("great_expectations", "great_expectations.core", "great_expectations.data_context"):
        logging.getLogger(name).setLevel(logging.ERROR)


def new_context(report_dir: Path) -> Any:
    """An in-memory context whose only Data Docs site is `report_dir` (index.html at its root)."""
    quiet_offline()
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.enable_analytics(False)
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in list(context.get_site_names()):
        context.delete_data_docs_site(site)
    context.add_data_docs_site(site_name=SITE_NAME, site_config={
        "class_name": "SiteBuilder",
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(report_dir)},
        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        "show_how_to_buttons": False,
    })
    return context
