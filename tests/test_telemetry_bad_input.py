"""Every bad telemetry file is refused with its file, line and column, and nothing is loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import LoadError
from tests.test_telemetry_support import GR_SAMPLE, VEGAS, load, query


def _head(src: Path, n: int) -> list[str]:
    with src.open(encoding="utf-8-sig", newline="") as fh:
        return [next(fh) for _ in range(n)]


def _write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / "2023" / "Las Vegas" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _set_field(lines: list[str], index: int, field: int, value: str) -> None:
    """One comma-separated field of one line overwritten in place (the line keeps its ending)."""
    fields = lines[index].split(",")
    fields[field] = value
    lines[index] = ",".join(fields)


def _refused(path: Path) -> LoadError:
    from core.raw_schema import ensure_raw_schema
    from core.warehouse import connect

    results, errors = load([path])
    wh = connect()
    ensure_raw_schema(wh)
    wh.close()
    assert results == [] and len(errors) == 1, (results, errors)
    assert query("select count(*) from raw.telemetry")[0][0] == 0
    assert query("select count(*) from raw.load_batches")[0][0] == 0
    assert query("select count(*) from information_schema.tables where table_name like '_tstage_%'")[0][0] == 0
    err = errors[0]
    assert err.path == str(path)
    return err


@pytest.fixture
def f1_lines(data_dir: Path) -> list[str]:
    return _head(data_dir / VEGAS / "1_telemetry.csv", 400)


@pytest.fixture
def gr_lines(data_dir: Path) -> list[str]:
    return _head(data_dir / GR_SAMPLE, 400)


def test_unknown_channel(tmp_path: Path, duckdb_env: Path, gr_lines: list[str]) -> None:
    index = next(i for i in range(150, 400) if ",aps," in gr_lines[i])
    gr_lines[index] = gr_lines[index].replace(",aps,", ",warp_drive,")
    err = _refused(_write(tmp_path, "R1_barber_telemetry.csv", gr_lines))
    assert (err.line, err.column) == (index + 1, "9 (telemetry_name)") and "warp_drive" in err.message


def test_unknown_column_in_fastf1_export(tmp_path: Path, duckdb_env: Path, f1_lines: list[str]) -> None:
    f1_lines = [f1_lines[0].rstrip("\n") + ",Boost\n"] + [x.rstrip("\n") + ",1\n" for x in f1_lines[1:]]
    err = _refused(_write(tmp_path, "1_telemetry.csv", f1_lines))
    assert (err.line, err.column) == (1, "12 (Boost)") and "unknown channel" in err.message


def test_non_numeric_value(tmp_path: Path, duckdb_env: Path, f1_lines: list[str]) -> None:
    _set_field(f1_lines, 300, 3, "fast")
    err = _refused(_write(tmp_path, "1_telemetry.csv", f1_lines))
    assert (err.line, err.column) == (301, "4 (Speed)") and "'fast'" in err.message


def test_non_numeric_value_in_long_format(tmp_path: Path, duckdb_env: Path, gr_lines: list[str]) -> None:
    _set_field(gr_lines, 77, 9, "n/a")
    err = _refused(_write(tmp_path, "R1_barber_telemetry.csv", gr_lines))
    assert (err.line, err.column) == (78, "10 (telemetry_value)")


def test_timestamps_going_backwards(tmp_path: Path, duckdb_env: Path, f1_lines: list[str]) -> None:
    f1_lines[200], f1_lines[201] = f1_lines[201], f1_lines[200]
    err = _refused(_write(tmp_path, "1_telemetry.csv", f1_lines))
    assert err.line == 202 and "backwards" in err.message and "line 201" in err.message


def test_duplicate_sample(tmp_path: Path, duckdb_env: Path, f1_lines: list[str]) -> None:
    f1_lines.insert(101, f1_lines[100])
    err = _refused(_write(tmp_path, "1_telemetry.csv", f1_lines))
    assert err.line == 102 and "duplicate sample" in err.message and "line 101" in err.message


def test_empty_file(tmp_path: Path, duckdb_env: Path) -> None:
    err = _refused(_write(tmp_path, "1_telemetry.csv", []))
    assert (err.line, err.column) == (1, 1) and "empty" in err.message


def test_truncated_last_line(tmp_path: Path, duckdb_env: Path, f1_lines: list[str]) -> None:
    f1_lines[-1] = f1_lines[-1][:25]
    err = _refused(_write(tmp_path, "1_telemetry.csv", f1_lines))
    assert err.line == 400 and "truncated" in err.message


def test_wrong_delimiter(tmp_path: Path, duckdb_env: Path, f1_lines: list[str]) -> None:
    err = _refused(_write(tmp_path, "1_telemetry.csv", [x.replace(",", ";") for x in f1_lines]))
    assert (err.line, err.column) == (1, 1) and "wrong delimiter" in err.message


def test_cli_exit_code_and_message(tmp_path: Path, duckdb_env: Path, f1_lines: list[str],
                                   capsys: pytest.CaptureFixture) -> None:
    from commands.cli import main

    f1_lines[10] = f1_lines[10].replace("False", "maybe")
    path = _write(tmp_path, "1_telemetry.csv", f1_lines)
    assert main(["load", "telemetry", str(path)]) == 1
    assert f"{path}:11:7 (Brake): not a boolean" in capsys.readouterr().err


@pytest.fixture
def canonical_lines(f1_lines: list[str]) -> list[str]:
    """The real car 1 rows in lapstack columns: this format loads through DuckDB's reader directly."""
    out = ["driver,sample_time,speed,gear,brake\n"]
    for line in f1_lines[1:]:
        f = line.rstrip("\n").split(",")
        out.append(f"1,{f[1]},{f[3]},{f[4]},{f[6]}\n")
    return out


