"""Where the FastF1 import keeps its cache and quota ledger, its limits, replay folder and webhook."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import (
    LAPSTACK_FASTF1_CACHE,
    LAPSTACK_FASTF1_LEDGER,
    LAPSTACK_FASTF1_QUOTA,
    LAPSTACK_FASTF1_REPLAY,
    LAPSTACK_FASTF1_WEBHOOK_URL,
    PROJECT_ROOT,
    resolve_target,
)
from loaders.fastf1.ledger import Limit, parse_limits


def warehouse_dir(target: str | None) -> Path:
    """The DuckDB file's folder; for server targets the repo's `warehouse/` folder."""
    resolved = resolve_target(target)
    if resolved.kind == "duckdb":
        return Path(resolved.config["path"]).parent
    return PROJECT_ROOT / "warehouse"


@dataclass(frozen=True)
class ImportConfig:
    cache_dir: Path
    ledger_path: Path
    limits: tuple[Limit, ...]
    replay_dir: Path | None
    webhook_url: str | None

    @classmethod
    def resolve(cls, target: str | None, cache_dir: Path | None = None, replay_dir: Path | None = None,
                quota: str | None = None) -> ImportConfig:
        base = warehouse_dir(target)
        replay = replay_dir or LAPSTACK_FASTF1_REPLAY.get()
        if replay is not None and not replay.is_dir():
            raise SystemExit(f"lapstack: replay folder {replay} does not exist")
        return cls(
            cache_dir=cache_dir or LAPSTACK_FASTF1_CACHE.get() or base / "fastf1_cache",
            ledger_path=LAPSTACK_FASTF1_LEDGER.get() or base / "fastf1_quota.sqlite",
            limits=parse_limits(quota) if quota is not None else _env_limits(),
            replay_dir=replay,
            webhook_url=LAPSTACK_FASTF1_WEBHOOK_URL.get(),
        )


def _env_limits() -> tuple[Limit, ...]:
    """LAPSTACK_FASTF1_QUOTA: its shape is checked by the setting, its limit names only here."""
    try:
        return parse_limits(LAPSTACK_FASTF1_QUOTA.get())
    except ValueError as exc:
        raise LAPSTACK_FASTF1_QUOTA.invalid(f"a valid quota ({exc})") from None
