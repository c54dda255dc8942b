"""The bad-input corpus (tests/bad_input/corpus.py), run in-process through `lapstack load laps|telemetry`.

Each case passes its bad file(s) and then one good file in the same command, and asserts: the exit code,
every error line (`file:line:column: message`) and skipped path exactly, no traceback, the warehouse's
row counts before and after (the bad file adds nothing, the good file all its rows), no stage table left.
The outcome table by kind is printed at the end (`-s` shows it; it is also written to the tmp folder).
"""

from __future__ import annotations

import collections
import os
from pathlib import Path

import pytest

from commands.cli import main
from core.warehouse import connect
from tests.bad_input.corpus import F1, VEGAS1, Case, build

TABLES = ("gr_cup_laps", "fastf1_laps", "ergast_lap_times", "lapstack_laps", "sessions", "load_batches",
          "telemetry", "gr_cup_lap_events")
GOOD_LAPS = 20
GOOD_SAMPLES = 200
OUTCOMES: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
PG_SUBSET = ("lap_gr_cup_int32_overflow", "lap_lapstack_jsonl_nan", "time_ergast_lap_times_1e400",
             "csv_fastf1_laps_long_field", "csv_gr_cup_stray_quote", "enc_gr_cup_utf16le_bom", "enc_fastf1_laps_gzip",
             "sidecar_race_info_latin1", "sidecar_drivers_latin1", "folder_skips_only", "tel_fastf1_Speed_0",
             "tel_canonical_speed_0", "tel_parquet_nan", "tel_dev_zero", "tel_events_lap_overflow")


