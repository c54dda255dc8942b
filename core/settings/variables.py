"""Every environment variable lapstack reads, declared once: name, kind, default, meaning.

Values are read when `get()` is called, never cached at import, so a test can monkeypatch a variable per
test and a long-lived Dagster process sees a changed deployment setting on its next tick. An empty value
counts as unset. Variables that belong to other tools (PG*, SNOWFLAKE_*, FAKESNOW_PORT, read through
profiles.yml by dbt and by the loaders; DBT_TARGET_PATH / DBT_LOG_PATH, read by dbt) are theirs and not
declared here. The README table "Environment variables" is generated from these declarations
(`python -m core.settings`) and tests/test_settings.py keeps the two equal.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from core.errors import SettingError
from core.settings import kinds
from core.settings.kinds import Kind

T = TypeVar("T")

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"

VARIABLES: dict[str, Setting] = {}


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One environment variable. `default` is called when the variable is unset or empty; `default_text`
    is what the README shows for it."""

    name: str
    kind: Kind[T]
    default: Callable[[], T]
    default_text: str
    meaning: str
    secret: bool = False  # never printed, not even in the error naming a bad value

    def __post_init__(self) -> None:
        if self.name in VARIABLES:
            raise ValueError(f"{self.name} is declared twice")
        VARIABLES[self.name] = self

    def is_set(self) -> bool:
        return bool(os.environ.get(self.name))

    def get(self) -> T:
        """The parsed value, else the default; a value of the wrong shape raises SettingError."""
        text = os.environ.get(self.name)
        if not text:
            return self.default()
        try:
            return self.kind.parse(text)
        except ValueError:
            raise self.invalid(self.kind.expected) from None

    def invalid(self, expected: str) -> SettingError:
        """The error for the current value, for checks only the caller can make (e.g. a known quota name)."""
        return SettingError(f"lapstack: {self.name}={self.shown()} is not {expected}")

    def shown(self) -> str:
        text = os.environ.get(self.name, "")
        if self.secret:
            return f"<hidden, {len(text)} characters>"
        return repr(text if len(text) <= 80 else text[:77] + "...")


def _none() -> None:
    return None


# --- where lapstack writes and what it reads ---------------------------------------------------------------
LAPSTACK_DATA = Setting(
    "LAPSTACK_DATA", kinds.PATH, lambda: PROJECT_ROOT.parent / "shared" / "data", "`../shared/data`",
    "The real recorded data folder (`gr_cup/`, `f1_2023_fastf1/`, `fastf1_http/`, ...) the demo, the "
    "benchmarks and the tests read.")
LAPSTACK_TARGET = Setting(
    "LAPSTACK_TARGET", kinds.IDENTIFIER, _none, "`duckdb`",
    "The `profiles.yml` output loaders, dbt and Dagster use (`duckdb`, `postgres`, `snowflake`, "
    "`fakesnow`); `--target` wins.")
LAPSTACK_DUCKDB_PATH = Setting(
    "LAPSTACK_DUCKDB_PATH", kinds.PATH, lambda: PROJECT_ROOT / "warehouse" / "lapstack.duckdb",
    "`warehouse/lapstack.duckdb`",
    "The DuckDB warehouse file of the `duckdb` target (read through `profiles.yml`; relative to the repo root).")
DBT_PROFILES_DIR = Setting(
    "DBT_PROFILES_DIR", kinds.DIRECTORY, lambda: PROJECT_ROOT, "the repo root",
    "Folder of the one `profiles.yml` dbt and the loaders share.")

# --- telemetry loader --------------------------------------------------------------------------------------
LAPSTACK_TELEMETRY_DUCKDB_MEMORY = Setting(
    "LAPSTACK_TELEMETRY_DUCKDB_MEMORY", kinds.memory_size(16 << 20), lambda: "160MB", "`160MB`",
    "DuckDB `memory_limit` of the telemetry loader's connection; beyond it DuckDB spills to disk (160MB keeps "
    "the loader's peak RSS flat from 1.5M to 15.7M rows: README, telemetry load benchmark).")
