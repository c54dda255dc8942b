"""No usage tracking and no cloud metadata probes from anything lapstack starts.

Entry points call `apply_network_hygiene()` once (the CLI's `main`, the Dagster code location, the test
session); `core.dbt_runner` also hands `NO_TRACKING_ENV` to every dbt process it starts. Nothing calls it
at import time, so importing a module never changes the environment.
"""

from __future__ import annotations

import os

# The variables lapstack sets (only if unset) for the tools it runs.
NO_TRACKING_ENV = {
    "DO_NOT_TRACK": "1",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "SNOWFLAKE_DISABLE_PLATFORM_DETECTION": "true",
}


def apply_network_hygiene() -> None:
    """Set the opt-outs before any dbt, Dagster or Snowflake code runs; safe to call repeatedly."""
    for key, value in NO_TRACKING_ENV.items():
        os.environ.setdefault(key, value)
