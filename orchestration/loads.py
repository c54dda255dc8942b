"""What the file-load assets share: their run config (launchable from the UI) and one clear failure message."""

from __future__ import annotations

from pathlib import Path

from dagster import Config, Failure, MetadataValue
from pydantic import Field

from core.errors import LoadError
from orchestration.file_keys import path_for


class FileLoadConfig(Config):
    """Run config of the lap and official file loads (Launchpad → Config, or `ops: {<step>: {config: ...}}`)."""

    replace: bool = Field(default=False, description=(
        "Supersede sessions another file already loaded (the CLI's --replace). Off: such a file fails with "
        "the session it overlaps, and nothing of it is loaded."))


class TelemetryLoadConfig(FileLoadConfig):
    force: bool = Field(default=False, description=(
        "Reload files whose content was already loaded (the CLI's --force), e.g. after lap windows changed."))


def paths_of(partition_keys: list[str]) -> list[Path]:
    return [path_for(key) for key in partition_keys]


def replace_hint(step: str) -> str:
    return (f"\n\nTo supersede the loaded session(s), launch the run again with `replace: true` "
            f"(Launchpad config: ops: {{{step}: {{config: {{replace: true}}}}}}).")


def load_failure(errors: list[LoadError], total: int, what: str, step: str) -> Failure:
    """The positioned errors (file:line:column: message) as the step's failure message, no traceback."""
    lines = [str(err) for err in errors]
    hint = replace_hint(step) if any("--replace" in line for line in lines) else ""
    return Failure(
        description=f"{len(errors)} of {total} {what} failed to load:\n" + "\n".join(lines) + hint,
        metadata={"files_failed": len(errors),
                  "errors": MetadataValue.md("\n".join(f"- {line}" for line in lines))},
    )


def source_paths(paths: list[Path]) -> MetadataValue:
    """The absolute paths behind the (relative) partition keys."""
    return MetadataValue.path(str(paths[0])) if len(paths) == 1 else MetadataValue.json([str(p) for p in paths])
