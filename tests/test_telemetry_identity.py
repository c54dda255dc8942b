"""Driver identity of FastF1 car telemetry: one car is stored once, under its code once the laps are known.

Real 2023 Las Vegas GP: car 1 (VER) telemetry loaded before the session's laps is keyed `1`; loading the
laps re-keys it to `VER` in the laps' transaction (tests/test_telemetry_before_laps.py: lap numbers), and
--force after the laps reloads it in place, instead of storing the car twice.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_telemetry_support import ROWS_PER_VEGAS_CAR, VEGAS, VEGAS_SESSION, load, load_laps, query


def _by_driver() -> dict[str, int]:
    return dict(query("select _driver, count(*) from raw.telemetry group by _driver"))


def _active_batches() -> int:
    return query("select count(*) from raw.load_batches where status = 'active' and format = 'fastf1_car_data'")[0][0]


def test_telemetry_before_laps_is_rekeyed_when_the_laps_arrive(data_dir: Path, duckdb_env: Path, capsys) -> None:
    car = data_dir / VEGAS / "1_telemetry.csv"
    first, errors = load([car])
    assert not errors and first[0].status == "loaded"
    assert _by_driver() == {"1": ROWS_PER_VEGAS_CAR}
    assert "loading laps.csv then re-keys these rows" in capsys.readouterr().err

    load_laps(data_dir / VEGAS / "laps.csv")
    # The laps' transaction re-keyed the car in place: VER, with lap numbers, still one copy, one batch.
    assert _by_driver() == {"VER": ROWS_PER_VEGAS_CAR}
    assert query("select count(*) from raw.telemetry where _driver = 'VER' and lap_number is not null")[0][0] > 0
    assert _active_batches() == 1
    # The file is unchanged and keyed like its laps: nothing to do; --force reloads it in place.
    assert load([car])[0][0].status == "unchanged"
    forced, errors = load([car], force=True)
    assert not errors and forced[0].status == "loaded"
    assert _by_driver() == {"VER": ROWS_PER_VEGAS_CAR}
    assert _active_batches() == 1
    assert query("select count(distinct _batch_id) from raw.telemetry")[0][0] == 1


def test_force_straight_after_laps_replaces_the_car_number_rows(data_dir: Path, duckdb_env: Path) -> None:
    """The issue's exact sequence: telemetry, laps, `--force`: 24,406 rows under VER, none left under 1."""
    car = data_dir / VEGAS / "1_telemetry.csv"
    assert load([car])[0][0].status == "loaded"
    load_laps(data_dir / VEGAS / "laps.csv")
    forced, errors = load([car], force=True)
    assert not errors and forced[0].status == "loaded"
    assert _by_driver() == {"VER": ROWS_PER_VEGAS_CAR}
    assert _active_batches() == 1


def test_reload_without_laps_replaces_rows_stored_under_the_code(data_dir: Path, duckdb_env: Path) -> None:
    """The other way round: laps gone (session deleted), the file reloaded under the number: still one copy."""
    from commands.cli import main

    car = data_dir / VEGAS / "1_telemetry.csv"
    load_laps(data_dir / VEGAS / "laps.csv")
    assert load([car])[0][0].status == "loaded"
    assert _by_driver() == {"VER": ROWS_PER_VEGAS_CAR}
    assert main(["delete", "session", VEGAS_SESSION]) == 0
    forced, errors = load([car], force=True)
    assert not errors and forced[0].drivers == ["1"]
    assert _by_driver() == {"1": ROWS_PER_VEGAS_CAR}
    assert _active_batches() == 1


def test_same_car_from_another_file_needs_replace_under_either_id(data_dir: Path, duckdb_env: Path,
                                                                 tmp_path: Path) -> None:
    """A copy of car 1's file elsewhere is the same car (VER): refused without --replace, replaces with it."""
    car = data_dir / VEGAS / "1_telemetry.csv"
    assert load([car])[0][0].status == "loaded"  # stored as `1`
    load_laps(data_dir / VEGAS / "laps.csv")
    copy_dir = tmp_path / "f1_2023_fastf1" / "21_Las Vegas"
    copy_dir.mkdir(parents=True)
    for name in ("1_telemetry.csv", "race_info.csv"):  # race_info.csv names the event: same session id
        (copy_dir / name).write_bytes((data_dir / VEGAS / name).read_bytes())
    _, errors = load([copy_dir / "1_telemetry.csv"])
    assert errors and "already loaded from" in str(errors[0]) and "--replace" in str(errors[0])
    assert _by_driver() == {"VER": ROWS_PER_VEGAS_CAR}  # the laps re-keyed the first copy
    replaced, errors = load([copy_dir / "1_telemetry.csv"], replace=True)
    assert not errors and replaced[0].drivers == ["VER"]
    assert _by_driver() == {"VER": ROWS_PER_VEGAS_CAR}
