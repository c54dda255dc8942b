"""Two drivers side by side from the small marts: headline numbers and a time-aligned speed delta.

Reads only `marts.session_driver_telemetry` and `marts.best_lap_speed_trace` (pre-aggregated), or for
an explicit lap one bounded, parameterised query on `marts.fct_telemetry` for those two drivers and
that lap. Never loads a session's full telemetry.
"""

from __future__ import annotations

import math
from typing import Any

from core.warehouse import Warehouse

MARTS = "marts"
MAX_TRACE_ROWS = 5000  # per query: two laps of ~1 s buckets need a few hundred
MAX_LAP_SAMPLES = 20000  # explicit lap: raw samples for two drivers (F1 ~4 Hz, GR Cup ~50 Hz)
STEP_S = 1.0


class CompareError(ValueError):
    """Unknown session, driver or lap: a clear message, nothing else happens."""


def _check_args(session_id: str, drivers: list[str] | tuple[str, ...], lap: int | None) -> None:
    if not isinstance(session_id, str) or not session_id or len(session_id) > 200:
        raise CompareError("session must be a session id (see `lapstack sessions`)")
    if len(drivers) != 2 or len(set(drivers)) != 2:
        raise CompareError("give exactly two different drivers")
    for driver in drivers:
        if not isinstance(driver, str) or not driver or len(driver) > 64:
            raise CompareError(f"not a driver: {driver!r}")
    if lap is not None and (not isinstance(lap, int) or lap < 0):
        raise CompareError(f"lap must be a non-negative whole number, got {lap!r}")


def _headline(wh: Warehouse, session_id: str, drivers: list[str]) -> dict[str, dict[str, Any]]:
    df = wh.query_df(
        f"select driver, laps, samples, avg_speed, max_speed, full_throttle_pct, braking_pct, max_rpm, "
        f"gear_changes, best_lap_number, best_lap_time from {MARTS}.session_driver_telemetry "
        "where session_id = ? and driver in (?, ?)", (session_id, *drivers))
    found = {row["driver"]: row for row in df.to_dict("records")}
    if len(found) == 2:
        return found
    known = wh.query(f"select driver from {MARTS}.session_driver_telemetry where session_id = ? "
                     "order by driver limit 100", (session_id,))
    if not known:
        raise CompareError(f"unknown session {session_id!r}: no telemetry built for it "
                           "(load telemetry, then `lapstack build`)")
    missing = [d for d in drivers if d not in found]
    raise CompareError(f"unknown driver(s) {', '.join(map(repr, missing))} in {session_id}; "
                       f"drivers with telemetry: {', '.join(r[0] for r in known)}")


def _best_traces(wh: Warehouse, session_id: str, drivers: list[str]) -> dict[str, dict[float, float]]:
    rows = wh.query(f"select driver, elapsed_s, avg_speed from {MARTS}.best_lap_speed_trace "
                    "where session_id = ? and driver in (?, ?) order by driver, elapsed_s limit ?",
                    (session_id, *drivers, MAX_TRACE_ROWS))
    traces: dict[str, dict[float, float]] = {d: {} for d in drivers}
    for driver, elapsed, speed in rows:
        traces[driver][float(elapsed)] = None if speed is None else float(speed)
    return traces


def _lap_traces(wh: Warehouse, session_id: str, drivers: list[str], lap: int) -> dict[str, dict[float, float]]:
    rows = wh.query(f"select driver, sample_time, speed from {MARTS}.fct_telemetry where session_id = ? "
                    "and driver in (?, ?) and lap_number = ? and speed is not null "
                    "order by driver, sample_time limit ?", (session_id, *drivers, lap, MAX_LAP_SAMPLES))
    buckets: dict[str, dict[float, list[float]]] = {d: {} for d in drivers}
    starts: dict[str, Any] = {}
    for driver, sample_time, speed in rows:
        start = starts.setdefault(driver, sample_time)
        elapsed = math.floor((sample_time - start).total_seconds() / STEP_S) * STEP_S
        buckets[driver].setdefault(elapsed, []).append(float(speed))
    for driver in drivers:
        if not buckets[driver]:
            raise CompareError(f"driver {driver!r} has no telemetry on lap {lap} of {session_id}")
    return {d: {k: sum(v) / len(v) for k, v in b.items()} for d, b in buckets.items()}


def compare(wh: Warehouse, session_id: str, drivers: list[str] | tuple[str, ...], lap: int | None = None,
            max_points: int = 2000) -> dict[str, Any]:
    """Per driver: laps, avg/max speed, throttle and brake share; plus speed delta (A - B) per second of lap."""
    drivers = list(drivers)
    _check_args(session_id, drivers, lap)
    head = _headline(wh, session_id, drivers)
    traces = _lap_traces(wh, session_id, drivers, lap) if lap is not None \
        else _best_traces(wh, session_id, drivers)
    a, b = drivers
    grid = sorted(set(traces[a]) & set(traces[b]))
    delta = [{"elapsed_s": t, "speed_a": traces[a][t], "speed_b": traces[b][t],
              "delta": None if traces[a][t] is None or traces[b][t] is None else traces[a][t] - traces[b][t]}
             for t in grid]
    return {
        "session_id": session_id,
        "lap": lap if lap is not None else "best",
        "drivers": [{
            "driver": d, "laps": int(head[d]["laps"]), "samples": int(head[d]["samples"]),
            "avg_speed": head[d]["avg_speed"], "max_speed": head[d]["max_speed"],
            "full_throttle_pct": head[d]["full_throttle_pct"], "braking_pct": head[d]["braking_pct"],
            "compared_lap": lap if lap is not None else head[d]["best_lap_number"],
            "best_lap_time": head[d]["best_lap_time"],
        } for d in drivers],
        "speed_delta": delta[:max_points],
        "truncated": len(delta) > max_points,
    }


def format_table(result: dict[str, Any]) -> str:
    def num(v: Any, fmt: str = ".1f") -> str:
        return "-" if v is None else format(float(v), fmt)
    lines = [f"session {result['session_id']}  lap: {result['lap']}",
             f"{'driver':8} {'laps':>5} {'avg km/h':>9} {'max km/h':>9} {'full thr %':>10} {'brake %':>8} "
             f"{'lap':>5} {'best lap s':>10}"]
    for d in result["drivers"]:
        lines.append(f"{d['driver']:8} {d['laps']:>5} {num(d['avg_speed']):>9} {num(d['max_speed']):>9} "
                     f"{num(d['full_throttle_pct']):>10} {num(d['braking_pct']):>8} "
                     f"{d['compared_lap'] if d['compared_lap'] is not None else '-':>5} "
                     f"{num(d['best_lap_time'], '.3f'):>10}")
    deltas = [p["delta"] for p in result["speed_delta"] if p["delta"] is not None]
    a, b = (d["driver"] for d in result["drivers"])
    if deltas:
        lines.append(f"speed delta {a} - {b} over {len(deltas)} aligned seconds: mean {sum(deltas) / len(deltas):+.1f} "
                     f"km/h, min {min(deltas):+.1f}, max {max(deltas):+.1f}")
        step = max(1, len(result["speed_delta"]) // 20)
        for p in result["speed_delta"][::step]:
            lines.append(f"  t={p['elapsed_s']:6.1f}s  {num(p['speed_a']):>6} {num(p['speed_b']):>6}  "
                         f"{num(p['delta'], '+.1f'):>7}")
    else:
        lines.append("no time-aligned speed samples in common")
    return "\n".join(lines)
