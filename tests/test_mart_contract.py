"""The marts describe themselves to BI tools, in the warehouse itself (issue 16).

On a real build (GR Cup Barber Race 1, the 2023 Las Vegas GP with two cars' telemetry) every mart and every
mart column carries its yml description as a comment (DuckDB `duckdb_columns()`, Postgres `col_description`),
every column has a declared `data_type` and a type BI drivers read (no HUGEINT, no numeric), every time holds
at most 3 decimals, a select that drifts from its contract fails the build, and `dbt source freshness`
reports every raw table with the load times the raw rows carry. The marts are found in the manifest, so
marts added later are covered without touching this file.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from commands.cli import main
from core.dbt_runner import DBT_PROJECT_DIR, dbt_env, dbt_executable, profiles_dir, run_dbt
from core.registry import REGISTRY
from core.warehouse import connect
from tests.conftest import dbt

BARBER = Path("gr_cup") / "barber" / "23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
VEGAS = Path("f1_2023_fastf1") / "21_Las Vegas"
CARS = ("1_telemetry.csv", "14_telemetry.csv")  # car 14: the real nGear glitch, so the glitch counts are not all 0

# The README's unit rule: a time is seconds with no unit in its name, and these names say it is one.
TIME_NAME = re.compile(r"(_time$|^gap_|^interval_|^time_lost$|consistency$|_pace$|_duration$|_s$)")
# Types a BI driver reads on each target (information-schema spellings).
BI_TYPES = {
    "duckdb": {"VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "BOOLEAN", "DATE", "TIMESTAMP"},
    "postgres": {"text", "integer", "bigint", "double precision", "boolean", "date", "timestamp without time zone"},
}
COLUMNS_SQL = {
    "duckdb": "select table_name, column_name, data_type, coalesce(comment, '') from duckdb_columns() "
              "where schema_name = 'marts'",
    "postgres": "select c.table_name, c.column_name, c.data_type, "
                "coalesce(col_description((quote_ident(c.table_schema) || '.' || "
                "quote_ident(c.table_name))::regclass, c.ordinal_position), '') "
                "from information_schema.columns as c where c.table_schema = 'marts'",
}
TABLES_SQL = {
    "duckdb": "select table_name, coalesce(comment, '') from duckdb_tables() where schema_name = 'marts'",
    "postgres": "select c.relname, coalesce(obj_description(c.oid, 'pg_class'), '') from pg_class as c "
                "join pg_namespace as n on n.oid = c.relnamespace where n.nspname = 'marts' and c.relkind = 'r'",
}


def _load_and_build(data_dir: Path) -> dict:
    """Load the real sessions, build every model, and return the manifest's marts (name -> node)."""
    assert main(["load", "laps", str(data_dir / BARBER), str(data_dir / VEGAS / "laps.csv")]) == 0
    assert main(["load", "telemetry", *(str(data_dir / VEGAS / car) for car in CARS)]) == 0
    dbt("run")
    manifest = json.loads((Path(os.environ["DBT_TARGET_PATH"]) / "manifest.json").read_text())
    marts = {n["name"]: n for n in manifest["nodes"].values()
             if n["resource_type"] == "model" and n["original_file_path"].startswith("models/marts/")}
    assert len(marts) >= 22, sorted(marts)
    return marts


def _assert_self_describing(kind: str, marts: dict) -> None:
    """Comments equal the yml descriptions, every column is declared with a type BI drivers read."""
    wh = connect()
    try:
        columns = wh.query(COLUMNS_SQL[kind])
        tables = dict(wh.query(TABLES_SQL[kind]))
    finally:
        wh.close()
    assert set(tables) == set(marts)
    problems = []
    for name, node in marts.items():
        if tables[name] != node["description"] or not node["description"].strip():
            problems.append(f"{name}: relation comment {tables[name][:40]!r}")
        if not node["config"]["contract"]["enforced"]:
            problems.append(f"{name}: contract not enforced")
    seen = set()
    for table, column, data_type, comment in columns:
        seen.add((table, column))
        declared = marts[table]["columns"].get(column)
        if declared is None:
            problems.append(f"{table}.{column}: not in the yml")
            continue
        if not declared["description"].strip() or comment != declared["description"]:
            problems.append(f"{table}.{column}: comment {comment[:40]!r} != {declared['description'][:40]!r}")
        if not declared.get("data_type"):
            problems.append(f"{table}.{column}: no data_type")
        if data_type not in BI_TYPES[kind]:
            problems.append(f"{table}.{column}: {data_type}")
        if "{{" in declared["description"] or "{%" in declared["description"]:
            problems.append(f"{table}.{column}: Jinja in the description")
    declared_columns = {(t, c) for t, n in marts.items() for c in n["columns"]}
    problems += [f"{t}.{c}: declared, not built" for t, c in sorted(declared_columns - seen)]
    assert not problems, "\n".join(problems)
    assert len(seen) >= 380