def _data() -> Path:
    path = Path(os.environ.get("LAPSTACK_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
    return path


_ROOT: Path | None = None
_CASES: list[Case] = []


def _cases() -> list[Case]:
    """Generated once per process from the real files (ids are needed at collection time)."""
    global _ROOT
    if not _CASES and (_data() / "gr_cup").is_dir():
        import tempfile

        _ROOT = Path(tempfile.mkdtemp(prefix="lapstack_bad_input_"))
        _CASES.extend(build(_data(), _ROOT))
    return _CASES


def _ids() -> list[str]:
    return [c.id for c in _cases()] or ["no-data"]


@pytest.fixture(scope="module")
def corpus(data_dir: Path) -> dict[str, Case]:
    cases = _cases()
    assert len(cases) >= 150, len(cases)
    return {c.id: c for c in cases}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One DuckDB warehouse for the whole corpus: every case adds exactly its good file to it."""
    tmp = tmp_path_factory.mktemp("corpus_wh")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LAPSTACK_TARGET", "duckdb")
        mp.setenv("LAPSTACK_DUCKDB_PATH", str(tmp / "lapstack.duckdb"))
        mp.setenv("DBT_TARGET_PATH", str(tmp / "dbt_target"))
        _ensure_schema()
        yield tmp


def _good_laps(data: Path, folder: Path, tag: str) -> Path:
    """Real Sakhir laps in the lapstack format, a session of their own (event `Good <tag>`)."""
    from loaders.laps.timeparse import timedelta_to_seconds

    lines = (data / F1 / "laps.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    out = ["series,season,event,session_name,driver,lap_number,lap_time"]
    for line in lines[1:]:
        v = dict(zip(header, line.split(","), strict=False))
        if v["LapTime"] and len(out) <= GOOD_LAPS:
            out.append(f"test,2023,Good {tag},Race,{v['Driver']},{int(float(v['LapNumber']))},"
                       f"{timedelta_to_seconds(v['LapTime']):.3f}")
    path = folder / "good" / tag / "good_laps.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def _good_telemetry(data: Path, folder: Path, tag: str) -> Path:
    """Real Las Vegas car 1 samples in lapstack telemetry columns, under a driver of their own."""
    lines = (data / VEGAS1).read_text(encoding="utf-8").splitlines()[1:GOOD_SAMPLES + 1]
    out = ["driver,sample_time,speed,gear"]
    for line in lines:
        f = line.split(",")
        out.append(f"good_{tag},{f[1]},{f[3]},{f[4]}")
    path = folder / "good" / tag / "2023" / "Las Vegas" / "race.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


COUNTS_SQL = (" union all ".join(f"select '{t}', count(*) from raw.{t}" for t in TABLES)
              + " union all select '_stage_tables', count(*) from information_schema.tables "
                "where left(table_name, 8) = '_tstage_'")


def _counts() -> dict[str, int]:
    """Row counts of every raw table the loaders write, and leftover stage tables, in one query."""
    if os.environ.get("LAPSTACK_TARGET") == "duckdb":  # the file directly: cheaper than a profile lookup
        import duckdb

        con = duckdb.connect(os.environ["LAPSTACK_DUCKDB_PATH"])
        try:
            return dict(con.execute(COUNTS_SQL).fetchall())
        finally:
            con.close()
    wh = connect()
    try:
        return dict(wh.query(COUNTS_SQL))
    finally:
        wh.close()


def _ensure_schema() -> None:
    from core.raw_schema import ensure_raw_schema

    wh = connect()
    try:
        ensure_raw_schema(wh)
    finally:
        wh.close()


def run_case(case: Case, data: Path, folder: Path, capsys: pytest.CaptureFixture,
             monkeypatch: pytest.MonkeyPatch) -> str:
    from loaders import filecheck

    for name, value in case.patch.items():
        monkeypatch.setattr(filecheck, name, value)
    good = (_good_laps if case.command == "laps" else _good_telemetry)(data, folder, case.id)
    before = _counts()
    if case.setup:
        case.setup()
    capsys.readouterr()
    code = main(["load", case.command, *map(str, case.paths), str(good)])
    out, err = capsys.readouterr()
    after = _counts()

    assert "Traceback" not in err and "unexpected error" not in err, err
    errors = [x for x in err.splitlines() if x.startswith("lapstack: error: ")]
    assert len(errors) == len(case.errors), (errors, case.errors)
    for expect in case.errors:
        prefix = "lapstack: error: " + expect.prefix()
        hits = [x for x in errors if x.startswith(prefix) and expect.fragment in x[len(prefix):]]
        assert hits, f"expected {prefix}...{expect.fragment}... in {errors}"
    assert code == case.exit_code, (code, err)

    skipped = [x[len("skipped   "):] for x in out.splitlines() if x.startswith("skipped   ")]
    assert len(skipped) == len(case.skipped), (skipped, case.skipped)
    for path, fragment in case.skipped:
        assert any(x.startswith(f"{path}: ") and fragment in x for x in skipped), (path, fragment, skipped)
    assert any(x.startswith("loaded") and f" {good}  [" in x for x in out.splitlines()), out

    good_rows = {"lapstack_laps": GOOD_LAPS, "sessions": 1} if case.command == "laps" else {"telemetry": GOOD_SAMPLES}
    expected = {t: before[t] + good_rows.get(t, 0) + case.rows.get(t, 0) for t in TABLES}
    expected["load_batches"] = before["load_batches"] + 1 + case.batches
    expected["_stage_tables"] = 0
    assert after == expected, {t: (before[t], after[t], expected[t]) for t in after if after[t] != expected[t]}
    if case.rows:
        return "loaded (real quirk)"
    if case.errors:
        return "error, positioned" if all(e.line is not None for e in case.errors) else "error, file-level"
    return "skipped, reported"


@pytest.mark.parametrize("case_id", _ids())
def test_bad_input_case(case_id: str, corpus: dict[str, Case], warehouse: Path, data_dir: Path,
                        capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    case = corpus[case_id]
    outcome = run_case(case, data_dir, warehouse, capsys, monkeypatch)
    OUTCOMES[case.kind][outcome] += 1


@pytest.mark.postgres
def test_bad_input_subset_on_postgres(corpus: dict[str, Case], data_dir: Path, postgres_env: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    _ensure_schema()
    for case_id in PG_SUBSET:
        with monkeypatch.context() as mp:
            run_case(corpus[case_id], data_dir, tmp_path, capsys, mp)


def test_zz_outcome_table(corpus: dict[str, Case], tmp_path_factory: pytest.TempPathFactory,
                          capsys: pytest.CaptureFixture) -> None:
    """The closing table: cases by kind and outcome (0 tracebacks, 0 half-loads: each case asserts it)."""
    outcomes = sorted({o for c in OUTCOMES.values() for o in c})
    width = max(len(k) for k in OUTCOMES) if OUTCOMES else 10
    lines = [f"{'kind':{width}}  cases  " + "  ".join(outcomes)]
    for kind in sorted(OUTCOMES):
        row = OUTCOMES[kind]
        lines.append(f"{kind:{width}}  {sum(row.values()):5}  "
                     + "  ".join(f"{row.get(o, 0):{len(o)}}" for o in outcomes))
    total = sum(sum(c.values()) for c in OUTCOMES.values())
    lines.append(f"{'total':{width}}  {total:5}  (of {len(corpus)} generated; tracebacks 0, half-loads 0, "
                 f"good files loaded {total}/{total})")
    table = "\n".join(lines)
    (tmp_path_factory.getbasetemp() / "bad_input_outcomes.txt").write_text(table + "\n")
    with capsys.disabled():
        print("\n" + table)
