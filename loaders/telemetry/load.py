"""`lapstack load telemetry`: detect each file's format, stream it through the stage, publish it."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tqdm import tqdm

from core.errors import LoadError
from core.raw_schema import RAW
from core.registry import REGISTRY, TELEMETRY
from core.settings import LAPSTACK_TELEMETRY_BLOCK_BYTES, LAPSTACK_TELEMETRY_TRACE, LAPSTACK_TELEMETRY_TRACE_DELAY
from core.warehouse import Warehouse
from loaders import filecheck
from loaders.laps import fastf1_laps, gr_cup
from loaders.laps.model import (
    Overrides,
    SessionInfo,
    event_from_path,
    require,
    season_from_path,
    session_from_text,
)
from loaders.per_file import load_each
from loaders.telemetry import canonical, csvstream, duckdb_direct, fastf1_car, gr_cup_long, lap_events, lapassign
from loaders.telemetry.columns import RAW_TABLE, SCHEMA
from loaders.telemetry.ordering import OrderGuard
from loaders.telemetry.store import Stage, active_batch, clean_stale

SUFFIXES = {".csv", ".parquet"}


@dataclass
class TelemetryResult:
    path: Path
    format: str
    status: str  # loaded | unchanged
    rows: int
    sessions: list[str] = field(default_factory=list)
    drivers: list[str] = field(default_factory=list)
    batch_id: str | None = None


def detect(path: Path) -> tuple[str, list[str]]:
    if path.suffix.lower() == ".parquet":
        return canonical.FORMAT_PARQUET, canonical.parquet_header(path)
    header = csvstream.read_header(path)
    found = REGISTRY.recognise(header, None, TELEMETRY)
    if found:
        return found[0], header
    raise LoadError(path, 1, 1, "unknown telemetry format: expected GR Cup long format (telemetry_name, "
                    "telemetry_value), a FastF1 car_data export, lapstack telemetry columns, or GR Cup lap events")


def _session(path: Path, fmt: str, overrides: Overrides) -> SessionInfo:
    if fmt == fastf1_car.FORMAT:
        return fastf1_laps.infer_session(path, overrides, None)
    if fmt == gr_cup_long.FORMAT:
        return gr_cup.infer_session(path, overrides)
    return SessionInfo(
        series=overrides.series or "lapstack",
        season=overrides.season if overrides.season is not None else season_from_path(path),
        event=require(path, overrides.event or event_from_path(path), "event", "--event"),
        session_name=require(path, overrides.session or session_from_text(path.stem), "session", "--session"),
    )


def _lap_numbers(windows: lapassign.LapWindows, drivers: pa.Array, times: pa.Array) -> pa.Array:
    t = pc.cast(times, pa.int64()).to_numpy(zero_copy_only=False)
    encoded = pc.dictionary_encode(drivers)
    names = encoded.dictionary.to_pylist()
    if len(names) == 1:
        return windows.assign(names[0], t)
    codes = encoded.indices.to_numpy(zero_copy_only=False)
    laps = np.zeros(len(t), dtype=np.int32)
    valid = np.zeros(len(t), dtype=bool)
    for code, name in enumerate(names):
        mask = codes == code
        part = windows.assign(name, t[mask])
        laps[mask] = part.fill_null(0).to_numpy(zero_copy_only=False)
        valid[mask] = part.is_valid().to_numpy(zero_copy_only=False)
    return pa.array(laps, mask=~valid)


def _finish(stage: Stage, session_id: str, cols: dict[str, pa.Array],
            windows: lapassign.LapWindows) -> pa.Table:
    """Canonical arrays of one chunk -> a raw.telemetry-shaped table."""
    n = len(cols["sample_time"])
    drivers = cols.pop("driver")
    if "lap_number" not in cols:
        cols["lap_number"] = _lap_numbers(windows, drivers, cols["sample_time"])
    for name in pc.unique(drivers).to_pylist():
        stage.pairs.add((session_id, name))
    # the batch's file, format and load time are its raw.load_batches row, not per-sample columns
    constants = {"_session_id": session_id, "_batch_id": stage.batch_id}
    arrays = []
    for f in SCHEMA:
        if f.name == "_driver":
            arrays.append(drivers)
        elif f.name in constants:
            arrays.append(pa.array([constants[f.name]], f.type).take(np.zeros(n, dtype=np.int32)))
        elif f.name == "sample_seq" and f.name not in cols:
            arrays.append(pa.array(np.ones(n, np.int32)))
        elif f.name in cols:
            arrays.append(pc.cast(cols[f.name], f.type))
        else:
            arrays.append(pa.nulls(n, f.type))
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def _chunks(path: Path, fmt: str, header: list[str], driver: str | None, windows: lapassign.LapWindows,
            progress, data_lines: int | None = None) -> Iterator[dict[str, pa.Array]]:
    """Canonical arrays per chunk, with `driver`; order and duplicates checked per car."""
    guard = OrderGuard(path, "sample_time" if fmt != fastf1_car.FORMAT else "Date")
    if fmt == gr_cup_long.FORMAT:
        for batch in gr_cup_long.iter_pivoted(path, header, progress, data_lines):
            cols = {name: batch.column(name) for name in batch.schema.names}
            cols["ecu_time"] = cols.pop("ts")
            cols["_source_line"] = cols.pop("line")
            yield cols
        return
    if fmt == canonical.FORMAT_PARQUET:
        blocks = canonical.iter_parquet(path, header)
    else:
        blocks = (_convert_csv(path, fmt, header, block) for block in csvstream.iter_blocks(
            path, header, block_size=LAPSTACK_TELEMETRY_BLOCK_BYTES.get(), data_lines=data_lines))
    car = _car_id(path, driver, windows)[1] if fmt == fastf1_car.FORMAT else None
    for cols in blocks:
        n = len(cols["sample_time"])
        if car is not None:
            cols["driver"] = pa.array([car], pa.string()).take(np.zeros(n, dtype=np.int32))
        elif driver:
            cols["driver"] = pa.array([driver], pa.string()).take(np.zeros(n, dtype=np.int32))
        guard.check(cols["driver"], cols["sample_time"], cols["_source_line"].to_numpy(zero_copy_only=False))
        progress(n)
        yield cols


def _car_id(path: Path, driver: str | None, windows: lapassign.LapWindows) -> tuple[str, str]:
    """(car number, id the rows get): the driver code when the session's laps map the number to one."""
    number = driver or fastf1_car.car_number(path)
    return number, windows.driver_codes.get(number, number)


