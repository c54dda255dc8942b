"""How many gap sessions the shared quota affords now, from the ledger's usage and learned costs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from loaders.fastf1.gaps import estimate_for
from loaders.fastf1.ledger import Ledger, Usage
from orchestration.fastf1.gap_file import PlannedGap


@dataclass
class QuotaPlan:
    chosen: list[PlannedGap]
    blocked_by: Usage | None  # the limit that stopped the plan, when one did
    remaining: dict[str, int]


def learned_cost(ledger: Ledger, gap: PlannedGap) -> dict[str, int]:
    """Calls per session as the ledger learned them for this session kind; the report's estimate otherwise."""
    learned = ledger.observed_cost(gap.kind) or ledger.observed_cost(None)
    return learned or gap.estimate or estimate_for(ledger, gap.kind)


def plan(ledger: Ledger, gaps: list[PlannedGap], pending_cost: dict[str, int] | None = None) -> QuotaPlan:
    """Greedy in gap order: take sessions while every limit still has room for their estimated calls.

    `pending_cost` is what already requested but not yet started runs will spend (they hold no
    reservation yet); open reservations of running loads are counted by the ledger itself.
    """
    usages = {u.limit.name: u for u in ledger.usage()}
    remaining = {name: u.remaining - (pending_cost or {}).get(name, 0) for name, u in usages.items()}
    chosen: list[PlannedGap] = []
    for gap in gaps:
        cost = learned_cost(ledger, gap)
        short = [name for name, calls in cost.items() if calls > 0 and remaining.get(name, 0) < calls]
        if short:
            return QuotaPlan(chosen, usages.get(short[0]), remaining)
        for name, calls in cost.items():
            if name in remaining:
                remaining[name] -= calls
        chosen.append(gap)
    return QuotaPlan(chosen, None, remaining)


def reset_text(usage: Usage, now: float) -> str:
    """When the blocking limit's window frees its oldest call (or, with only reservations, shortly)."""
    when = usage.next_reset if usage.next_reset is not None else now + 30.0
    stamp = dt.datetime.fromtimestamp(when, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    return (f"FastF1 quota '{usage.limit.name}' exhausted ({usage.used} used + {usage.reserved} reserved of "
            f"{usage.limit.calls} per {usage.limit.window_s:.0f}s); resets at {stamp}")
