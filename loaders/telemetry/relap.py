"""Telemetry that arrived before its laps gets them when the laps arrive: no reload, no `--force`.

Called inside the transaction that lands a session's laps (F1: loaders.laps.store) or its ECU lap events
(GR Cup: lap_events), so the laps and the telemetry's lap numbers commit together. For every active
telemetry batch of the session:

* FastF1 car files stored under the car number get the driver code the laps give (the same car, re-keyed
  in place: never a second copy); a car whose code is already stored by another file is left alone.
* Lap numbers are recomputed from the session's lap windows exactly as a load does (the last lap start at
  or before the sample, and before that lap's end): all of them for FastF1 car data and GR Cup long format
  (always derived from the warehouse laps), only the missing ones for lapstack files (which may carry
  their own).
* The batch is re-stamped: its rows move to a new batch id with its own active audit row (same file and
  content hash, so a reload of the file is still `unchanged`), the old audit row is superseded. fct_telemetry
  is incremental by load batch, so its next incremental build replaces the session's samples.

Portable SQL (DuckDB, Postgres, Snowflake): UPDATE ... FROM a VALUES list of one driver's windows, every
value bound.
"""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np

from core.raw_schema import RAW
from core.warehouse import Warehouse
from loaders.telemetry import lapassign
from loaders.telemetry.columns import RAW_TABLE

FASTF1_FORMATS = ("fastf1_car_data", "lapstack_telemetry_csv", "lapstack_telemetry_parquet")
GR_CUP_FORMATS = ("gr_cup_telemetry",)
DERIVED = ("fastf1_car_data", "gr_cup_telemetry")  # lap numbers always come from the warehouse laps
_WINDOWS_PER_STATEMENT = 200


def after_fastf1_laps(wh: Warehouse, session_id: str, loaded_at: dt.datetime) -> int:
    """The session's FastF1 laps just landed (same transaction): re-key and re-lap its telemetry."""
    return _assign(wh, session_id, FASTF1_FORMATS, lapassign.fastf1_windows(wh, session_id), loaded_at)


def after_gr_cup_events(wh: Warehouse, session_id: str, loaded_at: dt.datetime) -> int:
    """The session's ECU lap events just landed (same transaction): re-lap its GR Cup telemetry."""
    return _assign(wh, session_id, GR_CUP_FORMATS, lapassign.gr_cup_windows(wh, session_id), loaded_at)


def _batches(wh: Warehouse, session_id: str, formats: tuple[str, ...]) -> list[tuple[str, str, list[str]]]:
    rows = wh.query(f"select t._batch_id, b.format, t._driver from {RAW}.{RAW_TABLE} as t "
                    f"join {RAW}.load_batches as b on b.batch_id = t._batch_id and b.status = 'active' "
                    f"where t._session_id = ? and b.format in ({', '.join('?' for _ in formats)}) "
                    "group by t._batch_id, b.format, t._driver", (session_id, *formats))
    out: dict[tuple[str, str], list[str]] = {}
    for batch, fmt, driver in rows:
        out.setdefault((batch, fmt), []).append(driver)
    return [(b, f, sorted(d)) for (b, f), d in sorted(out.items())]


def _rekey(wh: Warehouse, session_id: str, batch: str, fmt: str, drivers: list[str],
           codes: dict[str, str]) -> dict[str, str] | None:
    """FastF1 car file: number -> code for its car; None when another file already stores that code."""
    if fmt != "fastf1_car_data":
        return {}
    moves = {d: codes[d] for d in drivers if d in codes and codes[d] != d}
    for code in moves.values():
        if wh.query(f"select 1 from {RAW}.{RAW_TABLE} where _session_id = ? and _driver = ? and _batch_id <> ? "
                    "limit 1", (session_id, code, batch)):
            return None
    return moves


def _restamp(wh: Warehouse, session_id: str, batch: str, new: str, moves: dict[str, str], derived: bool,
             loaded_at: dt.datetime) -> None:
    lap_expr = "null" if derived else "lap_number"
    driver_expr = "_driver"
    params: list = []
    if moves:
        driver_expr = "case " + " ".join("when _driver = ? then ?" for _ in moves) + " else _driver end"
        for number, code in sorted(moves.items()):
            params += [number, code]
    wh.execute(f"update {RAW}.{RAW_TABLE} set _batch_id = ?, _driver = {driver_expr}, lap_number = {lap_expr} "
               "where _batch_id = ? and _session_id = ?", (new, *params, batch, session_id))
    wh.execute(f"insert into {RAW}.load_batches select ?, source_file, source_sha256, format, session_count, "
               f"row_count, ?, 'active' from {RAW}.load_batches where batch_id = ?", (new, loaded_at, batch))
    wh.execute(f"update {RAW}.load_batches set status = 'superseded' where batch_id = ?", (batch,))


def _ts(us: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(microseconds=int(us))


def _set_laps(wh: Warehouse, session_id: str, batch: str, driver: str,
              windows: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
    """Lap numbers for one car's null-lap rows; windows cut at the next start (= the load's as-of rule)."""
    starts, ends, laps = windows
    ends = np.minimum(ends, np.r_[starts[1:], np.iinfo(np.int64).max])
    keep = ends > starts
    starts, ends, laps = starts[keep], ends[keep], laps[keep]
    for i in range(0, len(starts), _WINDOWS_PER_STATEMENT):
        part = range(i, min(i + _WINDOWS_PER_STATEMENT, len(starts)))
        window_rows = ", ".join("(cast(? as timestamp), cast(? as timestamp), cast(? as integer))" for _ in part)
        params: list = []
        for j in part:
            params += [_ts(starts[j]), _ts(ends[j]), int(laps[j])]
        wh.execute(f"update {RAW}.{RAW_TABLE} set lap_number = w.lap from (values {window_rows}) as w(lap_start, "
                   f"lap_end, lap) where {RAW}.{RAW_TABLE}._batch_id = ? and {RAW}.{RAW_TABLE}._session_id = ? "
                   f"and {RAW}.{RAW_TABLE}._driver = ? and {RAW}.{RAW_TABLE}.lap_number is null "
                   f"and {RAW}.{RAW_TABLE}.sample_time >= w.lap_start and {RAW}.{RAW_TABLE}.sample_time < w.lap_end",
                   (*params, batch, session_id, driver))


def _assign(wh: Warehouse, session_id: str, formats: tuple[str, ...], windows: lapassign.LapWindows,
            loaded_at: dt.datetime) -> int:
    """Returns the number of telemetry batches re-stamped."""
    if not windows.by_driver or not wh.table_exists(RAW, RAW_TABLE):
        return 0
    wh.lock(f"telemetry:{session_id}")  # a telemetry publish of this session waits (Postgres)
    done = 0
    for batch, fmt, drivers in _batches(wh, session_id, formats):
        moves = _rekey(wh, session_id, batch, fmt, drivers, windows.driver_codes)
        if moves is None:
            continue
        new = uuid.uuid4().hex
        _restamp(wh, session_id, batch, new, moves, fmt in DERIVED, loaded_at)
        for driver in sorted({moves.get(d, d) for d in drivers}):
            if driver in windows.by_driver:
                _set_laps(wh, session_id, new, driver, windows.by_driver[driver])
        done += 1
    return done
