"""Two drivers' laps side by side on one distance grid, checked against the official timing.

    compare(session, driver_a, driver_b, lap=None, *, wh=None, step_m=None) -> dict

Default (best laps, no step): two queries, `marts.session_driver_telemetry` (headline numbers, on-lap samples
only) and `marts.best_lap_distance_trace`, where dbt has already put each driver's best lap (the fastest racing
lap: not deleted, not pit in/out, fct_laps flags) on the same 1,001-point lap-fraction grid with its official lap
and sector times. That keeps the read to ~2,000 small rows whatever the warehouse holds (the latency target is
20 ms on a 16M-sample warehouse). An explicit lap, or an explicit `step_m`, reads the two laps' samples with one
bounded parameterised query on `marts.fct_telemetry` and the official times from `marts.telemetry_lap_windows`
(F1) or `marts.fct_laps`, and grids them here the same way. Never loads a session's full telemetry.

Method. Each lap's samples carry `lap_fraction` (distance / lap length; distance is the source's lap distance, or
the speed integrated over the lap's own time, anchored to the official lap start and lap time) and
`lap_elapsed_s`. Both laps go on one grid over their mean length by lap fraction, so the start line is 0 m and
the finish line the last point for both. `time_a`/`time_b` at a point are interpolated from (fraction, elapsed)
including the anchors (0, 0) and (1, lap time); `delta_s` = time_b - time_a, positive when B is behind. At the
finish line it is the official lap-time difference.

Return shape (JSON-safe; the HTML session report reads it):
    {"session_id", "lap": "best" | N, "step_m", "track_length_m",
     "drivers": [{"driver", "laps", "samples", "avg_speed", "max_speed", "full_throttle_pct", "braking_pct",
                  "compared_lap", "lap_time", "is_racing_lap", "lap_length_m", "distance_method",
                  "best_lap_time"}, A, B],
     "lap_times": {"a", "b", "diff_s"},                      # official, seconds; diff = b - a
     "final_delta_s",                                        # running delta at the finish line
     "sectors": [{"sector", "time_a", "time_b", "diff_s",    # official sector times and b - a
                  "end_distance_m", "official_cumulative_diff_s", "delta_at_end_s"}],  # 1-3
     "points": [{"distance_m", "speed_a", "speed_b", "throttle_a", "throttle_b", "brake_a", "brake_b",
                 "gear_a", "gear_b", "time_a", "time_b", "delta_s"}],
     "truncated": bool}
Sector end distance: the mean of the two laps' positions (by lap fraction) at their official sector-end times.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from core.warehouse import Warehouse, connect

MARTS = "marts"
MAX_LAP_SAMPLES = 20000  # per driver and lap (F1 ~4 Hz, GR Cup up to ~50 Hz)
DEFAULT_STEP_M = 5.0


class CompareError(ValueError):
    """Unknown session, driver or lap: a clear message, nothing else happens."""


def _check_args(session_id: str, drivers: list[str], lap: int | None, step_m: float | None) -> None:
    if not isinstance(session_id, str) or not session_id or len(session_id) > 200:
        raise CompareError("session must be a session id (see `lapstack sessions`)")
    if len(drivers) != 2 or len(set(drivers)) != 2:
        raise CompareError("give exactly two different drivers")
    for driver in drivers:
        if not isinstance(driver, str) or not driver or len(driver) > 64:
            raise CompareError(f"not a driver: {driver!r}")
    if lap is not None and (not isinstance(lap, int) or isinstance(lap, bool) or lap < 0):
        raise CompareError(f"lap must be a non-negative whole number, got {lap!r}")
    if step_m is not None and not (isinstance(step_m, int | float) and not isinstance(step_m, bool)
                                   and 0.5 <= step_m <= 100):
        raise CompareError("step_m must be between 0.5 and 100 metres")


HEADLINE_COLUMNS = ("driver", "laps", "samples", "avg_speed", "max_speed", "full_throttle_pct", "braking_pct",
                    "best_lap_number", "best_lap_time")
LAP_COLUMNS = ("lap_number", "lap_length_m", "distance_method", "lap_time", "anchor_lap_time", "sector_1_time",
               "sector_2_time", "sector_3_time", "is_racing_lap")


def _headline(wh: Warehouse, session_id: str, drivers: list[str]) -> dict[str, dict[str, Any]]:
    """Headline numbers of both drivers: one query (tuples, no DataFrame: this is on the latency path)."""
    rows = wh.query(f"select {', '.join(HEADLINE_COLUMNS)} from {MARTS}.session_driver_telemetry "
                    "where session_id = ? and driver in (?, ?)", (session_id, *drivers))
    found = {row[0]: dict(zip(HEADLINE_COLUMNS, row, strict=True)) for row in rows}
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


def _grid_facts(wh: Warehouse, session_id: str, drivers: list[str]) -> dict[str, dict[str, Any]]:
    """Each best lap's own facts (official times, length), from its grid row 0: a separate two-row query is
    cheaper than joining them to the headline or repeating them on 2,002 fetched rows."""
    rows = wh.query(f"select driver, {', '.join(LAP_COLUMNS)} from {MARTS}.best_lap_distance_trace "
                    "where session_id = ? and driver in (?, ?) and lap_permille = 0", (session_id, *drivers))
    facts = {row[0]: dict(zip(LAP_COLUMNS, row[1:], strict=True)) for row in rows}
    for d in drivers:
        if d not in facts:
            raise CompareError(f"driver {d!r} has no telemetry on a best lap with distance of {session_id}")
    return facts


TRACE_COLUMNS = ("lap_number, lap_elapsed_s, lap_fraction, lap_length_m, distance_method, speed, throttle, "
                 "is_braking, gear")
GRID_ROWS = 1001  # best_lap_distance_trace: lap_permille 0..1000 per best lap


def _grid_laps(wh: Warehouse, session_id: str, facts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Both best laps, pre-gridded by dbt: one query, five numeric columns, one array conversion. The mart's
    grain is exactly lap_permille 0..1000 per best lap, so the rows split by count (driver order)."""
    drivers = sorted(facts)
    rows = wh.query(f"select lap_elapsed_s, speed, throttle, is_braking, gear "
                    f"from {MARTS}.best_lap_distance_trace where session_id = ? and driver in (?, ?) "
                    "order by driver, lap_permille limit ?", (session_id, *drivers, 2 * GRID_ROWS + 1))
    if len(rows) != 2 * GRID_ROWS:
        raise CompareError(f"best_lap_distance_trace holds {len(rows)} rows for {', '.join(drivers)} in "
                           f"{session_id}, not {GRID_ROWS} each: rebuild it (`lapstack build`)")
    arr = np.array(rows, dtype=float)  # NULL -> nan
    fraction = np.arange(GRID_ROWS) / (GRID_ROWS - 1)
    laps = {}
    for i, d in enumerate(drivers):
        own, f = arr[i * GRID_ROWS:(i + 1) * GRID_ROWS], facts[d]
        laps[d] = {
            "lap_number": int(f["lap_number"]), "fraction": fraction, "elapsed": own[:, 0],
            "lap_length_m": float(f["lap_length_m"]), "distance_method": f["distance_method"],
            "speed": own[:, 1], "throttle": own[:, 2],
            "brake": _nullable(own[:, 3] == 1.0, own[:, 3]),
            "gear": _nullable(np.nan_to_num(own[:, 4]).astype(int), own[:, 4]),
        }
    return laps


