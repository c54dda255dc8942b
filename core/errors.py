"""Errors that point at the exact spot in the input, so a bad file is fixed in one look."""

from __future__ import annotations

from pathlib import Path


class LapstackError(Exception):
    """An error the CLI prints as one line, without a traceback: its message is the whole story."""


class LoadError(LapstackError):
    """A file that cannot be loaded; nothing from it is written."""

    def __init__(self, path: Path | str, line: int | None, column: int | str | None, message: str):
        self.path = str(path)
        self.line = line
        self.column = column
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def column_label(index: int, name: str | None) -> str:
    """1-based column number with its header name: the form every error uses."""
    return f"{index + 1} ({name})" if name else str(index + 1)


class TargetUnavailable(LapstackError):
    """The warehouse named by the target cannot be reached; the message never holds a secret."""


class SettingError(LapstackError):
    """An environment variable holds a value lapstack refuses; the message names it and what is expected,
    and never shows a secret's value. The CLI exits with code 2 on it (a usage error, nothing was run)."""
