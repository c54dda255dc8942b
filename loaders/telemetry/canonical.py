"""lapstack's own telemetry format, as Parquet (or CSV with the same header): canonical columns.

Required: `driver` (text) and `sample_time` (UTC timestamp, or ISO 8601 text). Optional: any channel of
loaders.telemetry.columns.CHANNELS under its canonical name and unit. Unknown columns are refused.
The session comes from --series/--season/--event/--session or the path, as for lap files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from core.errors import LoadError, column_label
from core.registry import REGISTRY
from loaders import filecheck
from loaders.telemetry import csvstream
from loaders.telemetry.columns import CANONICAL_OPTIONAL, CANONICAL_REQUIRED, CHANNELS

FORMAT_PARQUET = "lapstack_telemetry_parquet"
FORMAT_CSV = "lapstack_telemetry_csv"
PARQUET_BATCH_ROWS = 65536
KNOWN = set(CANONICAL_REQUIRED) | set(CANONICAL_OPTIONAL)
BOOL_TEXT = ("true", "1", "1.0", "t", "false", "0", "0.0", "f")


def looks_like(header: list[str]) -> bool:
    return REGISTRY.format(FORMAT_CSV)[1].signature.matches(header)


def check_header(path: Path, header: list[str]) -> None:
    for i, name in enumerate(header):
        if name not in KNOWN:
            raise LoadError(path, 1, column_label(i, name), f"unknown channel {name!r}; lapstack telemetry "
                            f"columns are {', '.join(sorted(KNOWN))}")
    missing = [c for c in CANONICAL_REQUIRED if c not in header]
    if missing:
        raise LoadError(path, 1, len(header) + 1, f"missing required column(s): {', '.join(missing)}")


def convert_csv(path: Path, block: csvstream.Block, header: list[str]) -> dict[str, pa.Array]:
    out: dict[str, pa.Array] = {"driver": pc.utf8_trim_whitespace(block.batch.column(header.index("driver")))}
    csvstream.require_non_null(path, block, header, "driver", out["driver"])
    out["sample_time"] = csvstream.to_timestamp(path, block, header, "sample_time")
    csvstream.require_non_null(path, block, header, "sample_time", out["sample_time"])
    for name in header:
        if name in CHANNELS:
            kind = CHANNELS[name][0]
            if kind == pa.bool_():
                raw = pc.utf8_lower(pc.utf8_trim_whitespace(block.batch.column(header.index(name))))
                known = pc.is_in(raw, value_set=pa.array(list(BOOL_TEXT)))
                if not pc.all(pc.or_(known, pc.is_null(raw))).as_py():
                    bad = pc.index(pc.and_(pc.invert(known), pc.is_valid(raw)), True).as_py()
                    raise LoadError(path, block.first_line + bad, column_label(header.index(name), name),
                                    f"not a boolean (true/false/1/0): {raw[bad].as_py()!r}")
                out[name] = pc.is_in(raw, value_set=pa.array(["true", "1", "1.0", "t"]))
                out[name] = pc.if_else(pc.is_null(raw), pa.scalar(None, pa.bool_()), out[name])
            else:
                values = csvstream.to_float(path, block, header, name)
                out[name] = _cast(path, block.first_line, header, name, values, kind)
    out["_source_line"] = pa.array(np.arange(block.first_line, block.first_line + block.batch.num_rows))
    return out


def _cast(path: Path, first_line: int, header: list[str], name: str, values: pa.Array,
          kind: pa.DataType) -> pa.Array:
    try:
        return pc.cast(values, kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        for i, v in enumerate(values.to_pylist()):
            try:
                pc.cast(pa.array([v]), kind)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                raise LoadError(path, first_line + i, column_label(header.index(name), name),
                                f"cannot be read as {kind}: {v!r}") from None
        raise


def parquet_header(path: Path) -> list[str]:
    head = filecheck.read_head(path, 16)
    if not head.startswith(b"PAR1"):
        filecheck.check_head(path, head)
    try:
        return pq.ParquetFile(path).schema_arrow.names
    except (pa.ArrowException, OSError) as exc:
        raise LoadError(path, None, None, f"not a readable Parquet file: {exc}") from exc


def _batches(path: Path) -> Iterator[pa.RecordBatch]:
    """Row groups in bounded batches; a corrupt file is a LoadError, not a traceback."""
    try:
        yield from pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH_ROWS)
    except (pa.ArrowException, OSError) as exc:
        raise LoadError(path, None, None, f"not a readable Parquet file: {exc}") from exc


def iter_parquet(path: Path, header: list[str]) -> Iterator[dict[str, pa.Array]]:
    """Row groups in bounded batches; `line` in errors is the 1-based row number."""
    first = 1
    for batch in _batches(path):
        out: dict[str, pa.Array] = {}
        for name in header:
            col = batch.column(header.index(name))
            if name == "driver":
                out[name] = _cast(path, first, header, name, col, pa.string())
            elif name == "sample_time":
                col = pc.cast(col, pa.timestamp("us", tz="UTC")) if pa.types.is_string(col.type) else col
                if pa.types.is_timestamp(col.type) and col.type.tz is not None:
                    col = pc.cast(pc.cast(col, pa.timestamp("us", tz="UTC")), pa.timestamp("us"))
                out[name] = _cast(path, first, header, name, col, pa.timestamp("us"))
            else:
                out[name] = _cast(path, first, header, name, col, CHANNELS[name][0])
                if pa.types.is_floating(out[name].type):
                    finite = pc.fill_null(pc.is_finite(out[name]), True)
                    if not pc.all(finite).as_py():
                        row = pc.index(finite, False).as_py()
                        raise LoadError(path, first + row, column_label(header.index(name), name),
                                        f"not a finite number: {out[name][row].as_py()!r}")
            if name in CANONICAL_REQUIRED and out[name].null_count:
                row = pc.index(pc.is_null(out[name]), True).as_py()
                raise LoadError(path, first + row, column_label(header.index(name), name), f"missing {name}")
        out["_source_line"] = pa.array(np.arange(first, first + batch.num_rows))
        yield out
        first += batch.num_rows
