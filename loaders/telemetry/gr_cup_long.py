"""GR Cup long-format telemetry (`telemetry_name`/`telemetry_value` per row), pivoted per car and timestamp.

The file is in Kafka delivery order (batches newest-first), not time order, so rows are spilled to a
private on-disk DuckDB scratch database (memory-capped) and pivoted there; memory stays bounded.

* Driver: the car number, i.e. `vehicle_number` or else the last part of `vehicle_id`
  (GR86-<chassis>-<number>), as an integer string: the NUMBER the lap loader uses. GR86-002-000 is car `0`.
* A car that sends the same channel twice with one timestamp (the ECU stamps two reading blocks alike) keeps
  both: they become samples with `sample_seq` 1 and 2; nothing is dropped.
* `timestamp` is the ECU clock, which drifts by days; `meta_time` is the ingest clock that the ECU lap events
  use. Per car, `sample_time` = `timestamp` + min(`meta_time` - `timestamp`) (the least-delayed message);
  the ECU value stays in `ecu_time`.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from core.errors import LoadError, column_label
from core.registry import REGISTRY
from loaders.telemetry import csvstream

FORMAT = "gr_cup_telemetry"
CHANNELS = {
    "speed": "speed", "gear": "gear", "nmot": "rpm", "aps": "throttle", "ath": "throttle_blade",
    "pbrake_f": "brake_pressure_front", "pbrake_r": "brake_pressure_rear", "accx_can": "accel_x",
    "accy_can": "accel_y", "Steering_Angle": "steering_angle", "VBOX_Lat_Min": "latitude",
    "VBOX_Long_Minutes": "longitude", "Laptrigger_lapdist_dls": "distance",
}
REQUIRED = ("telemetry_name", "telemetry_value", "timestamp", "vehicle_id")
SCRATCH_MEMORY = "256MB"
# <tmp>/lapstack_pivot_<pid>_<start ticks>_<random>: the loading process, so a killed load's folder is found.
SCRATCH_PREFIX = "lapstack_pivot_"
_SCRATCH_NAME = re.compile(r"^lapstack_pivot_(\d+)_(\d+)_")
PIVOT_BATCH_ROWS = 65536


def looks_like(header: list[str]) -> bool:
    return REGISTRY.format(FORMAT)[1].signature.matches(header)


def _check_header(path: Path, header: list[str]) -> None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LoadError(path, 1, len(header) + 1, f"missing required column(s): {', '.join(missing)}")


def _channels(path: Path, block: csvstream.Block, header: list[str]) -> pa.Array:
    names = pc.utf8_trim_whitespace(block.batch.column(header.index("telemetry_name")))
    known = pc.is_in(names, value_set=pa.array(list(CHANNELS)))
    if not pc.all(pc.fill_null(known, False)).as_py():
        bad = pc.index(pc.invert(pc.fill_null(known, False)), True).as_py()
        raise LoadError(path, block.first_line + bad, column_label(header.index("telemetry_name"), "telemetry_name"),
                        f"unknown channel {names[bad].as_py()!r} (known: {', '.join(CHANNELS)})")
    return names


def _optional(path: Path, block: csvstream.Block, header: list[str], name: str, kind: str) -> pa.Array:
    n = block.batch.num_rows
    if name not in header:
        return pa.nulls(n, pa.timestamp("us") if kind == "time" else pa.int32())
    if kind == "time":
        return csvstream.to_timestamp(path, block, header, name)
    return csvstream.to_int32(path, block, header, name)


def _long_table(path: Path, block: csvstream.Block, header: list[str]) -> pa.Table:
    ts = csvstream.to_timestamp(path, block, header, "timestamp")
    csvstream.require_non_null(path, block, header, "timestamp", ts)
    value = csvstream.to_float(path, block, header, "telemetry_value")
    csvstream.require_non_null(path, block, header, "telemetry_value", value)
    vehicle = pc.utf8_trim_whitespace(block.batch.column(header.index("vehicle_id")))
    csvstream.require_non_null(path, block, header, "vehicle_id", vehicle)
    number = (pc.utf8_trim_whitespace(block.batch.column(header.index("vehicle_number")))
              if "vehicle_number" in header else pa.nulls(block.batch.num_rows, pa.string()))
    if "vehicle_number" in header:
        ok = pc.fill_null(pc.match_substring_regex(number, r"^[0-9]{1,9}(\.0+)?$"), True)
        if not pc.all(ok).as_py():
            raise csvstream.bad_value(path, block, number, header.index("vehicle_number"), "vehicle_number",
                                      csvstream.car_number, "not a car number")
    return pa.table({
        "line": pa.array(range(block.first_line, block.first_line + block.batch.num_rows), pa.int64()),
        "vehicle": vehicle, "vehicle_number": number, "ts": ts,
        "meta_time": _optional(path, block, header, "meta_time", "time"),
        "lap": _optional(path, block, header, "lap", "int"),
        "channel": _channels(path, block, header), "value": value,
    })


def _pivot_sql() -> str:
    cases = ",\n".join(
        f"max(case when channel = '{src}' then value end) as {dst}" for src, dst in CHANNELS.items())
    return f"""
        with numbered as (
            select *, row_number() over (partition by vehicle, ts, channel order by line) as sample_seq
            from long_rows
        ),
        offsets as (
            select vehicle, coalesce(min(meta_time - ts), interval 0 second) as clock_offset
            from long_rows group by vehicle
        ),
        pivoted as (
            select vehicle, ts, sample_seq, min(line) as line, max(lap) as source_lap, {cases}
            from numbered group by vehicle, ts, sample_seq
        )
        select p.*, p.ts + o.clock_offset as sample_time, d.driver
        from pivoted as p
        join offsets as o using (vehicle)
        join drivers as d using (vehicle)
        order by p.vehicle, p.ts, p.sample_seq
    """


def _drivers(path: Path, con: duckdb.DuckDBPyConnection) -> None:
    """Car number per vehicle id: vehicle_number when given, else the id's last part."""
    rows = con.execute("select vehicle, max(vehicle_number), min(line) from long_rows group by vehicle").fetchall()
    mapping = []
    for vehicle, number, line in rows:
        text = (number or "").strip() or vehicle.rsplit("-", 1)[-1]
        try:
            mapping.append((vehicle, csvstream.car_number(text)))
        except ValueError:
            raise LoadError(path, line, "vehicle_id", f"no car number in vehicle id {vehicle!r}") from None
    con.execute("create table drivers (vehicle varchar, driver varchar)")
    con.executemany("insert into drivers values (?, ?)", mapping)