def _warn_without_laps(path: Path, fmt: str, driver: str | None, windows: lapassign.LapWindows) -> None:
    if fmt == fastf1_car.FORMAT and not windows.driver_codes and not driver:
        print(f"lapstack: warning: {path}: no laps of this session in the warehouse yet; driver stays car "
              f"number {_car_id(path, driver, windows)[0]} until they arrive: loading laps.csv then re-keys "
              "these rows to the driver code and gives them lap numbers (load laps.csv, then this file again "
              "also works: its rows are re-keyed, not duplicated)", file=sys.stderr)


def _car_aliases(path: Path, fmt: str, driver: str | None, windows: lapassign.LapWindows) -> dict[str, set[str]]:
    """FastF1 single-car file: the car's other id (number <-> code), so a reload replaces rows stored under it."""
    if fmt != fastf1_car.FORMAT:
        return {}
    number, car = _car_id(path, driver, windows)
    return {car: {number} - {car}} if number != car else {}


def _rekey_needed(wh: Warehouse, path: Path, fmt: str, driver: str | None, windows: lapassign.LapWindows,
                  batch_id: str) -> bool:
    """An unchanged FastF1 car file stored under its car number, whose session's laps now give the code:
    reload it so the car is keyed like its laps (once), instead of asking for --force."""
    if fmt != fastf1_car.FORMAT:
        return False
    stored = {d for (d,) in wh.query(f"select distinct _driver from {RAW}.{RAW_TABLE} where _batch_id = ?",
                                     (batch_id,))}
    return bool(stored) and stored != {_car_id(path, driver, windows)[1]}


def _convert_csv(path: Path, fmt: str, header: list[str], block: csvstream.Block) -> dict[str, pa.Array]:
    if fmt == fastf1_car.FORMAT:
        return fastf1_car.convert(path, block, header)
    return canonical.convert_csv(path, block, header)


def _trace(stage: Stage) -> None:
    """Debug/test knob: report each staged chunk (and optionally slow down) so a kill can land mid-load."""
    if LAPSTACK_TELEMETRY_TRACE.get():
        print(f"staged {stage.rows} rows into {stage.table}", file=sys.stderr, flush=True)
        time.sleep(LAPSTACK_TELEMETRY_TRACE_DELAY.get())


