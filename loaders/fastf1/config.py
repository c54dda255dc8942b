"""Where the FastF1 import keeps its cache and quota ledger, its limits, replay folder and webhook."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.settings import PROJECT_ROOT, resolve_target
from loaders.fastf1.ledger import Limit, parse_limits

ENV_CACHE = "LAPSTACK_FASTF1_CACHE"
ENV_LEDGER = "LAPSTACK_FASTF1_LEDGER"
ENV_QUOTA = "LAPSTACK_FASTF1_QUOTA"
ENV_REPLAY = "LAPSTACK_FASTF1_REPLAY"
ENV_WEBHOOK = "LAPSTACK_FASTF1_WEBHOOK_URL"


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
        replay = replay_dir or (Path(os.environ[ENV_REPLAY]) if os.environ.get(ENV_REPLAY) else None)
        if replay is not None and not replay.is_dir():
            raise SystemExit(f"lapstack: replay folder {replay} does not exist")
        return cls(
            cache_dir=cache_dir or Path(os.environ.get(ENV_CACHE) or base / "fastf1_cache"),
            ledger_path=Path(os.environ.get(ENV_LEDGER) or base / "fastf1_quota.sqlite"),
            limits=parse_limits(quota if quota is not None else os.environ.get(ENV_QUOTA)),
            replay_dir=replay,
            webhook_url=os.environ.get(ENV_WEBHOOK) or None,
        )
