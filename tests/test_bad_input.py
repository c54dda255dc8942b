"""Every kind of bad lap file: one clear line naming file:line:column, exit 1, nothing loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from commands.cli import main
from core.warehouse import connect

BARBER_R1 = "gr_cup/barber/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
SAKHIR = "f1_2023_fastf1/1_Sakhir/laps.csv"


def _raw_rows() -> int:
    wh = connect()
    try:
        if not wh.table_exists("raw", "sessions"):
            return 0
        return sum(wh.query(f"select count(*) from raw.{t}")[0][0]
                   for t in ("gr_cup_laps", "fastf1_laps", "ergast_lap_times", "lapstack_laps"))
    finally:
        wh.close()


def _fails(path: Path, capsys: pytest.CaptureFixture, *extra: str) -> str:
    code = main(["load", "laps", str(path), *extra])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert _raw_rows() == 0, "a rejected file must leave nothing behind"
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0]
    return lines[0]


def _copy(data_dir: Path, rel: str, tmp_path: Path, name: str | None = None) -> Path:
    dest = tmp_path / "Barber" / "Race 1" / (name or Path(rel).name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(data_dir / rel, dest)
    return dest


def _edit_line(path: Path, line_no: int, transform) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line_no - 1] = transform(lines[line_no - 1])
    path.write_text("\n".join(lines), encoding="utf-8")


def test_empty_file(tmp_path, duckdb_env, capsys):
    path = tmp_path / "laps.csv"
    path.write_text("")
    assert _fails(path, capsys).endswith(":1:1: file is empty")


def test_truncated_file(data_dir, tmp_path, duckdb_env, capsys):
    path = _copy(data_dir, BARBER_R1, tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("\n", 5000) + 40], encoding="utf-8")  # cut mid-row
    last_line = path.read_text().count("\n") + 1
    msg = _fails(path, capsys)
    assert f":{last_line}:" in msg and "truncated" in msg


def test_wrong_delimiter(data_dir, tmp_path, duckdb_env, capsys):
    path = _copy(data_dir, BARBER_R1, tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")
    msg = _fails(path, capsys)
    assert ":1:1: wrong delimiter" in msg and "';'" in msg


def test_missing_required_columns(data_dir, tmp_path, duckdb_env, capsys):
    path = _copy(data_dir, SAKHIR, tmp_path)
    _edit_line(path, 1, lambda h: h.replace("Sector2Time", "S2"))
    msg = _fails(path, capsys, "--format", "fastf1_laps")
    assert ":1:" in msg and "missing required column(s)" in msg and "Sector2Time" in msg


def test_non_numeric_time(data_dir, tmp_path, duckdb_env, capsys):
    path = _copy(data_dir, BARBER_R1, tmp_path)
    _edit_line(path, 7, lambda row: row.replace(";1:4", ";1m4", 1))
    msg = _fails(path, capsys)
    assert ":7:4 (LAP_TIME): not a time" in msg


def test_negative_time(data_dir, tmp_path, duckdb_env, capsys):
    path = _copy(data_dir, SAKHIR, tmp_path)
    _edit_line(path, 3, lambda row: row.replace(",0 days 00:01:37.974000,", ",-1 days +23:58:22.026000,", 1))
    msg = _fails(path, capsys)
    assert ":3:5 (LapTime)" in msg and ("negative time" in msg or "not a time" in msg)


def test_negative_lapstack_time(tmp_path, duckdb_env, capsys):
    path = tmp_path / "Monza" / "race.csv"
    path.parent.mkdir()
    path.write_text("driver,lap_number,lap_time\nHAM,1,81.5\nHAM,2,-80.1\n")
    msg = _fails(path, capsys)
    assert msg.endswith(":3:3 (lap_time): negative time: '-80.1'")


def test_duplicate_lap_with_different_time(data_dir, tmp_path, duckdb_env, capsys):
    path = _copy(data_dir, BARBER_R1, tmp_path)
    lines = path.read_text(encoding="utf-8").split("\n")
    dup = lines[4].replace(";1:4", ";1:5", 1)
    assert dup != lines[4]
    lines.insert(5, dup)
    path.write_text("\n".join(lines), encoding="utf-8")
    msg = _fails(path, capsys)
    assert ":6:4 (LAP_TIME): duplicate lap 4 for driver 3 with a different time than line 5" in msg


def test_unknown_format(data_dir, tmp_path, duckdb_env, capsys):
    path = tmp_path / "results.csv"
    shutil.copy(data_dir / "f1_2023_fastf1/1_Sakhir/results.csv", path)
    assert ":1:1: unknown lap format" in _fails(path, capsys)


def test_binary_file(tmp_path, duckdb_env, capsys):
    path = tmp_path / "laps.csv"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    assert ":1:1: file is a zip archive, not UTF-8 text: extract it first" in _fails(path, capsys)
    path.write_bytes(b"driver,lap" + bytes(range(256)))
    assert ":1:11: binary content (NUL byte)" in _fails(path, capsys)


def test_bad_file_does_not_block_good_ones(data_dir, tmp_path, duckdb_env, capsys):
    bad = tmp_path / "empty.csv"
    bad.write_text("")
    code = main(["load", "laps", str(bad), str(data_dir / SAKHIR)])
    assert code == 1
    assert "empty.csv:1:1: file is empty" in capsys.readouterr().err
    assert _raw_rows() == 1056
