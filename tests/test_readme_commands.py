"""The README's shell examples run exactly as written, from the repo root, with the venv's tools on PATH.

Every command line of every ```sh / ```bash / ```console block is either run here (against the warehouse the
shared demo run built, or a throw-away Postgres database) or listed in NOT_RUN with the reason; a new command
that is neither fails `test_every_readme_command_is_run_or_listed`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
BLOCK = re.compile(r"^```(?:sh|bash|console)\n(.*?)^```", re.S | re.M)
COMMENT = re.compile(r"\s+#\s.*$")

# command -> what its output must contain (run from the repo root against the demo run's DuckDB warehouse)
ON_DEMO_WAREHOUSE: dict[str, tuple[str, ...]] = {
    "lapstack report gr_cup-2025-barber-race_1": ("wrote reports/sessions/gr_cup-2025-barber-race_1.html",),
    "lapstack report --all --out /tmp/reports": ("2 session reports; index: /tmp/reports/index.html",),
    "lapstack quality": ("Data quality on duckdb", "marts__session_summary", "Report: "),
    'dbt build --project-dir dbt_project --profiles-dir . --select path:models/marts/telemetry --vars '
    "'{telemetry_rebuild_from: \"2023-11-19\", telemetry_rebuild_to: \"2023-11-20\"}'": ("Completed successfully",),
}
# in this order, on one throw-away database (the 2023 Las Vegas GP laps are loaded first, for the report)
ON_POSTGRES: dict[str, tuple[str, ...]] = {
    "LAPSTACK_TARGET=postgres lapstack load laps ../shared/data/gr_cup": (
        "loaded    ", "skipped   ", "are all loaded from it already"),
    "LAPSTACK_TARGET=postgres dbt build --project-dir dbt_project --profiles-dir .": ("Completed successfully",),
    "lapstack report f1-2023-las_vegas_grand_prix-race --target postgres": (
        "wrote reports/sessions/f1-2023-las_vegas_grand_prix-race.html",),
}
SYNOPSIS = "a synopsis with placeholders (PATH, SESSION_ID, [options]); tests/test_lap_loaders.py runs each form"
NOT_RUN: dict[str, str] = {
    "make demo": "the demo itself: tests/test_demo.py runs `lapstack demo`, which is what `make demo` runs "
                 "after `make install`",
    "make test": "the whole test suite, of which this test is one",
    "make install": "installs packages from the registry (network); .ci/run runs it before the suite",
    "source .venv/bin/activate": "what it does (.venv/bin first on PATH) is how every command here is run",
    "lapstack load laps PATH... [--format F] [--target T] [--series S] [--season Y] [--event E] [--session N] "
    "[--replace]": SYNOPSIS,
    "lapstack delete session SESSION_ID": SYNOPSIS,
    "lapstack delete driver SESSION_ID DRIVER": SYNOPSIS,
    "lapstack build [--full-refresh]": SYNOPSIS,
    "xdg-open reports/quality/index.html": "opens a browser",
}
# runnable, but run on the demo warehouse here; listed apart because its output is the loaded sessions
SESSIONS = "lapstack sessions"


def readme_commands() -> list[str]:
    """Each command line of the README's shell blocks, trailing `# comment` removed."""
    commands = []
    for block in BLOCK.findall(README.read_text(encoding="utf-8")):
        for line in block.splitlines():
            command = COMMENT.sub("", line).strip()
            if command and not command.startswith("#"):
                commands.append(command)
    return commands


README_DATA = "../shared/data"  # where the README says the real data is, relative to the repo


def run_as_written(command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """The line through bash from the repo root, with the venv's bin first on PATH (`source .venv/bin/activate`)."""
    full = {**os.environ, **env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    full.pop("COLUMNS", None)  # a reader's shell has no width left over from the test process: off a terminal
    if not (PROJECT_ROOT / README_DATA).is_dir() and "LAPSTACK_DATA" in env:
        # the README's data path assumes the repo beside shared/; a clone elsewhere reads LAPSTACK_DATA instead
        command = command.replace(README_DATA, env["LAPSTACK_DATA"])
    return subprocess.run(["bash", "-c", command], cwd=PROJECT_ROOT, env=full, capture_output=True, text=True,
                          timeout=600, check=False)


def assert_ran(command: str, env: dict[str, str], expected: tuple[str, ...]) -> None:
    result = run_as_written(command, env)
    out = result.stdout + result.stderr
    assert result.returncode == 0, f"{command}\n{out[-4000:]}"
    for text in expected:
        assert text in out, f"{command}: {text!r} not in\n{out[-4000:]}"


def test_every_readme_command_is_run_or_listed() -> None:
    commands = readme_commands()
    known = {*ON_DEMO_WAREHOUSE, *ON_POSTGRES, *NOT_RUN, SESSIONS}
    assert [c for c in commands if c not in known] == [], "a README command is neither run nor listed here"
    assert sorted(known - set(commands)) == [], "listed here but gone from the README"


@pytest.mark.xdist_group("demo_run")
@pytest.mark.parametrize("command", [SESSIONS, *ON_DEMO_WAREHOUSE])
def test_readme_command_on_the_demo_warehouse(command: str, demo_run) -> None:
    assert demo_run.code == 0, demo_run.output
    expected = ("gr_cup-2025-barber-race_1", "f1-2023-las_vegas_grand_prix-race") if command == SESSIONS \
        else ON_DEMO_WAREHOUSE[command]
    assert_ran(command, demo_run.env, expected)


@pytest.mark.postgres
def test_readme_postgres_commands(postgres_env: str, data_dir: Path) -> None:
    from commands.cli import main

    assert main(["load", "laps", str(data_dir / "f1_2023_fastf1" / "21_Las Vegas" / "laps.csv")]) == 0
    env = {"PGDATABASE": postgres_env, "LAPSTACK_DATA": str(data_dir)}
    for command, expected in ON_POSTGRES.items():
        assert_ran(command, env, expected)
