"""Read one official side file into its raw table's rows, strictly: registry columns, lineage, positioned errors.

Every family parser (`gr_cup.py`, `fastf1.py`, `ergast.py`) hands `read()` the file, its registry entry, how
each row names its session and its per-row key; values stay the file's text (empty and the source's own null
marker land as SQL null), columns the registry does not name go to `_extra` (JSON) so nothing is lost.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from core.errors import LoadError, column_label
from core.registry import FileFormat, RawSource
from loaders.laps import csvread
from loaders.laps.model import SessionInfo
from loaders.official import values

EXTRA = "_extra"


@dataclass
class SideFile:
    path: Path
    sha256: str
    format: str
    source: RawSource
    frame: pd.DataFrame  # registry columns + `_session_id` (if scoped) + row key + `_source_line`
    sessions: dict[str, SessionInfo] = field(default_factory=dict)

    @property
    def row_count(self) -> int:
        return len(self.frame)


RowContext = dict[str, str]  # the row's values by (stripped) header name


def read(tf: csvread.TextFile, source: RawSource, fmt: FileFormat, *,
         session: Callable[[RowContext, csvread.Row], SessionInfo] | None,
         key: Callable[[RowContext, csvread.Row], str] | None,
         required: list[str] | None = None, optional_from: str | None = None,
         extra_columns: dict[str, Callable[[RowContext], object]] | None = None) -> SideFile:
    """Rows of `tf` as `source` rows.

    `session` and `key` give each row its session and its per-row key (None when the table has none).
    `optional_from`: a header column from which trailing fields may be missing (Ergast `races.csv` 2025 rows
    stop after `url`); everywhere else a short row is a truncation error. `extra_columns` are loader-derived
    columns (e.g. `_result_status`) computed per row.
    """
    sig = fmt.signature
    delimiter = sig.delimiter or csvread.sniff_delimiter(csvread.first_line(tf.text))
    header = csvread.read_header_checked(tf, delimiter, f"{fmt.name} files")
    names = [h.strip().strip('"').strip() for h in header]
    lookup = names if sig.case_sensitive else [n.lower() for n in names]
    csvread.require_columns(tf, lookup, sorted(required if required is not None else sig.required), fmt.name)
    by_origin = {(c.origin or c.name): c.name for c in source.columns if not c.name.startswith("_")}
    if not sig.case_sensitive:
        by_origin = {k.lower(): v for k, v in by_origin.items()}
    has_extra = any(c.name == EXTRA for c in source.columns)
    derived = extra_columns or {}
    checks = [(col, kind) for col, kind in source.raw_checks]
    origin_of = {v: k for k, v in by_origin.items()}
    null_text = source.null_text
    min_fields = lookup.index(optional_from.lower() if not sig.case_sensitive else optional_from) + 1 \
        if optional_from else len(header)
    records: list[dict[str, object]] = []
    sessions: dict[str, SessionInfo] = {}
    reader = csv.reader(tf.text.splitlines(keepends=True), delimiter=delimiter)
    next(reader)
    for fields in reader:
        line = reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if len(fields) < min_fields:
            raise LoadError(tf.path, line, len(fields) + 1,
                            f"row has {len(fields)} fields, header has {len(header)}: truncated or malformed "
                            f"row (missing {names[len(fields)]!r})")
        if len(fields) > len(header) and any(f.strip() for f in fields[len(header):]):
            raise LoadError(tf.path, line, len(header) + 1, f"row has {len(fields)} fields, header has {len(header)}")
        ctx: RowContext = {}
        for i, name in enumerate(lookup):
            text = fields[i] if i < len(fields) else ""
            if not name:
                continue  # pandas' unnamed index column
            value = text.strip()
            ctx[name] = "" if value == null_text else value
        row = csvread.Row(line, ctx, fields)
        for col, kind in checks:
            origin = origin_of.get(col)
            text = ctx.get(origin, "") if origin else ""
            if text:
                reason = values.check(kind, text)
                if reason:
                    raise LoadError(tf.path, line, column_label(lookup.index(origin), names[lookup.index(origin)]),
                                    f"{col}: {reason}")
        record: dict[str, object] = {name: (ctx.get(origin) or None) for origin, name in by_origin.items()}
        if has_extra:
            record[EXTRA] = json.dumps({names[i]: ctx[n] for i, n in enumerate(lookup)
                                        if n and n not in by_origin}, ensure_ascii=False)
        for name, fn in derived.items():
            record[name] = fn(ctx)
        if source.session_scoped:
            info = session(ctx, row) if session else None
            if info is None:
                raise LoadError(tf.path, line, None, "cannot tell which session this row belongs to")
            sessions.setdefault(info.session_id, info)
            record["_session_id"] = info.session_id
        if source.row_key:
            value = key(ctx, row) if key else None
            if not value:
                raise LoadError(tf.path, line, None, f"row has no {source.row_key.lstrip('_')} key")
            record[source.row_key] = value
        record["_source_line"] = line
        records.append(record)
    if not records:
        raise LoadError(tf.path, 2, 1, "no data rows after the header")
    lineage = [n for n, _ in source.lineage_columns if n in records[0]]
    frame = pd.DataFrame.from_records(records, columns=[*source.column_names, *lineage])
    return SideFile(tf.path, tf.sha256, fmt.name, source, frame, sessions)

