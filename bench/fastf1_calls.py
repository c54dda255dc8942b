"""HTTP calls for a multi-session FastF1 import: lapstack (one load, every type) vs a naive importer
(one load per data type), counted the same way: at the transport, cache hits excluded.

Runs on the recorded responses in $LAPSTACK_DATA/fastf1_http through the replay; no network.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from core.settings import apply_network_hygiene, data_dir
from loaders.fastf1 import transport
from loaders.fastf1.ledger import Ledger, parse_limits

SESSIONS = [(2023, 4, "Qualifying"), (2024, 12, "Practice 1"), (2018, 4, "Race")]
# What a per-type importer asks FastF1 for, one `Session.load` each.
NAIVE_LOADS = {
    "laps": dict(laps=True, telemetry=False, weather=False, messages=False),
    "results": dict(laps=False, telemetry=False, weather=False, messages=False),
    "weather": dict(laps=False, telemetry=False, weather=True, messages=False),
    "race_control_messages": dict(laps=False, telemetry=False, weather=False, messages=True),
    "session_status+track_status": dict(laps=False, telemetry=False, weather=False, messages=False),
    "circuit_info": dict(laps=True, telemetry=False, weather=False, messages=False),
    "car_telemetry": dict(laps=True, telemetry=True, weather=False, messages=False),
}


def counted(ledger: Ledger, work) -> int:
    with transport.charged_to(ledger, "bench", None) as spent:
        work()
    return sum(spent.values())


def fresh(replay: Path, tmp: Path, name: str) -> None:
    """A new FastF1 cache, and FastF1's in-process hourly counters emptied: this bench counts calls across
    many simulated jobs in one process, which FastF1's own 500/h guard would otherwise stop."""
    from fastf1.req import _CallsPerIntervalLimitRaise, _SessionWithRateLimiting

    for limiters in _SessionWithRateLimiting._RATE_LIMITS.values():
        for lim in limiters:
            if isinstance(lim, _CallsPerIntervalLimitRaise):
                lim._timestamps.clear()
    transport.configure_fastf1(tmp / name)
    transport.install(replay)


def main() -> int:
    apply_network_hygiene()
    import fastf1

    from loaders.fastf1.extract import extract_all

    replay = data_dir() / "fastf1_http"
    if not replay.is_dir():
        print(f"no recordings at {replay}: set LAPSTACK_DATA", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="lapstack_bench_"))
    ledger = Ledger(tmp / "quota.sqlite", parse_limits("all=100000/3600,jolpica=100000/3600"))
    started = time.monotonic()

    def one_load(season, rnd, name, **flags):
        session = fastf1.get_session(season, rnd, name)
        session.load(**flags)
        return session

    fresh(replay, tmp, "lapstack")
    lapstack = counted(ledger, lambda: [extract_all(one_load(s, r, n)) for s, r, n in SESSIONS])
    rerun = counted(ledger, lambda: None)  # a re-run with no gaps loads nothing (gap detection, see tests)
    fresh(replay, tmp, "fastf1_itself")
    own = counted(ledger, lambda: [one_load(s, r, n) for s, r, n in SESSIONS])
    naive_cold = 0
    for data_type, flags in NAIVE_LOADS.items():  # a separate job per type: no cache shared between them
        fresh(replay, tmp, f"naive_{data_type}")
        naive_cold += counted(ledger, lambda flags=flags: [one_load(s, r, n, **flags) for s, r, n in SESSIONS])
    fresh(replay, tmp, "naive_shared")
    naive_shared = sum(counted(ledger, lambda flags=flags: [one_load(s, r, n, **flags) for s, r, n in SESSIONS])
                       for flags in NAIVE_LOADS.values())
    n = len(SESSIONS)
    print(f"FastF1 HTTP calls for {n} recorded sessions (replay of real responses; cache hits excluded)")
    print(f"  lapstack, one load per session, all types: {lapstack:5d}  ({lapstack / n:.1f}/session)")
    print(f"  FastF1 itself, Session.load() per session:  {own:5d}  ({own / n:.1f}/session)")
    print(f"  naive, one load per type, separate caches:  {naive_cold:5d}  "
          f"(lapstack = {lapstack / naive_cold:.2f} x naive; target <= 0.33)")
    print(f"  naive, one load per type, shared cache:     {naive_shared:5d}  "
          f"(lapstack = {lapstack / naive_shared:.2f} x naive)")
    print(f"  lapstack re-run with no gaps:               {rerun:5d}  (target 0)")
    print(f"  lapstack per session vs FastF1 itself:      {lapstack / n:.1f} vs {own / n:.1f} "
          "(lapstack adds the circuit-info request FastF1 makes only in get_circuit_info())")
    print(f"  elapsed {time.monotonic() - started:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