LAPSTACK_TELEMETRY_CHUNKED = Setting(
    "LAPSTACK_TELEMETRY_CHUNKED", kinds.BOOLEAN, lambda: False, "`false`",
    "Load telemetry into DuckDB through the chunked path (pyarrow blocks, a stage table), any format.")
LAPSTACK_TELEMETRY_BLOCK_BYTES = Setting(
    "LAPSTACK_TELEMETRY_BLOCK_BYTES", kinds.integer(1 << 12, 1 << 30), lambda: 8 << 20, "`8388608` (8 MiB)",
    "Bytes of CSV the chunked telemetry path parses per block.")
LAPSTACK_TELEMETRY_TRACE = Setting(
    "LAPSTACK_TELEMETRY_TRACE", kinds.BOOLEAN, lambda: False, "`false`",
    "Debug/test: report every staged telemetry chunk on stderr, so a kill can land mid-load.")
LAPSTACK_TELEMETRY_TRACE_DELAY = Setting(
    "LAPSTACK_TELEMETRY_TRACE_DELAY", kinds.number(0, 3600), lambda: 0.0, "`0`",
    "Debug/test: seconds to pause after each traced chunk.")

# --- FastF1 import -----------------------------------------------------------------------------------------
LAPSTACK_FASTF1_CACHE = Setting(
    "LAPSTACK_FASTF1_CACHE", kinds.PATH, _none, "`fastf1_cache/` beside the warehouse",
    "FastF1's own response cache; `--cache-dir` wins.")
LAPSTACK_FASTF1_LEDGER = Setting(
    "LAPSTACK_FASTF1_LEDGER", kinds.PATH, _none, "`fastf1_quota.sqlite` beside the warehouse",
    "The quota ledger: every API call, reservation and claim, shared by all processes.")
LAPSTACK_FASTF1_QUOTA = Setting(
    "LAPSTACK_FASTF1_QUOTA", kinds.QUOTA, _none, "the built-in limits",
    "API call limits, `NAME=CALLS[/SECONDS]` comma separated (e.g. `all=30/3600,jolpica=200/3600`); "
    "`--quota` wins.")
LAPSTACK_FASTF1_REPLAY = Setting(
    "LAPSTACK_FASTF1_REPLAY", kinds.DIRECTORY, _none, "unset: the live API",
    "Serve recorded responses from this folder (`<host>/<path>`) instead of the network; `--replay` wins.")
LAPSTACK_FASTF1_WEBHOOK_URL = Setting(
    "LAPSTACK_FASTF1_WEBHOOK_URL", kinds.HTTP_URL, _none, "unset: no notification",
    "Slack-compatible webhook for the import's summary. A secret: never printed.", secret=True)
LAPSTACK_FASTF1_GAP_REPORT = Setting(
    "LAPSTACK_FASTF1_GAP_REPORT", kinds.PATH, _none, "`fastf1_gap_report.json` beside the ledger",
    "The gap report the daily refresh writes and the quota sensor plans from.")
LAPSTACK_FASTF1_SEASON = Setting(
    "LAPSTACK_FASTF1_SEASON", kinds.integer(1950, 2100), lambda: dt.datetime.now(dt.UTC).year,
    "this year (UTC)", "Season of the Dagster gap refresh and quota sensor.")
F1_USERNAME = Setting(
    "F1_USERNAME", kinds.TEXT, _none, "unset: unauthenticated",
    "F1 account for FastF1's headless sign-in (never prompts). Never printed.", secret=True)
F1_PASSWORD = Setting(
    "F1_PASSWORD", kinds.TEXT, _none, "unset: unauthenticated",
    "Password of `F1_USERNAME`. A secret: never printed.", secret=True)

# --- Dagster -----------------------------------------------------------------------------------------------
DAGSTER_HOME = Setting(
    "DAGSTER_HOME", kinds.PATH, _none, "`.dagster_home` (the repo's; `make` sets it too)",
    "Dagster instance folder; in-process runs (`lapstack demo`, `lapstack materialize`) are recorded there.")
LAPSTACK_LANDING_DIR = Setting(
    "LAPSTACK_LANDING_DIR", kinds.PATH, lambda: PROJECT_ROOT / "landing", "`landing/`",
    "Folder the landing sensor watches for new or changed lap files.")
