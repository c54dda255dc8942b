"""Real telemetry on Postgres (stage through COPY) and the Snowflake emulator (stage + PUT + COPY INTO).

Las Vegas 2023 car 1 (VER), loaded BEFORE the session's laps, then laps.csv: row count, per-line values and
lap numbers must equal the source file read by pandas (lap numbers by interval lookup in pandas), so the
load path and the before-laps re-assignment are both checked on each target.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.snowflake_emulator import start_fakesnow
from tests.test_telemetry_support import (
    ROWS_PER_VEGAS_CAR,
    VEGAS,
    create_pre_slimming_telemetry,
    load,
    load_laps,
    query_df,
    telemetry_columns,
    vegas_car,
    vegas_laps,
)

_SQL = ("select _driver, _source_line, speed, rpm, gear, throttle, brake, drs, session_time, lap_number "
        "from raw.telemetry order by _source_line")


def _check_car_before_laps(data_dir: Path) -> None:
    car = data_dir / VEGAS / "1_telemetry.csv"
    results, errors = load([car])
    assert not errors, errors
    assert results[0].rows == ROWS_PER_VEGAS_CAR and results[0].drivers == ["1"]
    load_laps(data_dir / VEGAS / "laps.csv")
    got = query_df(_SQL)
    got.columns = [c.lower() for c in got.columns]
    ref = vegas_car(data_dir, 1, vegas_laps(data_dir))  # pandas: the file and laps.csv only
    assert len(got) == len(ref) == ROWS_PER_VEGAS_CAR
    assert set(got["_driver"]) == {"VER"}
    assert got["_source_line"].tolist() == list(range(2, ROWS_PER_VEGAS_CAR + 2))
    lineage = query_df("select b.source_file, b.format, count(*) as n from raw.telemetry as t join raw.load_batches "
                       "as b on b.batch_id = t._batch_id group by 1, 2")  # what staging joins back on
    lineage.columns = [c.lower() for c in lineage.columns]
    assert lineage.values.tolist() == [[str(car.resolve()), "fastf1_car_data", ROWS_PER_VEGAS_CAR]]
    for col, src in (("speed", "Speed"), ("rpm", "RPM"), ("gear", "nGear"), ("throttle", "Throttle"),
                     ("drs", "DRS")):
        assert got[col].astype(float).tolist() == ref[src].astype(float).tolist(), col
    assert got["brake"].astype(bool).tolist() == ref["Brake"].astype(bool).tolist()
    session = pd.to_timedelta(ref["SessionTime"]).dt.total_seconds()
    assert (got["session_time"].astype(float) - session).abs().max() < 1e-6
    laps = got["lap_number"].astype("Int64")
    assert laps.notna().sum() == ref["lap"].notna().sum() > 20000
    assert (laps.fillna(-1).to_numpy() == ref["lap"].fillna(-1).to_numpy()).all()


@pytest.mark.postgres
def test_postgres_copy_real_car_before_laps(postgres_env: str, data_dir: Path) -> None:
    """On a warehouse from before the lineage slimming (a view depends on the old columns): migrated, then loaded."""
    create_pre_slimming_telemetry()
    _check_car_before_laps(data_dir)
    assert not {"_source_file", "source_format", "_loaded_at"} & telemetry_columns()


@pytest.fixture(scope="module")
def fakesnow_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    yield from start_fakesnow(tmp_path_factory.mktemp("fakesnow_telem") / "fakesnow.log")


@pytest.mark.snowflake
@pytest.mark.timeout(240)  # the connector retries an HTTP 500 forever
def test_snowflake_stage_copy_real_car_before_laps(fakesnow_port: int, data_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAPSTACK_TARGET", "fakesnow")
    monkeypatch.setenv("FAKESNOW_PORT", str(fakesnow_port))
    monkeypatch.setenv("SNOWFLAKE_DATABASE", f"TELEM_{uuid.uuid4().hex[:8].upper()}")
    _check_car_before_laps(data_dir)
