"""`make demo` without the data folder says exactly what to set."""

from __future__ import annotations

from commands.cli import main


def test_demo_without_data_names_the_variable(tmp_path, duckdb_env, monkeypatch, capsys) -> None:
    monkeypatch.setenv("LAPSTACK_DATA", str(tmp_path / "nowhere"))
    assert main(["demo"]) == 2
    out = capsys.readouterr().out
    assert "Set LAPSTACK_DATA" in out and str(tmp_path / "nowhere") in out
