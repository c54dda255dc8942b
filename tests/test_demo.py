"""`make demo`: without the data folder it says exactly what to set; with it, it is quiet (progress bars and one
summary in at most 40 lines, no ANSI codes off a terminal) and ends with the report index and the full log."""

from __future__ import annotations

import re

import pytest

from commands.cli import main

MAX_LINES = 40


def test_demo_without_data_names_the_variable(tmp_path, duckdb_env, monkeypatch, capsys) -> None:
    monkeypatch.setenv("LAPSTACK_DATA", str(tmp_path / "nowhere"))
    assert main(["demo"]) == 2
    out = capsys.readouterr().out
    assert "Set LAPSTACK_DATA" in out and str(tmp_path / "nowhere") in out


@pytest.mark.xdist_group("demo_run")
def test_demo_is_quiet_and_ends_with_the_summary(demo_run, data_dir) -> None:
    assert demo_run.code == 0, demo_run.output
    lines = demo_run.output.splitlines()
    assert len(lines) <= MAX_LINES, demo_run.output
    assert "\x1b[" not in demo_run.output  # captured output is no terminal: no colour codes
    # a bar per stage, each complete
    assert re.search(r"^lap files loaded .* 2/2 .* 2 new, 0 unchanged", demo_run.output, re.M), demo_run.output
    assert re.search(r"^dbt nodes built .* (\d+)/\1 .* \d+ models", demo_run.output, re.M), demo_run.output
    assert re.search(r"^sessions charted .* 2/2 ", demo_run.output, re.M), demo_run.output
    # the fastest drivers, as the official timing sheets have them
    assert re.search(r"^f1 2023 +Las Vegas Grand Prix +Race +PIA +1:35\.490 +946 +20$", demo_run.output, re.M)
    assert re.search(r"^gr_cup 2025 +barber +Race 1 +13 +1:37\.428 +579 +22$", demo_run.output, re.M)
    log = demo_run.duckdb_path.parent / "lapstack-demo.log"
    assert re.fullmatch(r"2 lap files \(2 new, 0 unchanged\), 2 sessions, 1525 laps, \d+ dbt models built", lines[-5])
    # official side files and ECU lap events loaded, laps loaded and built, the official path's models built
    assert re.fullmatch(r"4 Dagster runs succeeded, last [0-9a-f-]{36} \(`make dev` shows them\)", lines[-4])
    assert lines[-3] == f"Warehouse: {demo_run.duckdb_path} (target duckdb; marts in schema `marts`)"
    # where `lapstack report --all` run from the user's shell writes: under the folder the demo was started in
    assert lines[-2] == ("Session reports: `lapstack report --all` writes "
                         f"{demo_run.started_in / 'reports' / 'sessions' / 'index.html'}")
    assert demo_run.ended_in == demo_run.started_in  # the demo leaves the process in the user's folder
    assert lines[-1] == f"Full log: {log}"
    # what the terminal was spared is in the log: Dagster's events and dbt's node lines
    text = log.read_text(encoding="utf-8")
    assert 'STEP_SUCCESS - Finished execution of step "dbt_models"' in text
    assert re.search(r"^\d+ of \d+ OK created sql incremental model marts\.session_summary ", text, re.M)
    assert "\x1b[" not in text


@pytest.mark.xdist_group("demo_run")
@pytest.mark.parametrize("width", [80, 200])
def test_demo_table_fits_the_width(demo_run, width: int, monkeypatch) -> None:
    """One line per session at 80 columns too (the old table wrapped "Las Vegas Grand Prix" onto two)."""
    import io

    from rich.console import Console

    from commands.demo import _fastest_table

    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(demo_run.duckdb_path))
    table, sessions, _ = _fastest_table(None)
    out = io.StringIO()
    Console(file=out, width=width, no_color=True).print(table)
    lines = out.getvalue().splitlines()
    assert sessions == 2 and len(lines) == 3 + sessions  # title, header, rule, one line per session
    assert max(len(line) for line in lines) <= width


# The race picture, conditions, season and lap-activity marts: every one has rows in the demo warehouse, since
# the demo loads the side files (results, weather, track status) its sessions come with.
RACE_PICTURE_MARTS = ["lap_positions", "driver_stints", "pit_stops", "session_results", "session_conditions",
                      "session_track_events", "driver_season_stats", "championship_standings", "track_laps_daily",
                      "track_laps_hourly", "series_laps_monthly"]


@pytest.mark.xdist_group("demo_run")
def test_demo_fills_every_race_picture_mart(demo_run) -> None:
    import duckdb

    with duckdb.connect(str(demo_run.duckdb_path), read_only=True) as con:
        counts = {m: con.execute(f"select count(*) from marts.{m}").fetchone()[0] for m in RACE_PICTURE_MARTS}
        vegas = con.execute("select points, position from marts.championship_standings "
                            "where season = 2023 and driver ilike '%verstappen%'").fetchall()
    assert all(counts.values()), counts
    # one round loaded (Las Vegas 2023, a win and no fastest lap): 25 points, first
    assert vegas == [(25, 1)], vegas
