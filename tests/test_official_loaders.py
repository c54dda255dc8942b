"""The official record on the real files: counts equal an independent pandas read, official values as the
files give them, official supersedes provisional, idempotent reloads, positioned errors, Postgres."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from commands.cli import main
from core.errors import LoadError
from core.warehouse import connect
from loaders.dispatch import load_everything
from loaders.laps.model import Overrides
from loaders.official.load import load_side, parse_side
from tests.conftest import dbt
from tests.warehouse_support import q

VIR_R1 = "gr_cup/virginia-international-raceway/VIR/Race 1"
VIR_OFFICIAL = f"{VIR_R1}/03_Results GR Cup Race 1 Official_Anonymized.CSV"
VIR_PROVISIONAL = f"{VIR_R1}/03_Provisional Results_Race 1_Anonymized.CSV"
SAKHIR = "f1_2023_fastf1/1_Sakhir"
ERGAST_TABLES = ["results", "sprint_results", "qualifying", "pit_stops", "driver_standings",
                 "constructor_standings", "races", "drivers", "constructors", "status"]



def _pandas_rows(path: Path) -> int:
    """Independent count: pandas' own CSV reader, the file's delimiter, blank lines skipped."""
    sep = ";" if path.suffix == ".CSV" else ","
    return len(pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=True))


def _side_files(data_dir: Path) -> dict[str, list[Path]]:
    vir = sorted(p for p in (data_dir / VIR_R1).iterdir() if p.name[:3] in ("03_", "05_", "26_", "99_"))
    f1 = [data_dir / SAKHIR / n for n in ("results.csv", "weather_data.csv", "track_status.csv")]
    ergast = [data_dir / "ergast" / f"{n}.csv" for n in ERGAST_TABLES]
    return {"gr_cup": vir, "fastf1": f1, "ergast": ergast}


def _load_all(data_dir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    wh = connect()
    try:
        for files in _side_files(data_dir).values():
            for path in files:
                res = load_side(wh, path, None, Overrides())
                assert res.status == "loaded"
                table = parse_side(path.resolve(), None, Overrides()).source.table
                counts[table] = counts.get(table, 0) + _pandas_rows(path)
    finally:
        wh.close()
    return counts


def test_row_counts_equal_pandas_and_reload_is_a_no_op(data_dir: Path, duckdb_env: Path) -> None:
    expected = _load_all(data_dir)
    assert set(expected) >= {"gr_cup_results", "gr_cup_results_by_class", "gr_cup_best_laps", "gr_cup_weather",
                             "fastf1_results", "fastf1_weather", "fastf1_track_status",
                             *(f"ergast_{n}" for n in ERGAST_TABLES)}
    for table, rows in expected.items():
        assert q(f"select count(*) from raw.{table}")[0][0] == rows, table
    batches = q("select count(*) from raw.load_batches")[0][0]
    wh = connect()
    try:
        for files in _side_files(data_dir).values():
            for path in files:
                assert load_side(wh, path, None, Overrides()).status == "unchanged"
    finally:
        wh.close()
    for table, rows in expected.items():
        assert q(f"select count(*) from raw.{table}")[0][0] == rows, table
    assert q("select count(*) from raw.load_batches")[0][0] == batches
    # Lineage: every row points back at its file and physical line.
    line, = q("select _source_line from raw.gr_cup_results where _driver = '98' and _result_status = 'official'")[0]
    text = (data_dir / VIR_OFFICIAL).read_text(encoding="utf-8-sig").splitlines()[line - 1]
    assert text.split(";")[1] == "98"


def test_official_values_as_the_files_give_them(data_dir: Path, duckdb_env: Path) -> None:
    _load_all(data_dir)
    dbt("build", "--select", "stg_gr_cup__results stg_gr_cup__best_laps stg_fastf1__results stg_ergast__results "
        "stg_fastf1__track_status stg_gr_cup__weather")
    # GR Cup VIR Race 1 car 98: official fastest lap 2:15.206 on lap 2; the official total carries +30 s.
    row = q("select position, status, laps_completed, total_time, fastest_lap_time, fastest_lap_number, "
            "result_status from staging.stg_gr_cup__results where session_id = 'gr_cup-2025-vir-race_1' "
            "and driver = '98'")
    assert row == [(22, "Classified", 4, pytest.approx(11 * 60 + 42.909), pytest.approx(135.206), 2, "official")]
    provisional = q("select total_time from raw.gr_cup_results where _driver = '98' "
                    "and _result_status = 'provisional'")
    assert provisional == [("11:12.909",)]
    assert q("select count(*) from staging.stg_gr_cup__results where session_id = 'gr_cup-2025-vir-race_1'")[0][0] \
        == _pandas_rows(data_dir / VIR_OFFICIAL)
    best = q("select lap_time, lap_number from staging.stg_gr_cup__best_laps where session_id = "
             "'gr_cup-2025-vir-race_1' and driver = '72' and best_lap_rank = 1")
    assert best == [(pytest.approx(128.511), 10)]
    # F1 2023 Bahrain from the FastF1 results.csv, against pandas.
    frame = pd.read_csv(data_dir / SAKHIR / "results.csv")
    got = dict((d, (p, pts, g)) for d, p, pts, g in q(
        "select driver, position, points, grid_position from staging.stg_fastf1__results "
        "where session_id = 'f1-2023-bahrain_grand_prix-race'"))
    for rec in frame.itertuples():
        classified = str(rec.ClassifiedPosition).isdigit()
        assert got[rec.Abbreviation] == (int(rec.Position) if classified else None, rec.Points, int(rec.GridPosition))
    assert got["VER"] == (1, 25.0, 1)
    # Ergast 2023 Bahrain results, against the dump.
    results = pd.read_csv(data_dir / "ergast/results.csv", na_values=["\\N"], keep_default_na=False)
    races = pd.read_csv(data_dir / "ergast/races.csv", usecols=[0, 1, 4])
    race_id = int(races[(races.year == 2023) & (races.name == "Bahrain Grand Prix")].raceId.iloc[0])
    winner = results[(results.raceId == race_id) & (results.positionOrder == 1)].iloc[0]
    row = q("select driver, position, points, grid_position, laps_completed, total_time from "
            "staging.stg_ergast__results where session_id = 'f1-2023-bahrain_grand_prix-race' and finish_order = 1")
    assert row == [("max_verstappen", 1, float(winner.points), int(winner.grid), int(winner.laps),
                    pytest.approx(winner.milliseconds / 1000))]
    assert q("select count(*) from staging.stg_ergast__results where race_id = ?", (race_id,))[0][0] == \
        (results.raceId == race_id).sum()
    periods = q("select count(*), count(end_session_time) from staging.stg_fastf1__track_status "
                "where session_id = 'f1-2023-bahrain_grand_prix-race'")
    assert periods == [(_pandas_rows(data_dir / SAKHIR / "track_status.csv"),
                        _pandas_rows(data_dir / SAKHIR / "track_status.csv") - 1)]


def test_official_supersedes_provisional_whatever_the_order(data_dir: Path, duckdb_env: Path,
                                                            tmp_path: Path) -> None:
    wh = connect()
    try:
        load_side(wh, data_dir / VIR_OFFICIAL, None, Overrides())
        load_side(wh, data_dir / VIR_PROVISIONAL, None, Overrides())  # arrives later: still not the record
    finally:
        wh.close()
    dbt("build", "--select", "stg_gr_cup__results")
    assert q("select distinct result_status from staging.stg_gr_cup__results") == [("official",)]
    assert q("select count(distinct _result_status) from raw.gr_cup_results")[0][0] == 2  # both kept raw
    assert q("select total_time from staging.stg_gr_cup__results where driver = '98'") == \
        [(pytest.approx(702.909),)]


def test_results_share_the_session_id_of_the_laps(data_dir: Path, duckdb_env: Path) -> None:
    wh = connect()
    try:
        outcomes, skipped, errors = load_everything(wh, [data_dir / VIR_R1, data_dir / SAKHIR])
    finally:
        wh.close()
    assert not errors
    lap_sessions = {r[0] for r in q("select session_id from raw.sessions")}
    for table in ("gr_cup_results", "gr_cup_best_laps", "gr_cup_weather", "fastf1_results", "fastf1_weather",
                  "fastf1_track_status"):
        ids = {r[0] for r in q(f"select distinct _session_id from raw.{table}")}
        assert ids and ids <= lap_sessions, table
    skipped_names = {p.name: reason for p, reason in skipped}
    assert "race_info.csv" in skipped_names and "pitstops.csv" in skipped_names
    assert {o.format for o in outcomes} >= {"gr_cup", "fastf1_laps", "gr_cup_results", "fastf1_results"}


def test_bad_side_file_is_positioned_and_the_others_still_load(data_dir: Path, duckdb_env: Path,
                                                               tmp_path: Path, capsys) -> None:
    race = tmp_path / "VIR" / "Race 1"
    race.mkdir(parents=True)
    for name in ("03_Results GR Cup Race 1 Official_Anonymized.CSV", "26_Weather_Race 1_Anonymized.CSV",
                 "vir_lap_time_R1.csv"):
        shutil.copy(data_dir / VIR_R1 / name, race / name)
    bad = race / "99_Best 10 Laps By Driver_Race 1_Anonymized.CSV"
    lines = (data_dir / VIR_R1 / bad.name).read_text(encoding="utf-8-sig").splitlines()
    fields = lines[2].split(";")
    fields[4] = "2:1x.511"  # BESTLAP_1 of the second car
    lines[2] = ";".join(fields)
    bad.write_text("\n".join(lines) + "\n")
    (race / "notes.txt").write_text("not a timing file\n")
    code = main(["load", str(tmp_path), "--target", "duckdb"])
    out = capsys.readouterr()
    assert code == 1
    assert f"{bad}:3:5 (BESTLAP_1): bestlap_1: not a time" in out.err
    assert "skipped" in out.out and "notes.txt: header matches no registered file format" in out.out
    assert q("select count(*) from raw.gr_cup_best_laps")[0][0] == 0  # nothing of the bad file
    assert q("select count(*) from raw.gr_cup_results")[0][0] == \
        _pandas_rows(race / "03_Results GR Cup Race 1 Official_Anonymized.CSV")
    assert q("select count(*) from raw.gr_cup_weather")[0][0] > 0
    with pytest.raises(LoadError) as exc:
        parse_side(bad, None, Overrides())
    assert (exc.value.line, exc.value.column) == (3, "5 (BESTLAP_1)")


def test_changed_file_replaces_its_rows_and_a_second_file_conflicts(data_dir: Path, duckdb_env: Path,
                                                                    tmp_path: Path) -> None:
    folder = tmp_path / "1_Sakhir"
    folder.mkdir()
    for name in ("race_info.csv", "results.csv"):
        shutil.copy(data_dir / SAKHIR / name, folder / name)
    wh = connect()
    try:
        assert load_side(wh, folder / "results.csv", None, Overrides()).status == "loaded"
        text = (folder / "results.csv").read_text().splitlines()
        (folder / "results.csv").write_text("\n".join(text[:-1]) + "\n")  # the last driver removed
        assert load_side(wh, folder / "results.csv", None, Overrides()).rows == 19
        assert q("select count(*) from raw.fastf1_results")[0][0] == 19
        with pytest.raises(LoadError, match="already holds session f1-2023-bahrain_grand_prix-race"):
            load_side(wh, data_dir / SAKHIR / "results.csv", None, Overrides())
        assert load_side(wh, data_dir / SAKHIR / "results.csv", None, Overrides(), replace=True).rows == 20
    finally:
        wh.close()
    assert q("select count(*), count(distinct _source_file) from raw.fastf1_results")[0] == (20, 1)


def test_postgres_loads_the_official_record(data_dir: Path, postgres_env: str) -> None:
    wh = connect()
    try:
        outcomes, _, errors = load_everything(wh, [data_dir / VIR_R1, *(_side_files(data_dir)["fastf1"]),
                                                   data_dir / "ergast/results.csv"])
        assert not errors
        again, _, _ = load_everything(wh, [data_dir / VIR_R1])
        assert {o.status for o in again} == {"unchanged"}
    finally:
        wh.close()
    assert q("select count(*) from raw.gr_cup_results")[0][0] == \
        _pandas_rows(data_dir / VIR_OFFICIAL) + _pandas_rows(data_dir / VIR_PROVISIONAL)
    assert q("select count(*) from raw.ergast_results")[0][0] == _pandas_rows(data_dir / "ergast/results.csv")
    assert q("select fl_time, fl_lapnum from raw.gr_cup_results where _driver = '98' "
             "and _result_status = 'official'") == [("2:15.206", "2")]