def drop_stale_scratch(root: Path | None = None) -> list[Path]:
    """Pivot scratch folders of killed loads (any file), never one of a load still running.

    Tagged folders: their process is gone. Untagged ones (lapstack before the tag): their scratch database
    can be opened, i.e. no live load holds its lock.
    """
    from loaders.telemetry.store import is_running

    removed = []
    for folder in sorted(Path(root or tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        tagged = _SCRATCH_NAME.match(folder.name)
        if tagged:
            stale = not is_running(int(tagged.group(1)), int(tagged.group(2)))
        else:
            stale = _unlocked(folder / "scratch.duckdb")
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _unlocked(db: Path) -> bool:
    if not db.exists():
        return True
    try:
        duckdb.connect(str(db)).close()
    except duckdb.Error:
        return False
    return True


def iter_pivoted(path: Path, header: list[str], progress, data_lines: int | None = None) -> Iterator[pa.RecordBatch]:
    """Spill validated long rows to scratch, then hand back pivoted rows in (car, time) order."""
    _check_header(path, header)
    from loaders.telemetry.store import process_tag

    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{process_tag()}_") as tmp:
        con = duckdb.connect(str(Path(tmp) / "scratch.duckdb"))
        try:
            con.execute(f"set memory_limit = '{SCRATCH_MEMORY}'")
            con.execute("set temp_directory = ?", [str(Path(tmp) / "spill")])
            con.execute("set preserve_insertion_order = false")
            created = False
            for block in csvstream.iter_blocks(path, header, data_lines=data_lines):
                long_chunk = _long_table(path, block, header)  # noqa: F841 - scanned by name below
                if not created:
                    con.execute("create table long_rows as select * from long_chunk limit 0")
                    created = True
                con.execute("insert into long_rows select * from long_chunk")
                progress(block.batch.num_rows)
            if not created:
                raise LoadError(path, 2, 1, "no telemetry rows after the header")
            _drivers(path, con)
            reader = con.sql(_pivot_sql()).to_arrow_reader(PIVOT_BATCH_ROWS)
            yield from reader
        finally:
            con.close()