def _assert_times_to_the_millisecond(kind: str, marts: dict) -> None:
    """No time with more than 3 decimals; the check sees real values (these marts have rows)."""
    checked: dict[str, int] = {}
    wh = connect()
    try:
        for name, node in marts.items():
            for column, spec in node["columns"].items():
                if spec.get("data_type") != "double precision" or not TIME_NAME.search(column):
                    continue
                # x * 1000 is within float noise of a whole number exactly when x has <= 3 decimals
                values, noisy = wh.query(
                    f'select count("{column}"), count(case when abs("{column}" * 1000 - round("{column}" * 1000))'
                    f' > 1e-6 then 1 end) from marts."{name}"')[0]
                assert noisy == 0, f"{kind} {name}.{column}: {noisy} of {values} values with more than 3 decimals"
                checked[f"{name}.{column}"] = values
    finally:
        wh.close()
    for column in ("session_driver_stats.avg_lap_time", "session_driver_stats.consistency",
                   "session_lap_highlights.gap_to_fastest", "lap_positions.interval_to_ahead",
                   "pit_stops.time_lost", "lap_telemetry_summary.telemetry_span_time"):
        assert checked[column] > 0, f"{column} has no values: the check saw nothing"


def test_duckdb_marts_carry_comments_types_contract_and_freshness(data_dir: Path, duckdb_env: Path,
                                                                  tmp_path: Path) -> None:
    marts = _load_and_build(data_dir)
    _assert_self_describing("duckdb", marts)
    _assert_times_to_the_millisecond("duckdb", marts)
    _assert_event_names(data_dir)
    _assert_contract_fails_on_drift(tmp_path)
    _assert_source_freshness()


def test_postgres_marts_carry_comments_and_types(data_dir: Path, postgres_env: str) -> None:
    marts = _load_and_build(data_dir)
    _assert_self_describing("postgres", marts)
    _assert_times_to_the_millisecond("postgres", marts)


def _assert_event_names(data_dir: Path) -> None:
    """event_name from the event key: FastF1's own EventName as race_info.csv has it, a GR Cup slug in words."""
    with open(data_dir / VEGAS / "race_info.csv", newline="") as f:
        event_name = dict(row for row in csv.reader(f) if len(row) == 2)["EventName"]
    wh = connect()
    try:
        rows = dict(wh.query("select event, event_name from marts.dim_sessions"))
        summary = dict(wh.query("select event, event_name from marts.session_summary"))
    finally:
        wh.close()
    assert rows == summary == {"barber": "Barber", event_name: "Las Vegas Grand Prix"}


def _assert_contract_fails_on_drift(tmp_path: Path) -> None:
    """A copy of the project whose session_summary returns total_laps as a double: dbt refuses to build it."""
    project = tmp_path / "drifted_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    model = project / "models" / "marts" / "sessions" / "session_summary.sql"
    text = model.read_text()
    assert text.count("    t.total_laps,\n") == 1
    model.write_text(text.replace("    t.total_laps,\n", "    t.total_laps * 1.0 as total_laps,\n"))
    result = subprocess.run(
        [dbt_executable(), "run", "-s", "session_summary", "--project-dir", str(project),
         "--profiles-dir", str(profiles_dir()), "--target-path", str(tmp_path / "drift_target")],
        env=dbt_env(None), capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "enforced contract that failed" in result.stdout, result.stdout[-3000:]
    assert re.search(r"total_laps\s*\|\s*DECIMAL\(\d+,\d+\)\s*\|\s*BIGINT\s*\|\s*data type mismatch", result.stdout), \
        result.stdout[-3000:]
    wh = connect()
    try:  # the mart BI users read is still the one the real project built
        assert wh.query("select count(*) from marts.session_summary")[0][0] == 2
    finally:
        wh.close()


def _assert_source_freshness() -> None:
    """Every registered raw table is reported; loaded ones pass with the newest `_loaded_at` of their rows (telemetry:
    of its active batches in raw.load_batches, its `loaded_at_query`)."""
    result = run_dbt(["source", "freshness"], capture=True)
    assert result.returncode == 1  # never-loaded tables (Ergast, FastF1 API here) are reported as errors
    results = json.loads((Path(os.environ["DBT_TARGET_PATH"]) / "sources.json").read_text())["results"]
    by_table = {r["unique_id"].rsplit(".", 1)[1]: r for r in results}
    assert set(by_table) == {s.table for s in REGISTRY}
    wh = connect()
    try:
        for table in ("gr_cup_laps", "fastf1_laps", "telemetry", "sessions", "load_batches"):
            column = {"sessions": "updated_at", "load_batches": "loaded_at"}.get(table, "_loaded_at")
            newest = wh.query(f"select max({column}) from raw.{table}")[0][0] if table != "telemetry" else wh.query(
                "select max(b.loaded_at) from raw.load_batches as b where b.batch_id in "
                "(select _batch_id from raw.telemetry)")[0][0]
            assert by_table[table]["status"] == "pass", by_table[table]
            assert by_table[table]["max_loaded_at"][:19] == newest.isoformat()[:19]
        assert wh.query("select count(*) from raw.ergast_lap_times")[0][0] == 0
    finally:
        wh.close()
    assert by_table["ergast_lap_times"]["status"] == "error"
    assert by_table["gr_cup_laps"]["criteria"]["warn_after"] == {"count": 4, "period": "day"}
    assert by_table["gr_cup_laps"]["criteria"]["error_after"] == {"count": 8, "period": "day"}