LAPSTACK_LANDING_SETTLE_SECONDS = Setting(
    "LAPSTACK_LANDING_SETTLE_SECONDS", kinds.number(0, 3600), lambda: 5.0, "`5`",
    "A landing file modified more recently than this may still be copying in: it waits for the next tick.")
LAPSTACK_WEBHOOK_URL = Setting(
    "LAPSTACK_WEBHOOK_URL", kinds.HTTP_URL, _none, "unset: no notification",
    "Run-status webhook of the Dagster sensors (JSON POST). A secret: never printed.", secret=True)
LAPSTACK_BI_STATEMENT_TIMEOUT = Setting(
    "LAPSTACK_BI_STATEMENT_TIMEOUT", kinds.DURATION, lambda: "60s", "`60s`",
    "`lapstack grant-bi`: statement timeout set on the BI role (Postgres).")
LAPSTACK_BI_CONNECTION_LIMIT = Setting(
    "LAPSTACK_BI_CONNECTION_LIMIT", kinds.integer(1, 10000), lambda: 10, "`10`",
    "`lapstack grant-bi`: connection limit of the BI role (Postgres).")
LAPSTACK_DBT_MANIFEST_DIR = Setting(
    "LAPSTACK_DBT_MANIFEST_DIR", kinds.PATH, lambda: DBT_PROJECT_DIR / "target", "`dbt_project/target`",
    "dbt target folder holding the `manifest.json` Dagster loads its dbt assets from.")
LAPSTACK_TEST_SESSIONS = Setting(
    "LAPSTACK_TEST_SESSIONS", kinds.SESSION_LIST, _none, "unset: every row",
    "Sessions the session-keyed dbt data tests read (JSON list; `[]`: none). `lapstack build` and Dagster's dbt "
    "steps set it to the sessions the run rebuilds; the scheduled full-scope tests and plain dbt leave it unset.")
LAPSTACK_QUALITY_REPORT_DIR = Setting(
    "LAPSTACK_QUALITY_REPORT_DIR", kinds.PATH, lambda: PROJECT_ROOT / "reports" / "quality", "`reports/quality`",
    "Where Dagster-run quality checks write their Data Docs: one stable folder per target (`<dir>/<target>/`).")
LAPSTACK_LOOKBACK_HOURS = Setting(
    "LAPSTACK_LOOKBACK_HOURS", kinds.integer(0, 24 * 366), lambda: 3, "`3`",
    "Hours the nightly build of the hourly time marts looks back.")
LAPSTACK_LOOKBACK_DAYS = Setting(
    "LAPSTACK_LOOKBACK_DAYS", kinds.integer(0, 3660), lambda: 2, "`2`",
    "Days the nightly build of the daily time marts looks back.")
LAPSTACK_LOOKBACK_MONTHS = Setting(
    "LAPSTACK_LOOKBACK_MONTHS", kinds.integer(0, 120), lambda: 1, "`1`",
    "Months the nightly build of the monthly time marts looks back.")

# --- benchmarks and tests ----------------------------------------------------------------------------------
LAPSTACK_BENCH_DIR = Setting(
    "LAPSTACK_BENCH_DIR", kinds.PATH, lambda: Path("/tmp/lapstack_bench"), "`/tmp/lapstack_bench`",
    "Work folder of the benchmarks (copies of replicated real data, their warehouses).")
COLUMNS = Setting(
    "COLUMNS", kinds.integer(20, 10_000), lambda: None, "unset: the terminal's width, else wide enough for every name",
    "Width of the CLI's tables (`lapstack demo`, `lapstack quality`) when the output is not a terminal; on a "
    "terminal its own width wins.")
CI = Setting(
    "CI", kinds.BOOLEAN, lambda: False, "`false`",
    "Under `true` a missing test prerequisite (data folder, Postgres, emulator) fails instead of skipping.")


def markdown_table() -> str:
    """The README's "Environment variables" table, in declaration order."""
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    lines += [f"| `{s.name}` | {s.default_text} | {s.meaning} |" for s in VARIABLES.values()]
    return "\n".join(lines)


__all__ = ["DBT_PROJECT_DIR", "PROJECT_ROOT", "VARIABLES", "Setting", "markdown_table", *VARIABLES]