def _sample_rows(wh: Warehouse, session_id: str, laps: dict[str, int]) -> dict[str, list[tuple]]:
    """Both drivers' samples of their compared laps in one bounded, parameterised query on fct_telemetry."""
    (a, la), (b, lb) = laps.items()
    sql = (f"select driver, {TRACE_COLUMNS} from {MARTS}.fct_telemetry where session_id = ? "
           "and ((driver = ? and lap_number = ?) or (driver = ? and lap_number = ?)) and distance is not null "
           "order by driver, sample_time, sample_seq limit ?")
    rows = wh.query(sql, (session_id, a, la, b, lb, 2 * MAX_LAP_SAMPLES))
    by_driver: dict[str, list[tuple]] = {d: [] for d in laps}
    for row in rows:
        if len(by_driver[row[0]]) < MAX_LAP_SAMPLES:
            by_driver[row[0]].append(row[1:])
    return by_driver


def _floats(values: list) -> np.ndarray:
    """NULL as NaN: one vectorised conversion instead of a Python test per value."""
    return np.array(values, dtype=float)  # None becomes nan for a float array


def _lap_samples(rows: list[tuple], driver: str, session_id: str, lap: int | None) -> dict[str, Any]:
    if not rows:
        what = f"lap {lap}" if lap is not None else "a best lap with distance"
        raise CompareError(f"driver {driver!r} has no telemetry on {what} of {session_id}")
    cols = [c.strip() for c in TRACE_COLUMNS.split(",")]
    data = dict(zip(cols, map(list, zip(*rows, strict=True)), strict=True))
    return {
        "lap_number": int(data["lap_number"][0]),
        "elapsed": _floats(data["lap_elapsed_s"]),
        "fraction": _floats(data["lap_fraction"]),
        "lap_length_m": float(np.nanmax(_floats(data["lap_length_m"]))),
        "distance_method": data["distance_method"][0],
        "speed": _floats(data["speed"]),
        "throttle": _floats(data["throttle"]),
        "brake": [None if v is None else bool(v) for v in data["is_braking"]],
        "gear": [None if v is None else int(v) for v in data["gear"]],
    }


