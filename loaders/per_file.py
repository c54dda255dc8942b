"""Load files one at a time, each in its own transaction, so one bad file never blocks or half-loads the rest.

The lap and telemetry loaders and the official-file asset all load a list of files this way: a file's
positioned LoadError is collected and the next file is loaded; the deployment's own misconfiguration
(SettingError, TargetUnavailable) stops everything with its one clear line; anything else is a bug, reported
against the file it happened in, and never hides the other files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from core.errors import LoadError, SettingError, TargetUnavailable

Result = TypeVar("Result")


def load_each(paths: Iterable[Path], load_one: Callable[[Path], Result]) -> tuple[list[Result], list[LoadError]]:
    """`load_one` on every path in order: the results of those that loaded, the errors of those that did not."""
    results: list[Result] = []
    errors: list[LoadError] = []
    for path in paths:
        try:
            results.append(load_one(path))
        except LoadError as exc:
            errors.append(exc)
        except (SettingError, TargetUnavailable):
            raise  # the configuration, not this file: stop with the one clear line
        except Exception as exc:  # noqa: BLE001 - last resort: one broken file never stops the others
            errors.append(LoadError(path, None, None, f"unexpected error, nothing of this file was loaded "
                                    f"(please report it): {type(exc).__name__}: {exc}"))
    return results, errors
