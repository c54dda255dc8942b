"""FastF1 `car_data` exported with pandas `to_csv` (`<car>_telemetry.csv`): one car per file.

Columns: unnamed index, Date (UTC), RPM, Speed, nGear, Throttle, Brake, DRS, Source, Time, SessionTime.
The car is the number in the file name; it becomes the three-letter code through the session's laps.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core.errors import LoadError, column_label
from core.registry import REGISTRY
from loaders.telemetry import csvstream
from loaders.telemetry.csvstream import Block

FORMAT = "fastf1_car_data"
# What FastF1 car/pos/merged telemetry can hold; columns without a canonical home are not kept.
MAPPED = {"Date": "sample_time", "SessionTime": "session_time", "RPM": "rpm", "Speed": "speed",
          "nGear": "gear", "Throttle": "throttle", "Brake": "brake", "DRS": "drs", "Distance": "distance"}
IGNORED = {"", "Source", "Time", "RelativeDistance", "DriverAhead", "DistanceToDriverAhead", "X", "Y", "Z",
           "Status"}
REQUIRED = ("Date", "Speed")
_TIMEDELTA = r"^(?P<days>-?\d+) days (?P<h>\d+):(?P<m>\d+):(?P<s>\d+(?:\.\d+)?)$"
_BOOL = {"true": True, "false": False, "1": True, "0": False, "1.0": True, "0.0": False}


def looks_like(header: list[str]) -> bool:
    return REGISTRY.format(FORMAT)[1].signature.matches(header)


def car_number(path: Path) -> str:
    match = re.match(r"^(\d+)_", path.name)
    if not match:
        raise LoadError(path, None, None, "cannot read the car number from the file name "
                        "(expected <number>_telemetry.csv); pass --driver")
    return str(int(match.group(1)))


def check_header(path: Path, header: list[str]) -> None:
    for i, name in enumerate(header):
        if name not in MAPPED and name not in IGNORED and not (i == 0 and name.startswith("Unnamed")):
            raise LoadError(path, 1, column_label(i, name), f"unknown channel {name!r} for {FORMAT}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise LoadError(path, 1, len(header) + 1, f"missing required column(s): {', '.join(missing)}")


def _timedelta_seconds(path: Path, block: Block, header: list[str], name: str) -> pa.Array:
    arr = block.batch.column(header.index(name))
    parts = pc.extract_regex(arr, _TIMEDELTA)
    if parts.null_count > arr.null_count:
        bad = pc.index(pc.and_(pc.is_null(parts), pc.is_valid(arr)), True).as_py()
        raise LoadError(path, block.first_line + bad, column_label(header.index(name), name),
                        f"not a timedelta like '0 days 00:01:33.433000': {arr[bad].as_py()!r}")
    f = {k: pc.cast(pc.struct_field(parts, k), pa.float64()) for k in ("days", "h", "m", "s")}
    return pc.add(pc.add(pc.multiply(f["days"], 86400.0), pc.multiply(f["h"], 3600.0)),
                  pc.add(pc.multiply(f["m"], 60.0), f["s"]))


def _integer(path: Path, block: Block, header: list[str], name: str) -> pa.Array:
    return csvstream.to_int32(path, block, header, name)


def _brake(path: Path, block: Block, header: list[str], name: str) -> pa.Array:
    raw = pc.utf8_lower(pc.utf8_trim_whitespace(block.batch.column(header.index(name))))
    known = pc.is_in(raw, value_set=pa.array(list(_BOOL)))
    if not pc.all(pc.or_(known, pc.is_null(raw))).as_py():
        bad = pc.index(pc.and_(pc.invert(known), pc.is_valid(raw)), True).as_py()
        raise LoadError(path, block.first_line + bad, column_label(header.index(name), name),
                        f"not a boolean (True/False): {raw[bad].as_py()!r}")
    return pc.is_in(raw, value_set=pa.array([k for k, v in _BOOL.items() if v]))


def convert(path: Path, block: Block, header: list[str]) -> dict[str, pa.Array]:
    """One block of text rows as canonical typed arrays (no session or driver yet)."""
    out: dict[str, pa.Array] = {}
    out["sample_time"] = csvstream.to_timestamp(path, block, header, "Date")
    csvstream.require_non_null(path, block, header, "Date", out["sample_time"])
    for source, target in MAPPED.items():
        if source not in header or target in out:
            continue
        if target == "session_time":
            out[target] = _timedelta_seconds(path, block, header, source)
        elif target in ("gear", "drs"):
            out[target] = _integer(path, block, header, source)
        elif target == "brake":
            out[target] = _brake(path, block, header, source)
        else:
            out[target] = csvstream.to_float(path, block, header, source)
    out["_source_line"] = pa.array(np.arange(block.first_line, block.first_line + block.batch.num_rows))
    return out