def _grid_official(head: dict[str, Any]) -> dict[str, Any]:
    """The best lap's official times, as best_lap_distance_trace carries them."""
    racing = head["is_racing_lap"]
    return {"lap_time": head["lap_time"], "anchor_lap_time": head["anchor_lap_time"],
            "sectors": [head["sector_1_time"], head["sector_2_time"], head["sector_3_time"]],
            "is_racing_lap": None if racing is None else bool(racing)}


def _official(wh: Warehouse, session_id: str, laps: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Official lap and sector times of each driver's compared lap: two queries for both drivers."""
    out = {d: {"lap_time": None, "anchor_lap_time": None, "sectors": [None, None, None], "is_racing_lap": None}
           for d in laps}
    (a, la), (b, lb) = laps.items()
    keys = (session_id, a, la, b, lb)
    where = "where session_id = ? and ((driver = ? and lap_number = ?) or (driver = ? and lap_number = ?))"
    if wh.table_exists(MARTS, "telemetry_lap_windows"):
        for driver, *row in wh.query(f"select driver, lap_time, anchor_lap_time, sector_1_time, sector_2_time, "
                                     f"sector_3_time from {MARTS}.telemetry_lap_windows {where}", keys):
            out[driver].update(lap_time=row[0], anchor_lap_time=row[1], sectors=list(row[2:5]))
    for driver, *row in wh.query(f"select driver, lap_time, sector_1_time, sector_2_time, sector_3_time, "
                                 f"is_racing_lap from {MARTS}.fct_laps {where}", keys):
        own = out[driver]
        own["is_racing_lap"] = bool(row[4]) if row[4] is not None else None
        if own["lap_time"] is None:
            own["lap_time"] = row[0]
        if all(v is None for v in own["sectors"]):
            own["sectors"] = list(row[1:4])
    return out


def _profile(samples: dict[str, Any], official: dict[str, Any], gridded: bool) -> tuple[np.ndarray, np.ndarray]:
    """(lap fraction, elapsed s) with the official anchors: start line (0, 0), finish line (1, lap time).
    Grid rows already hold them (lap_permille 0 and 1000)."""
    frac, elapsed = samples["fraction"], samples["elapsed"]
    if gridded:
        return frac, elapsed
    anchor = official["anchor_lap_time"]
    frac = np.concatenate([[0.0], frac, [1.0] if anchor is not None else []])
    elapsed = np.concatenate([[0.0], elapsed, [float(anchor)] if anchor is not None else []])
    order = np.argsort(frac, kind="stable")
    return frac[order], elapsed[order]


def _step_values(x: np.ndarray, xp: np.ndarray, values: list) -> list:
    """Value of the last sample at or before each grid position (brake, gear: no interpolation)."""
    idx = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, len(values) - 1)
    return [values[i] for i in idx.tolist()]


def _nullable(values: np.ndarray, source: np.ndarray) -> list:
    """values as a list, None where source is NaN (NULL); no Python loop when nothing is missing."""
    missing = np.isnan(source)
    out = values.tolist()
    if missing.any():
        for i in np.flatnonzero(missing).tolist():
            out[i] = None
    return out


def _rounded(values: np.ndarray, digits: int) -> list[float | None]:
    """`_num` over a whole array at once (the points are most of a compare's Python time)."""
    rounded = np.round(np.asarray(values, dtype=float), digits)
    return _nullable(rounded, rounded)


def _num(v: Any, digits: int = 4) -> float | None:
    if v is None:
        return None
    v = float(v)
    return None if math.isnan(v) else round(v, digits)


