"""Per-car time order across blocks: a sample at or before the car's previous one is refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from core.errors import LoadError


class OrderGuard:
    """Remembers each car's last sample so order is checked across block boundaries too."""

    def __init__(self, path: Path, column: str):
        self.path = path
        self.column = column
        self.last: dict[str, tuple[int, int]] = {}  # driver -> (time us, line)

    def check(self, drivers: pa.Array, times: pa.Array, lines: np.ndarray) -> None:
        t = pc.cast(times, pa.int64()).to_numpy(zero_copy_only=False)
        encoded = pc.dictionary_encode(drivers).combine_chunks() if isinstance(drivers, pa.ChunkedArray) \
            else pc.dictionary_encode(drivers)
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        names = encoded.dictionary.to_pylist()
        order = np.argsort(codes, kind="stable")
        ts, cs = t[order], codes[order]
        same = cs[1:] == cs[:-1]
        bad = np.flatnonzero(same & (ts[1:] <= ts[:-1]))
        candidates = [int(order[i + 1]) for i in bad[:1]]
        firsts = np.flatnonzero(np.r_[True, ~same])
        for pos in firsts:
            row = int(order[pos])
            prev = self.last.get(names[cs[pos]])
            if prev is not None and t[row] <= prev[0]:
                candidates.append(row)
        if candidates:
            self._fail(min(candidates), t, codes, names, lines)
        lasts = np.r_[firsts[1:] - 1, len(order) - 1]
        for pos in lasts:
            row = int(order[pos])
            self.last[names[cs[pos]]] = (int(t[row]), int(lines[row]))

    def _fail(self, row: int, t: np.ndarray, codes: np.ndarray, names: list, lines: np.ndarray) -> None:
        driver = names[codes[row]]
        earlier = np.flatnonzero(codes[:row] == codes[row])
        prev_t, prev_line = (int(t[earlier[-1]]), int(lines[earlier[-1]])) if len(earlier) \
            else self.last[driver]
        what = "duplicate sample (same time as line" if t[row] == prev_t else "timestamp goes backwards (line"
        raise LoadError(self.path, int(lines[row]), self.column,
                        f"{what} {prev_line}) for car {driver}")
