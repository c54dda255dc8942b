"""Telemetry loader on the real data: counts, drivers, laps, idempotency, kill mid-load, bad input."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.test_telemetry_support import (
    GR_SAMPLE,
    ROWS_PER_VEGAS_CAR,
    VEGAS,
    create_pre_slimming_telemetry,
    gr_pivot_reference,
    load,
    load_laps,
    query,
    telemetry_columns,
    vegas_car,
    vegas_laps,
)


def _raw_counts() -> dict[str, int]:
    return dict(query("select _driver, count(*) from raw.telemetry group by _driver"))


def test_all_las_vegas_cars_load_with_codes_and_counts(data_dir: Path, duckdb_env: Path) -> None:
    folder = data_dir / VEGAS
    load_laps(folder / "laps.csv")
    files = sorted(folder.glob("*_telemetry.csv"))
    assert len(files) == 20
    results, errors = load(files)
    assert not errors
    expected = {}
    for f in files:  # independent per-car row counts
        expected[f.name.split("_")[0]] = sum(1 for _ in f.open()) - 1
    assert sum(expected.values()) == 488_120
    assert sum(r.rows for r in results) == 488_120
    laps = pd.read_csv(folder / "laps.csv")
    code = dict(zip(laps["DriverNumber"].astype(str), laps["Driver"], strict=False))
    assert _raw_counts() == {code[n]: rows for n, rows in expected.items()}
    assert query("select count(*) from raw.telemetry")[0][0] == 488_120
    # Car 14 (ALO) has nGear values above 8: loaded as recorded, not refused.
    assert query("select max(gear), count(*) from raw.telemetry where _driver = 'ALO' and gear > 8")[0] == (52, 33)


def test_lap_numbers_match_the_laps_boundaries(data_dir: Path, duckdb_env: Path) -> None:
    load_laps(data_dir / VEGAS / "laps.csv")
    _, errors = load([data_dir / VEGAS / "1_telemetry.csv"])
    assert not errors
    ref = vegas_car(data_dir, 1, vegas_laps(data_dir))
    got = pd.DataFrame(query("select _source_line, lap_number from raw.telemetry where _driver = 'VER' "
                             "order by _source_line"), columns=["line", "lap"])
    assert len(got) == ROWS_PER_VEGAS_CAR
    assert got["lap"].isna().sum() == ref["lap"].isna().sum() > 0  # grid and after the flag: no lap
    assert (got["lap"].fillna(-1).astype(int).to_numpy() == ref["lap"].fillna(-1).astype(int).to_numpy()).all()
    assert got["lap"].max() == 50


def test_reload_is_idempotent_and_force_supersedes(data_dir: Path, duckdb_env: Path) -> None:
    path = data_dir / VEGAS / "44_telemetry.csv"
    first, _ = load([path])
    again, _ = load([path])
    assert first[0].status == "loaded" and again[0].status == "unchanged"
    forced, _ = load([path], force=True)
    assert forced[0].status == "loaded"
    assert _raw_counts() == {"44": ROWS_PER_VEGAS_CAR}  # no laps loaded: driver stays the car number
    statuses = sorted(r[0] for r in query("select status from raw.load_batches"))
    assert statuses == ["active", "superseded"]
    assert query("select count(distinct _batch_id) from raw.telemetry")[0][0] == 1


def test_gr_cup_long_format_pivot_and_lap_events(data_dir: Path, duckdb_env: Path) -> None:
    barber = data_dir / "gr_cup" / "barber"
    events = [barber / f"R1_barber_lap_{k}.csv" for k in ("start", "end", "time")]
    results, errors = load(events + [data_dir / GR_SAMPLE])
    assert not errors, errors
    ref = gr_pivot_reference(data_dir)
    assert len(ref) == 1042 and ref["timestamp"].nunique() == 1021
    rows = query("select count(*), count(distinct ecu_time), max(sample_seq), min(_driver), max(_driver) "
                 "from raw.telemetry")
    assert rows[0] == (1042, 1021, int(ref["seq"].max()), "0", "0")  # GR86-002-000 is car number 0
    # Channel values survive the pivot: compare speed and gear per (timestamp, seq) with pandas.
    got = pd.DataFrame(query("select ecu_time, sample_seq, speed, gear, throttle, brake_pressure_front "
                             "from raw.telemetry"), columns=["ts", "seq", "speed", "gear", "aps", "pbrake_f"])
    ref["ts"] = pd.to_datetime(ref["timestamp"]).dt.tz_localize(None)
    merged = got.merge(ref, on=["ts", "seq"], suffixes=("", "_ref"))
    assert len(merged) == 1042
    assert ((merged["speed"] - merged["speed_ref"]).abs().fillna(0) < 1e-9).all()
    assert merged["speed"].notna().sum() == ref["speed"].notna().sum() == 208
    assert ((merged["aps"] - merged["aps_ref"]).abs().fillna(0) < 1e-9).all()
    # Lap events: rows per file as written, the Barber lap_time file has no value column.
    counts = dict(query("select event_kind, count(*) from raw.gr_cup_lap_events group by 1"))
    assert counts == {"lap_start": 571, "lap_end": 571, "lap_time": 571}
    assert query("select count(value) from raw.gr_cup_lap_events where event_kind = 'lap_time'")[0][0] == 0
    # Laps come from the ECU lap_start/lap_end events; where assigned they agree with the ECU's own counter
    # except for samples within a few tens of ms of a boundary (clock alignment), and lap 2 has no start event.
    laps = query("select lap_number, source_lap, count(*) from raw.telemetry group by 1, 2 order by 1, 2")
    assigned = [r for r in laps if r[0] is not None]
    agree = sum(n for lap, src, n in assigned if lap == src)
    assert agree / sum(n for *_, n in assigned) > 0.9
    assert query("select count(*) from raw.telemetry where source_lap = 2 and lap_number is null")[0][0] > 900


def test_lap_event_quirks_load_as_recorded(data_dir: Path, duckdb_env: Path) -> None:
    vir = data_dir / "gr_cup" / "virginia-international-raceway" / "VIR" / "Race 1"
    ra = data_dir / "gr_cup" / "road-america" / "Road America" / "Race 1"
    sonoma = data_dir / "gr_cup" / "Sonoma" / "Race 1" / "sonoma_lap_start_time_R1.csv"
    results, errors = load([vir / "vir_lap_time_R1.csv", ra / "road_america_lap_time_R1.csv", sonoma])
    assert not errors, errors
    values = [float(v[0]) for v in query("select value from raw.gr_cup_lap_events where event_kind = 'lap_time' "
                                         "and value is not null")]
    assert 7127986.0 in values and 43.0 in values and 0.0 in values
    files = [vir / "vir_lap_time_R1.csv", ra / "road_america_lap_time_R1.csv", sonoma]
    frames = [pd.read_csv(f) for f in files]
    lost = sum(int((f["lap"] == 32768).sum()) for f in frames)
    assert lost > 50
    assert query("select count(*) from raw.gr_cup_lap_events where lap = '32768'")[0][0] == lost
    assert query("select count(*) from raw.gr_cup_lap_events")[0][0] == sum(len(f) for f in frames) == 483 + 221 + len(
        frames[2])


def _traced_load(path: Path, **trace: str) -> subprocess.Popen:
    """`lapstack load telemetry PATH` in a child process that traces each step to its stderr (and waits
    `LAPSTACK_TELEMETRY_TRACE_DELAY` after each), so the test can kill it at a chosen point."""
    env = {**os.environ, "LAPSTACK_TELEMETRY_TRACE": "1", **trace}
    return subprocess.Popen([sys.executable, "-m", "commands.cli", "load", "telemetry", str(path)], env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)


def _assert_killed_before_anything_landed(proc: subprocess.Popen) -> None:
    """The killed load left no telemetry row and no load batch behind."""
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert query("select count(*) from raw.telemetry")[0][0] == 0
    assert query("select count(*) from raw.load_batches")[0][0] == 0


def test_parquet_and_csv_in_lapstack_columns(data_dir: Path, duckdb_env: Path, tmp_path: Path) -> None:
    frames = []
    for number in (1, 11):
        tel = pd.read_csv(data_dir / VEGAS / f"{number}_telemetry.csv", index_col=0)
        frames.append(pd.DataFrame({
            "driver": str(number), "sample_time": pd.to_datetime(tel["Date"]), "speed": tel["Speed"].astype(float),
            "rpm": tel["RPM"].astype(float), "gear": tel["nGear"].astype("int32"), "throttle": tel["Throttle"],
            "brake": tel["Brake"].astype(bool), "drs": tel["DRS"].astype("int32")}))
    frame = pd.concat(frames)
    folder = tmp_path / "2023" / "Vegas"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / "race.parquet", row_group_size=20000)
    frame.to_csv(folder / "race_copy.csv", index=False)
    results, errors = load([folder / "race.parquet"])
    assert not errors, errors
    assert results[0].sessions == ["lapstack-2023-vegas-race"]
    assert _raw_counts() == {"1": ROWS_PER_VEGAS_CAR, "11": ROWS_PER_VEGAS_CAR}
    assert query("select sum(speed), sum(gear) from raw.telemetry")[0] == (
        pytest.approx(frame["speed"].sum()), frame["gear"].sum())
    results, errors = load([folder / "race_copy.csv"], replace=True)
    assert not errors, errors
    assert results[0].format == "lapstack_telemetry_csv"
    assert query("select count(*), count(distinct b.source_file), min(b.source_file) from raw.telemetry as t "
                 "join raw.load_batches as b on b.batch_id = t._batch_id")[0] == (
        2 * ROWS_PER_VEGAS_CAR, 1, str((folder / "race_copy.csv").resolve()))


def test_kill_mid_load_leaves_nothing_and_rerun_completes(data_dir: Path, duckdb_env: Path) -> None:
    path = data_dir / VEGAS / "16_telemetry.csv"
    proc = _traced_load(path, LAPSTACK_TELEMETRY_TRACE_DELAY="0.2", LAPSTACK_TELEMETRY_BLOCK_BYTES="65536",
                        LAPSTACK_TELEMETRY_CHUNKED="1")  # the stage path (the direct path: the test below)
    staged = []
    for line in proc.stderr:
        if line.startswith("staged"):
            staged.append(line)
        if len(staged) == 3:
            proc.send_signal(signal.SIGKILL)
            break
    _assert_killed_before_anything_landed(proc)
    leftovers = query("select table_name from information_schema.tables where table_name like '_tstage_%'")
    assert len(leftovers) == 1  # the private stage of the killed load, invisible to every model
    results, errors = load([path])
    assert not errors and results[0].status == "loaded"
    assert query("select count(*) from raw.telemetry")[0][0] == ROWS_PER_VEGAS_CAR
    assert query("select table_name from information_schema.tables where table_name like '_tstage_%'") == []


def test_kill_before_direct_commit_leaves_nothing(data_dir: Path, duckdb_env: Path, tmp_path: Path) -> None:
    """lapstack-format CSV goes straight into raw.telemetry in one transaction: killed before the commit,
    nothing is visible; the re-run loads every row with its line."""
    tel = pd.read_csv(data_dir / VEGAS / "16_telemetry.csv", index_col=0)
    path = tmp_path / "2023" / "Vegas" / "race.csv"
    path.parent.mkdir(parents=True)
    pd.DataFrame({"driver": "16", "sample_time": tel["Date"], "speed": tel["Speed"]}).to_csv(path, index=False)
    proc = _traced_load(path, LAPSTACK_TELEMETRY_TRACE_DELAY="30")
    for line in proc.stderr:
        if line.startswith("inserted"):
            assert line.split()[1] == str(ROWS_PER_VEGAS_CAR)
            proc.send_signal(signal.SIGKILL)
            break
    _assert_killed_before_anything_landed(proc)
    results, errors = load([path])
    assert not errors and results[0].status == "loaded" and results[0].rows == ROWS_PER_VEGAS_CAR
    assert query("select count(*), min(_source_line), max(_source_line), sum(speed) from raw.telemetry")[0] == (
        ROWS_PER_VEGAS_CAR, 2, ROWS_PER_VEGAS_CAR + 1, pytest.approx(tel["Speed"].sum()))


def test_pre_slimming_warehouse_is_migrated_in_place(data_dir: Path, duckdb_env: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """A warehouse whose raw.telemetry still stores file, format and load time per sample: the next load drops
    those columns (their values are each batch's raw.load_batches row), says so once, and loads; the samples
    already there keep their file through the batch row."""
    from core.raw_schema import ensure_raw_schema
    from core.warehouse import connect

    create_pre_slimming_telemetry()
    old = (data_dir / VEGAS / "16_telemetry.csv").resolve()
    wh = connect()
    try:
        ensure_raw_schema(wh)  # an old warehouse: migrated here
        assert capsys.readouterr().err.count("raw.telemetry migrated: dropped the per-sample source_format, "
                                             "_source_file, _loaded_at") == 1
        wh.execute("insert into raw.load_batches values ('old', ?, 'sha', 'fastf1_car_data', 1, 1, "
                   "timestamp '2025-01-01', 'active')", (str(old),))
        wh.execute("insert into raw.telemetry (_session_id, _driver, sample_time, sample_seq, _batch_id, _source_line) "
                   "values ('s-old', 'LEC', timestamp '2023-11-19 06:00:00', 1, 'old', 2)")
    finally:
        wh.close()
    assert "_source_file" not in telemetry_columns() and {"_batch_id", "_source_line"} <= telemetry_columns()
    path = (data_dir / VEGAS / "1_telemetry.csv").resolve()
    results, errors = load([path])
    assert not errors and results[0].rows == ROWS_PER_VEGAS_CAR
    assert "migrated" not in capsys.readouterr().err  # once only
    assert query("select b.source_file, count(*) from raw.telemetry as t join raw.load_batches as b "
                 "on b.batch_id = t._batch_id group by 1 order by 2") == [
        (str(old), 1), (str(path), ROWS_PER_VEGAS_CAR)]