@pytest.mark.parametrize(("line", "edit", "column", "what"), [
    (150, lambda f: [f[0], f[1], "fast", f[3], f[4]], "3 (speed)", "not a number"),
    (220, lambda f: [f[0], f[1], f[2], "3.5", f[4]], "4 (gear)", "3.5"),
    (300, lambda f: [f[0], f[1]], None, "truncated"),
])
def test_direct_duckdb_path_names_line_and_column(tmp_path: Path, duckdb_env: Path, canonical_lines: list[str],
                                                   line: int, edit, column: str | None, what: str) -> None:
    lines = list(canonical_lines)
    lines[line - 1] = ",".join(edit(lines[line - 1].rstrip("\n").split(","))) + "\n"
    err = _refused(_write(tmp_path, "race.csv", lines))
    assert err.line == line and what in err.message
    assert column is None or err.column == column


def test_direct_duckdb_path_refuses_time_going_backwards(tmp_path: Path, duckdb_env: Path,
                                                         canonical_lines: list[str]) -> None:
    lines = list(canonical_lines)
    lines[201], lines[200] = lines[200], lines[201]
    err = _refused(_write(tmp_path, "race.csv", lines))
    assert err.line == 202 and "backwards" in err.message and "line 201" in err.message


def test_direct_parquet_path_refuses_time_going_backwards(tmp_path: Path, duckdb_env: Path,
                                                          canonical_lines: list[str]) -> None:
    """Parquet's order is checked from the file (not by sorting the batch): rows 200 and 201 swapped are refused
    with the row number, nothing loaded; the same rows in order load through the direct path."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    table = pacsv.read_csv(_write(tmp_path, "race.csv", canonical_lines),
                           convert_options=pacsv.ConvertOptions(column_types={"driver": pa.string()}))
    order = list(range(table.num_rows))
    order[199], order[200] = order[200], order[199]
    path = tmp_path / "2023" / "Las Vegas" / "race.parquet"
    pq.write_table(table.take(order), path)
    err = _refused(path)
    assert err.line == 201 and "backwards" in err.message and "line 200" in err.message
    pq.write_table(table, path)
    results, errors = load([path])
    assert not errors and results[0].rows == len(canonical_lines) - 1 == 399
