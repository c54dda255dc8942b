"""`lapstack demo`'s quiet output: everything Dagster, dbt and the libraries print goes to a log file, and the
terminal gets one progress bar per stage, driven by what that log says.

Why not just lower the log level: the full Dagster event stream and dbt's per-node lines are what one reads when
a run fails, so they are kept whole in the file (ANSI colour codes stripped) instead of being thrown away.
"""

from __future__ import annotations

import io
import re
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from orchestration.charts import CHARTS_DRAWN, CHARTS_PLANNED

ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# dbt's per-node lines, as dbt prints them (text log: a time stamp first) and as dagster-dbt re-emits them
DBT_NODE = re.compile(r"^(?:\d\d:\d\d:\d\d\s+)?(\d+) of (\d+) (START|OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b(.*)$")
FILE_LOADED = re.compile(r"^(loaded|unchanged) ")
LAP_FILES_STEP = "raw__lap_files"


class LineSink(io.TextIOBase):
    """A stdout/stderr stand-in: whole lines, ANSI codes stripped, to the log file, to `on_line`, and (verbose)
    to `echo`. Locked, since Dagster and libraries may write from other threads."""

    def __init__(self, log: IO[str], on_line: Callable[[str], None], echo: IO[str] | None = None):
        super().__init__()
        self._log, self._on_line, self._echo = log, on_line, echo
        self._pending = ""
        self._lock = threading.Lock()

    def write(self, text: str) -> int:
        with self._lock:
            self._pending += text
            *lines, self._pending = self._pending.split("\n")
            for line in lines:
                self._emit(line)
        return len(text)

    def line(self, text: str) -> None:
        """One whole line from a caller that is not printing (a Dagster event, a dbt line read from a pipe)."""
        self.write(text + "\n")

    def _emit(self, line: str) -> None:
        clean = ANSI.sub("", line.rstrip("\r"))
        self._log.write(clean + "\n")
        self._log.flush()
        if self._echo is not None:
            self._echo.write(clean + "\n")
            self._echo.flush()
        self._on_line(clean)

    def finish(self) -> None:
        with self._lock:
            if self._pending:
                self._emit(self._pending)
                self._pending = ""

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    @property
    def encoding(self) -> str:  # type: ignore[override] - libraries ask for it
        return "utf-8"


@contextmanager
def captured_output(log_path: Path, on_line: Callable[[str], None], echo: IO[str] | None) -> Iterator[LineSink]:
    """sys.stdout and sys.stderr go to the log (and to `echo` when verbose) while the block runs."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w", encoding="utf-8") as log:
        sink = LineSink(log, on_line, echo)
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = sink
        try:
            yield sink
        finally:
            sink.finish()
            sys.stdout, sys.stderr = saved


class StageProgress:
    """The bars: lap files loaded, dbt nodes built (models counted in the note), sessions charted."""

    def __init__(self, console: Console, files: int, *, charts: bool, enabled: bool = True):
        self.progress = Progress(TextColumn("{task.description:<17}"), BarColumn(bar_width=30), MofNCompleteColumn(),
                                 TimeElapsedColumn(), TextColumn("{task.fields[note]}"), console=console,
                                 disable=not enabled, redirect_stdout=False, redirect_stderr=False)
        self.files = self.progress.add_task("lap files loaded", total=files, note="")
        self.dbt = self.progress.add_task("dbt nodes built", total=None, note="")
        self.sessions = self.progress.add_task("sessions charted", total=None, note="", visible=charts)
        self.loaded = self.unchanged = self.models = 0
        self._dbt_total = 0
        self.failures: list[str] = []
        self.run_note = ""  # e.g. the Dagster run id and outcome, for the summary

    def __enter__(self) -> StageProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def _advance(self, task: TaskID, note: str | None = None) -> None:
        self.progress.advance(task)
        if note is not None:
            self.progress.update(task, note=note)

    def file_done(self, status: str) -> None:
        self.loaded += status == "loaded"
        self.unchanged += status == "unchanged"
        self._advance(self.files, f"{self.loaded} new, {self.unchanged} unchanged")

    def output_line(self, line: str) -> None:
        """A line of dbt's output (each `N of M` result is one node; a new build announces its size)."""
        match = DBT_NODE.match(line)
        if match is None:
            return
        number, total, status, rest = int(match[1]), int(match[2]), match[3], match[4]
        if status == "START":
            if number == 1:
                self._dbt_total += total
                self.progress.update(self.dbt, total=self._dbt_total)
            return
        if status == "OK" and " model " in rest:
            self.models += 1
        self._advance(self.dbt, f"{self.models} models")
        if status in ("ERROR", "FAIL"):
            self.failures.append(line.strip())

    def dagster_event(self, entry) -> None:
        """An EventLogEntry of the run: lap file loads and chart drawing are its step logs."""
        message = entry.user_message or ""
        event = entry.dagster_event
        if event is not None:
            if event.event_type_value == "STEP_FAILURE":
                self.failures.append(f"step {entry.step_key} failed: {message.splitlines()[0] if message else ''}")
            return
        found = FILE_LOADED.match(message)
        if entry.step_key == LAP_FILES_STEP and found:
            self.file_done(found[1])
        elif message.startswith(CHARTS_PLANNED):
            # each dbt step of each run plans its own sessions: the total is what was drawn plus what is planned
            done = next(t.completed for t in self.progress.tasks if t.id == self.sessions)
            self.progress.update(self.sessions, total=done + int(message[len(CHARTS_PLANNED):]))
        elif message.startswith(CHARTS_DRAWN):
            self._advance(self.sessions, message[len(CHARTS_DRAWN):].strip())