def load_file(wh: Warehouse, path: Path, overrides: Overrides, *, driver: str | None = None,
              replace: bool = False, force: bool = False, show_progress: bool | None = None) -> TelemetryResult:
    fmt, header = detect(path)
    clean_stale(wh)  # stage tables / scratch folders of killed loads, whatever file they were loading
    if fmt == lap_events.FORMAT:
        res = lap_events.store_events(wh, path, overrides, force=force)
        return TelemetryResult(path, fmt, res.status, res.rows, [res.session_id])
    if fmt == fastf1_car.FORMAT:
        fastf1_car.check_header(path, header)
    elif fmt in (canonical.FORMAT_CSV, canonical.FORMAT_PARQUET):
        canonical.check_header(path, header)
    # --driver renames the rows of a lapstack file: only the chunked path does that
    direct = duckdb_direct.applies(wh, fmt) and not (driver and fmt in (canonical.FORMAT_CSV, canonical.FORMAT_PARQUET))
    # CSV: one pass for the hash, the line count and the line-length limit; Parquet has no lines.
    if fmt == canonical.FORMAT_PARQUET:
        sha, lines = csvstream.sha256_file(path), 0
    else:
        found = csvstream.scan_file(path)
        sha, lines = found.sha256, found.lines
        direct = direct and found.utf8  # not UTF-8: the chunked path names the byte's line and column
    active = active_batch(wh, path, sha, fmt)
    info = _session(path, fmt, overrides)
    windows = (lapassign.fastf1_windows(wh, info.session_id) if fmt == fastf1_car.FORMAT
               else lapassign.gr_cup_windows(wh, info.session_id) if fmt == gr_cup_long.FORMAT
               else lapassign.fastf1_windows(wh, info.session_id))
    if active and not force and not _rekey_needed(wh, path, fmt, driver, windows, active):
        return TelemetryResult(path, fmt, "unchanged", 0)
    _warn_without_laps(path, fmt, driver, windows)
    if direct:
        try:
            done = duckdb_direct.load(wh, path, sha, fmt, header, info.session_id, windows, lines - 1, replace,
                                      car=_car_id(path, driver, windows)[1] if fmt == fastf1_car.FORMAT else None,
                                      aliases=_car_aliases(path, fmt, driver, windows))
            return TelemetryResult(path, fmt, "loaded", done.rows, sorted({s for s, _ in done.pairs}),
                                   sorted({d for _, d in done.pairs}), done.batch_id)
        except duckdb_direct.FallBack:
            pass  # rolled back; the chunked path re-reads the file and names the exact error
    stage = Stage(wh, path, sha, fmt)
    stage.aliases = _car_aliases(path, fmt, driver, windows)
    bar = tqdm(desc=path.name, unit=" rows", unit_scale=True, file=sys.stderr, disable=show_progress is False
               or (show_progress is None and not sys.stderr.isatty()), mininterval=0.5)
    try:
        data_lines = None if fmt == canonical.FORMAT_PARQUET else lines - 1
        for cols in _chunks(path, fmt, header, driver, windows, bar.update, data_lines):
            stage.write(_finish(stage, info.session_id, cols, windows))
            _trace(stage)
        stage.publish(replace)
    except BaseException:
        stage.discard()
        raise
    finally:
        bar.close()
    return TelemetryResult(path, fmt, "loaded", stage.rows, sorted({s for s, _ in stage.pairs}),
                           sorted({d for _, d in stage.pairs}), stage.batch_id)


def _sniff(path: Path) -> None:
    detect(path)


def expand(paths: list[Path], skipped: list | None = None) -> tuple[list[Path], list[LoadError]]:
    """Files as given; folders contribute every file that looks like telemetry or lap events, and report
    every other path in `skipped` with the reason."""
    files: list[Path] = []
    errors: list[LoadError] = []
    skipped = [] if skipped is None else skipped
    for path in paths:
        if path.is_dir():
            found: list[Path] = []
            filecheck.walk(path, SUFFIXES, _sniff, "a telemetry or lap event file", found, skipped)
            files.extend(p.resolve() for p in found)
        elif path.exists():
            files.append(path.resolve())
        else:
            errors.append(LoadError(path, None, None, "no such file or folder"))
    return files, errors


def load_paths(wh: Warehouse, paths: list[Path], overrides: Overrides, *, skipped: list | None = None,
               **kwargs) -> tuple[list[TelemetryResult], list[LoadError]]:
    """Lap event files first (telemetry laps are assigned from them), then telemetry; one batch per file."""
    files, errors = expand(paths, skipped)

    def is_events(p: Path) -> bool:
        try:
            return detect(p)[0] == lap_events.FORMAT
        except LoadError:
            return False
    results, failed = load_each(sorted(files, key=lambda p: not is_events(p)),
                                lambda path: load_file(wh, path, overrides, **kwargs))
    return results, errors + failed