def _read(wh: Warehouse, session: str, drivers: list[str], lap: int | None,
          step_m: float | None) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], bool]:
    """(headline, laps, official, gridded). Best laps on the default grid: two queries (headline, grid rows).
    Lap N, or the best laps on an explicit step: the samples from fct_telemetry and the official times."""
    head = _headline(wh, session, drivers)
    if lap is None and step_m is None:
        facts = _grid_facts(wh, session, drivers)
        return head, _grid_laps(wh, session, facts), {d: _grid_official(facts[d]) for d in drivers}, True
    numbers = {d: lap if lap is not None else head[d]["best_lap_number"] for d in drivers}
    if any(n is None for n in numbers.values()):
        raise CompareError(f"no best lap with telemetry for {', '.join(d for d, n in numbers.items() if n is None)}")
    rows = _sample_rows(wh, session, {d: int(n) for d, n in numbers.items()})
    laps = {d: _lap_samples(rows[d], d, session, lap) for d in drivers}
    return head, laps, _official(wh, session, {d: laps[d]["lap_number"] for d in drivers}), False


@contextlib.contextmanager
def _single_threaded(wh: Warehouse) -> Iterator[None]:
    """DuckDB: run compare's few small reads on one thread, then restore the connection's setting. Parallel
    scans do not pay on ~2,000 rows, and on a busy machine DuckDB's worker threads queue for a core (measured in
    bench/compare.py: the grid query 2-5x slower with threads=2 under load)."""
    if wh.kind != "duckdb":
        yield
        return
    threads = int(wh.query("select current_setting('threads')")[0][0])  # an int: safe to write into SET
    wh.execute("set threads = 1")
    try:
        yield
    finally:
        wh.execute(f"set threads = {threads}")


def compare(session: str, driver_a: str, driver_b: str, lap: int | None = None, *, wh: Warehouse | None = None,
            step_m: float | None = None, max_points: int = 20000) -> dict[str, Any]:
    """Both drivers' laps (best racing lap, or lap N) on one distance grid; see the module docstring."""
    drivers = [driver_a, driver_b]
    _check_args(session, drivers, lap, step_m)
    own = wh is None
    wh = connect() if own else wh
    try:
        with _single_threaded(wh):
            head, laps, official, gridded = _read(wh, session, drivers, lap, step_m)
    finally:
        if own:
            wh.close()
    a, b = drivers
    prof = {d: _profile(laps[d], official[d], gridded) for d in drivers}
    length = (laps[a]["lap_length_m"] + laps[b]["lap_length_m"]) / 2
    if gridded:
        frac = laps[a]["fraction"]
        grid = frac * length
        step = length / (len(frac) - 1)
    else:
        step = float(step_m if step_m is not None else DEFAULT_STEP_M)
        grid = np.append(np.arange(0.0, length, step), length)
        frac = grid / length
    times = {d: laps[d]["elapsed"] if gridded else np.interp(frac, *prof[d]) for d in drivers}
    values: dict[str, dict[str, Any]] = {}
    for d in drivers:
        if gridded:  # already on the grid: nothing to interpolate
            values[d] = {k: laps[d][k] for k in ("speed", "throttle", "brake", "gear")}
            continue
        f = laps[d]["fraction"]
        sp, th = laps[d]["speed"], laps[d]["throttle"]
        ok_s, ok_t = ~np.isnan(sp), ~np.isnan(th)
        values[d] = {
            "speed": np.interp(frac, f[ok_s], sp[ok_s]) if ok_s.any() else np.full(len(frac), np.nan),
            "throttle": np.interp(frac, f[ok_t], th[ok_t]) if ok_t.any() else np.full(len(frac), np.nan),
            "brake": laps[d]["brake"] if gridded else _step_values(frac, f, laps[d]["brake"]),
            "gear": laps[d]["gear"] if gridded else _step_values(frac, f, laps[d]["gear"]),
        }
    delta = times[b] - times[a]
    columns = {
        "distance_m": _rounded(grid, 2),
        "speed_a": _rounded(values[a]["speed"], 2), "speed_b": _rounded(values[b]["speed"], 2),
        "throttle_a": _rounded(values[a]["throttle"], 2), "throttle_b": _rounded(values[b]["throttle"], 2),
        "brake_a": values[a]["brake"], "brake_b": values[b]["brake"],
        "gear_a": values[a]["gear"], "gear_b": values[b]["gear"],
        "time_a": _rounded(times[a], 4), "time_b": _rounded(times[b], 4), "delta_s": _rounded(delta, 4),
    }
    points = [{"distance_m": d, "speed_a": sa, "speed_b": sb, "throttle_a": ta, "throttle_b": tb, "brake_a": ba,
               "brake_b": bb, "gear_a": ga, "gear_b": gb, "time_a": ea, "time_b": eb, "delta_s": ds}
              for d, sa, sb, ta, tb, ba, bb, ga, gb, ea, eb, ds in zip(*columns.values(), strict=True)]
    sectors = []
    cum: dict[str, float | None] = {d: 0.0 for d in drivers}
    for s in range(3):
        ta, tb = official[a]["sectors"][s], official[b]["sectors"][s]
        row: dict[str, Any] = {"sector": s + 1, "time_a": _num(ta), "time_b": _num(tb),
                               "diff_s": _num(tb - ta) if ta is not None and tb is not None else None,
                               "end_distance_m": None, "official_cumulative_diff_s": None, "delta_at_end_s": None}
        if ta is None or tb is None or cum[a] is None or cum[b] is None:
            cum = {d: None for d in drivers}
        else:
            cum = {a: cum[a] + ta, b: cum[b] + tb}
            row["official_cumulative_diff_s"] = _num(cum[b] - cum[a])
            if s < 2:
                x = (np.interp(cum[a], prof[a][1], prof[a][0]) + np.interp(cum[b], prof[b][1], prof[b][0])) / 2
            else:
                x = 1.0
            row["end_distance_m"] = _num(x * length, 1)
            row["delta_at_end_s"] = _num(np.interp(x, *prof[b]) - np.interp(x, *prof[a]))
        sectors.append(row)
    lap_a, lap_b = official[a]["lap_time"], official[b]["lap_time"]
    return {
        "session_id": session,
        "lap": lap if lap is not None else "best",
        "step_m": _num(step, 3),
        "track_length_m": _num(length, 1),
        "drivers": [{
            "driver": d, "laps": int(head[d]["laps"]), "samples": int(head[d]["samples"]),
            "avg_speed": _num(head[d]["avg_speed"]), "max_speed": _num(head[d]["max_speed"]),
            "full_throttle_pct": _num(head[d]["full_throttle_pct"]), "braking_pct": _num(head[d]["braking_pct"]),
            "compared_lap": laps[d]["lap_number"], "lap_time": _num(official[d]["lap_time"]),
            "is_racing_lap": official[d]["is_racing_lap"], "lap_length_m": _num(laps[d]["lap_length_m"], 1),
            "distance_method": laps[d]["distance_method"], "best_lap_time": _num(head[d]["best_lap_time"]),
        } for d in drivers],
        "lap_times": {"a": _num(lap_a), "b": _num(lap_b),
                      "diff_s": _num(lap_b - lap_a) if lap_a is not None and lap_b is not None else None},
        "final_delta_s": _num(delta[-1]),
        "sectors": sectors,
        "points": points[:max_points],
        "truncated": len(points) > max_points,
    }


