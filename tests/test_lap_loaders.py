"""Lap loaders on real files: session inference, idempotent reloads, supersede, conflicts, quirks."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from commands.cli import main
from loaders.laps.detect import parse_file
from loaders.laps.model import Overrides
from tests.warehouse_support import q

BARBER_R1 = "gr_cup/barber/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
COTA_R1 = "gr_cup/COTA/Race 1/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
SAKHIR = "f1_2023_fastf1/1_Sakhir/laps.csv"



def test_gr_cup_session_inferred_from_path_and_ecu_files(data_dir: Path) -> None:
    parsed = parse_file(data_dir / BARBER_R1, None, Overrides())
    info = parsed.sessions[0].info
    assert parsed.format == "gr_cup"
    assert (info.series, info.season, info.event, info.session_name) == ("gr_cup", 2025, "barber", "Race 1")
    assert info.session_id == "gr_cup-2025-barber-race_1"
    assert parsed.row_count == 579
    assert parsed.sessions[0].rows["_driver"].nunique() == 22


def test_two_cars_sharing_a_number_stay_two_entries(data_dir: Path) -> None:
    """COTA Race 1 lists car 3 twice (two entries, one in the Legends group), each with laps 1-17."""
    rows = parse_file(data_dir / COTA_R1, None, Overrides()).sessions[0].rows
    counts = rows.groupby("_driver").size()
    assert counts["3"] == 17 and counts["3#2"] == 17
    assert rows.loc[rows["_driver"] == "3#2", "group_name"].str.strip().unique().tolist() == ["Legends"]


def test_fastf1_export_uses_race_info(data_dir: Path) -> None:
    parsed = parse_file(data_dir / SAKHIR, None, Overrides())
    info = parsed.sessions[0].info
    assert (info.season, info.event, info.session_name) == (2023, "Bahrain Grand Prix", "Race")
    assert parsed.row_count == 1056


def test_ergast_one_file_many_races(data_dir: Path) -> None:
    parsed = parse_file(data_dir / "ergast/lap_times_2020_2024.csv", None, Overrides())
    assert parsed.format == "ergast_lap_times" and parsed.row_count == 116577
    assert len(parsed.sessions) == 107
    by_id = {s.info.session_id: s for s in parsed.sessions}
    bahrain = by_id["f1-2023-bahrain_grand_prix-race"]
    assert "max_verstappen" in set(bahrain.rows["_driver"])


def test_ergast_overrides_cannot_merge_races(data_dir: Path, duckdb_env: Path, capsys) -> None:
    assert main(["load", "laps", str(data_dir / "ergast/lap_times_2020_2024.csv"), "--event", "Monza"]) == 1
    assert "would merge them into one session" in capsys.readouterr().err


def test_same_file_twice_changes_nothing(data_dir: Path, duckdb_env: Path, capsys) -> None:
    path = str(data_dir / BARBER_R1)
    assert main(["load", "laps", path]) == 0
    before = q("select count(*), min(_batch_id) from raw.gr_cup_laps")
    assert main(["load", "laps", path]) == 0
    assert "unchanged" in capsys.readouterr().out
    assert q("select count(*), min(_batch_id) from raw.gr_cup_laps") == before
    assert q("select version from raw.sessions") == [(1,)]
    assert q("select count(*) from raw.load_batches") == [(1,)]


def test_corrected_file_supersedes_earlier_batch(data_dir: Path, duckdb_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "barber" / "Race 1" / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
    path.parent.mkdir(parents=True)
    shutil.copy(data_dir / BARBER_R1, path)
    assert main(["load", "laps", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("3;1;4;1:40.861;", "3;1;4;1:40.761;", 1), encoding="utf-8")
    assert main(["load", "laps", str(path)]) == 0
    assert q("select count(*) from raw.gr_cup_laps") == [(579,)]
    assert q("select lap_time from raw.gr_cup_laps where _driver = '3' and lap_number = '4'") == [("1:40.761",)]
    assert q("select version from raw.sessions") == [(2,)]
    assert q("select status, count(*) from raw.load_batches group by status order by status") == [
        ("active", 1), ("superseded", 1)]


def test_different_file_never_collapses_into_a_session(data_dir: Path, duckdb_env: Path, tmp_path: Path,
                                                       capsys) -> None:
    real_sample = data_dir / "gr_cup/barber/Samples/23_AnalysisEnduranceWithSections_Race_1_sample.CSV"
    # the real excerpt with one lap time changed: no longer lap for lap the loaded file's
    sample = tmp_path / "2025" / "barber" / "Samples" / real_sample.name  # the same session id: gr_cup-2025-...
    sample.parent.mkdir(parents=True)
    sample.write_text(real_sample.read_text(encoding="utf-8").replace("3;1;4;1:40.861;", "3;1;4;1:40.761;", 1),
                      encoding="utf-8")
    assert main(["load", "laps", str(data_dir / BARBER_R1)]) == 0
    assert main(["load", "laps", str(real_sample)]) == 0  # the unchanged excerpt: skipped (tests/test_excerpt_files.py)
    assert main(["load", "laps", str(sample)]) == 1
    assert "already loaded from" in capsys.readouterr().err
    assert q("select count(*) from raw.gr_cup_laps") == [(579,)]
    assert main(["load", "laps", str(sample), "--session", "Race 1 sample"]) == 0
    assert q("select count(*) from raw.sessions") == [(2,)]
    assert main(["load", "laps", str(sample), "--replace"]) == 0
    assert q("select count(*) from raw.gr_cup_laps where _session_id = 'gr_cup-2025-barber-race_1'") == [(49,)]


def test_bom_and_crlf_load_like_the_original(data_dir: Path, duckdb_env: Path, tmp_path: Path) -> None:
    original = (data_dir / SAKHIR).read_text(encoding="utf-8")
    path = tmp_path / "1_Sakhir" / "laps.csv"
    path.parent.mkdir()
    path.write_bytes(b"\xef\xbb\xbf" + original.replace("\n", "\r\n").encode("utf-8"))
    shutil.copy(data_dir / "f1_2023_fastf1/1_Sakhir/race_info.csv", path.parent / "race_info.csv")
    assert main(["load", "laps", str(path)]) == 0
    assert q("select count(*), count(distinct _driver), min(laptime) from raw.fastf1_laps") == [
        (1056, 20, "0 days 00:01:33.996000")]


def _ecu_rows_as_lapstack(data_dir: Path, tmp_path: Path, vehicles: list[str]) -> Path:
    """Real ECU lap_time rows of whole cars, rewritten in the lapstack lap format (values untouched)."""
    src = data_dir / "gr_cup/virginia-international-raceway/VIR/Race 2/vir_lap_time_R2.csv"
    with src.open(encoding="utf-8-sig", newline="") as fh:
        rows = sorted((r for r in csv.DictReader(fh) if r["vehicle_id"] in vehicles), key=lambda r: r["timestamp"])
    out = tmp_path / "VIR" / "Race 2" / "ecu_laps.csv"
    out.parent.mkdir(parents=True)
    with out.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["series", "season", "driver", "lap_number", "lap_time"])
        for r in rows:
            writer.writerow(["gr_cup_ecu", 2025, r["vehicle_id"], r["lap"], int(r["value"]) / 1000])
    return out


def test_real_ecu_quirks_are_loaded_and_flagged(data_dir: Path, duckdb_env: Path, tmp_path: Path) -> None:
    from tests.conftest import dbt

    path = _ecu_rows_as_lapstack(data_dir, tmp_path, ["GR86-040-3"])  # holds the 7,127,986 ms lap 32768
    assert main(["load", "laps", str(path)]) == 0
    dbt("build", "--selector", "lap_path")
    flags = q("select lap_number, lap_time, is_lost_counter, is_outlier, is_racing_lap from marts.fct_laps "
              "where lap_number = 32768")
    assert flags == [(32768, 7127.986, True, True, False)]
    assert q("select racing_lap_count, best_lap_time from marts.session_driver_stats") == [(21, 129.789)]


def test_real_ecu_resent_lap_is_a_duplicate_error(data_dir: Path, duckdb_env: Path, tmp_path: Path, capsys):
    """GR86-002-2 re-sends lap 21 as 43 ms after its 129.228 s lap: two different times for one lap."""
    path = _ecu_rows_as_lapstack(data_dir, tmp_path, ["GR86-002-2"])
    assert main(["load", "laps", str(path)]) == 1
    assert "duplicate lap 21 for driver GR86-002-2" in capsys.readouterr().err


def test_zero_ms_lap_is_loaded_but_never_racing(data_dir: Path, duckdb_env: Path, tmp_path: Path) -> None:
    from tests.conftest import dbt

    path = _ecu_rows_as_lapstack(data_dir, tmp_path, ["GR86-002-2"])
    lines = path.read_text().splitlines()
    resent = [i for i, line in enumerate(lines) if line.endswith(",21,0.043")]
    assert len(resent) == 1
    path.write_text("\n".join(line for i, line in enumerate(lines) if i not in resent) + "\n")
    assert main(["load", "laps", str(path)]) == 0
    dbt("build", "--selector", "lap_path")
    assert q("select lap_time, is_racing_lap from marts.fct_laps where lap_number = 22") == [(0.0, False)]
    assert q("select count(*) from marts.fct_laps where lap_number = 32768 and not is_racing_lap") == [(1,)]


@pytest.mark.parametrize("suffix", [".jsonl"])
def test_lapstack_json_lines(tmp_path: Path, duckdb_env: Path, suffix: str) -> None:
    path = tmp_path / f"laps{suffix}"
    path.write_text('{"series": "club", "season": 2024, "event": "Brands Hatch", "session_name": "Race 1", '
                    '"driver": "7", "lap_number": 1, "lap_time": "1:02.500", "sector_1_time": 20.1}\n'
                    '{"series": "club", "season": 2024, "event": "Brands Hatch", "session_name": "Race 1", '
                    '"driver": "7", "lap_number": 2, "lap_time": 61.9, "is_pit_in_lap": true}\n')
    assert main(["load", "laps", str(path)]) == 0
    assert q("select _session_id, lap_time, is_pit_in_lap from raw.lapstack_laps order by _source_line") == [
        ("club-2024-brands_hatch-race_1", "1:02.500", None), ("club-2024-brands_hatch-race_1", "61.9", "true")]
