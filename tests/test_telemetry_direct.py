"""DuckDB's own readers (the direct path) land exactly what the chunked pyarrow path lands, row for row.

Real files: Las Vegas 2023 car 1 (FastF1 car_data, after its laps: driver code and lap numbers), the GR Cup
Barber sample (long format, after its ECU lap events: sample_seq, clock alignment, laps) and the same car
as lapstack Parquet and CSV. Each is loaded twice into its own warehouse, once with
LAPSTACK_TELEMETRY_CHUNKED=1; every raw.telemetry column but the batch id and load time must be equal.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.test_telemetry_support import (
    GR_SAMPLE,
    ROWS_PER_VEGAS_CAR,
    VEGAS,
    gr_pivot_reference,
    load,
    load_laps,
    query_df,
)

_KEY = ["_driver", "_source_line", "sample_seq"]


def _no_stage(*args, **kwargs):
    raise AssertionError("the direct path fell back to the chunked path")


def _landed(monkeypatch: pytest.MonkeyPatch, db: Path, chunked: bool, before, files: list[Path]) -> pd.DataFrame:
    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(db))
    monkeypatch.setenv("LAPSTACK_TELEMETRY_CHUNKED", "1" if chunked else "0")
    if not chunked:  # a silent fall-back to the chunked path would make the comparison vacuous
        monkeypatch.setattr("loaders.telemetry.load.Stage", _no_stage)
    before()
    results, errors = load(files)
    assert not errors, errors
    frame = query_df("select * exclude (_batch_id) from raw.telemetry")
    assert query_df("select count(*) as n from information_schema.tables where table_name like '_tstage_%'")[
        "n"].iloc[0] == 0
    return frame.sort_values(_KEY).reset_index(drop=True)


def _same(monkeypatch, tmp_path: Path, name: str, before, files: list[Path]) -> pd.DataFrame:
    """Chunked first: the direct run patches the stage away."""
    chunked = _landed(monkeypatch, tmp_path / f"{name}_chunked.duckdb", True, before, files)
    direct = _landed(monkeypatch, tmp_path / f"{name}_direct.duckdb", False, before, files)
    pd.testing.assert_frame_equal(direct, chunked, check_dtype=False)
    return direct


def _vegas_frame(data_dir: Path, number: int) -> pd.DataFrame:
    tel = pd.read_csv(data_dir / VEGAS / f"{number}_telemetry.csv", index_col=0)
    return pd.DataFrame({
        "driver": str(number), "sample_time": pd.to_datetime(tel["Date"]), "speed": tel["Speed"].astype(float),
        "rpm": tel["RPM"].astype(float), "gear": tel["nGear"].astype("int32"), "throttle": tel["Throttle"],
        "brake": tel["Brake"].astype(bool), "drs": tel["DRS"].astype("int32")})


def test_fastf1_car_data_direct_equals_chunked(data_dir: Path, duckdb_env: Path, monkeypatch, tmp_path) -> None:
    car = data_dir / VEGAS / "14_telemetry.csv"  # ALO: real nGear glitches above 8
    got = _same(monkeypatch, tmp_path, "f1", lambda: load_laps(data_dir / VEGAS / "laps.csv"), [car])
    src = pd.read_csv(car, index_col=0)
    assert len(got) == len(src) == ROWS_PER_VEGAS_CAR and set(got["_driver"]) == {"ALO"}
    assert got["lap_number"].notna().sum() > 20000 and got["gear"].max() == src["nGear"].max() > 8
    assert got["session_time"].iloc[0] == pytest.approx(pd.to_timedelta(src["SessionTime"].iloc[0]).total_seconds())


def test_gr_cup_long_direct_equals_chunked(data_dir: Path, duckdb_env: Path, monkeypatch, tmp_path) -> None:
    barber = data_dir / "gr_cup" / "barber"
    events = [barber / f"R1_barber_lap_{k}.csv" for k in ("start", "end", "time")]
    got = _same(monkeypatch, tmp_path, "gr", lambda: None, events + [data_dir / GR_SAMPLE])
    assert len(got) == 1042 and got["lap_number"].notna().any()
    assert got["sample_seq"].max() == gr_pivot_reference(data_dir)["seq"].max()
    assert (got["sample_time"] != got["ecu_time"]).all()  # aligned to the ingest clock


def test_lapstack_parquet_and_csv_direct_equal_chunked(data_dir: Path, duckdb_env: Path, monkeypatch,
                                                       tmp_path: Path) -> None:
    frame = pd.concat([_vegas_frame(data_dir, 1), _vegas_frame(data_dir, 11)])
    folder = tmp_path / "2023" / "Vegas"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), folder / "race.parquet", row_group_size=20000)
    frame.to_csv(folder / "qualifying.csv", index=False)
    got = _same(monkeypatch, tmp_path, "pq", lambda: None, [folder / "race.parquet", folder / "qualifying.csv"])
    assert len(got) == 4 * ROWS_PER_VEGAS_CAR
    assert got["speed"].sum() == pytest.approx(2 * frame["speed"].sum())


def test_direct_source_lines_are_the_file_lines(data_dir: Path, duckdb_env: Path, monkeypatch) -> None:
    """`_source_line` on the direct path is the physical line each sample came from, checked against an
    independent read of the real files with Python's csv module (its line_num after each record)."""
    import csv
    import datetime as dt

    monkeypatch.setenv("LAPSTACK_TELEMETRY_CHUNKED", "0")
    monkeypatch.setattr("loaders.telemetry.load.Stage", _no_stage)
    car, gr = data_dir / VEGAS / "1_telemetry.csv", data_dir / GR_SAMPLE
    results, errors = load([car, gr])
    assert not errors, errors
    with car.open(newline="") as fh:
        reader = csv.DictReader(fh)
        by_line = {}
        for row in reader:
            by_line[reader.line_num] = row
    got = query_df("select _source_line, sample_time, speed from raw.telemetry where _batch_id in "
                   "(select batch_id from raw.load_batches where format = 'fastf1_car_data')")
    assert len(got) == len(by_line) == ROWS_PER_VEGAS_CAR
    for line, when, speed in got.itertuples(index=False):
        row = by_line[line]
        assert pd.Timestamp(row["Date"]) == when and float(row["Speed"]) == speed, (line, row)
    # long format: a sample is one (car, timestamp, n-th repeat of a channel); its line is its first value's
    with gr.open(newline="") as fh:
        reader = csv.DictReader(fh)
        seen: dict[tuple[str, str, str], int] = {}
        first: dict[tuple[str, str, int], int] = {}
        for row in reader:
            key = (row["vehicle_id"], row["timestamp"], row["telemetry_name"])
            seen[key] = seen.get(key, 0) + 1
            first.setdefault((row["vehicle_id"], row["timestamp"], seen[key]), reader.line_num)
    got = query_df("select _source_line, ecu_time, sample_seq from raw.telemetry where _batch_id in "
                   "(select batch_id from raw.load_batches where format = 'gr_cup_telemetry')")
    want = sorted((line, dt.datetime.fromisoformat(ts.replace("Z", "+00:00")).replace(tzinfo=None), seq)
                  for (_, ts, seq), line in first.items())
    assert len(want) == 1042
    assert sorted(zip(got["_source_line"], got["ecu_time"], got["sample_seq"], strict=True)) == want
