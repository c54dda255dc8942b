"""One rich Console for every table the CLI prints, sized for where the output goes.

On a terminal rich takes the terminal's width (tables fold to it). Elsewhere (a pipe, a file, CI logs) rich's
own fallback is 80 columns, which truncated suite names and wrapped the demo table: there COLUMNS wins when
set, else a width wide enough that no name is cut.
"""

from __future__ import annotations

from typing import IO

from rich.console import Console

from core.settings import COLUMNS

# Not a terminal and no COLUMNS: wide enough for the longest suite name, table and failure list on one line.
UNBOUNDED_WIDTH = 240


def table_console(file: IO[str] | None = None) -> Console:
    """A Console writing to `file` (default: sys.stdout at write time); colours only on a terminal."""
    probe = Console(file=file)
    if probe.is_terminal:
        return probe
    return Console(file=file, width=COLUMNS.get() or UNBOUNDED_WIDTH, no_color=True, highlight=False)