def format_table(result: dict[str, Any]) -> str:
    def num(v: Any, fmt: str = ".1f") -> str:
        return "-" if v is None else format(float(v), fmt)
    a, b = (d["driver"] for d in result["drivers"])
    lines = [f"session {result['session_id']}  lap: {result['lap']}  (on-lap samples only; distance grid "
             f"{result['step_m']:g} m over {num(result['track_length_m'])} m)",
             f"{'driver':8} {'laps':>5} {'avg km/h':>9} {'max km/h':>9} {'full thr %':>10} {'brake %':>8} "
             f"{'lap':>5} {'lap time s':>10}"]
    for d in result["drivers"]:
        lines.append(f"{d['driver']:8} {d['laps']:>5} {num(d['avg_speed']):>9} {num(d['max_speed']):>9} "
                     f"{num(d['full_throttle_pct']):>10} {num(d['braking_pct']):>8} "
                     f"{d['compared_lap']:>5} {num(d['lap_time'], '.3f'):>10}")
    lt = result["lap_times"]
    lines.append(f"lap time {b} - {a}: official {num(lt['diff_s'], '+.3f')} s, telemetry delta at the line "
                 f"{num(result['final_delta_s'], '+.3f')} s")
    for s in result["sectors"]:
        lines.append(f"  sector {s['sector']}: {num(s['time_a'], '.3f')} / {num(s['time_b'], '.3f')} s "
                     f"(diff {num(s['diff_s'], '+.3f')}); at its end ({num(s['end_distance_m'])} m) official "
                     f"{num(s['official_cumulative_diff_s'], '+.3f')}, telemetry {num(s['delta_at_end_s'], '+.3f')}")
    step = max(1, len(result["points"]) // 20)
    lines.append(f"  {'dist m':>7} {a + ' km/h':>9} {b + ' km/h':>9} {'delta s':>8}")
    for p in result["points"][::step]:
        lines.append(f"  {p['distance_m']:7.0f} {num(p['speed_a']):>9} {num(p['speed_b']):>9} "
                     f"{num(p['delta_s'], '+.3f'):>8}")
    return "\n".join(lines)
