"""The registry is the one list of raw sources: every part derived from it must exist for every entry.

A registered source without its dbt source, staging model, quality suite, oracle converter or Dagster
asset fails here, so the drift that once let the API laps skip the critical checks cannot recur.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from core.registry import LAPS, OFFICIAL, REGISTRY, Signature, lap_sources
from core.settings import DBT_PROJECT_DIR

MODELS = DBT_PROJECT_DIR / "models"


def _dbt_sources() -> dict[str, set[str]]:
    """dbt source name -> its table names, from every sources yml under models/."""
    found: dict[str, set[str]] = {}
    for path in MODELS.rglob("*.yml"):
        doc = yaml.safe_load(path.read_text()) or {}
        for source in doc.get("sources", []) or []:
            found.setdefault(source["name"], set()).update(t["name"] for t in source.get("tables", []))
    return found


def _model_files() -> dict[str, Path]:
    return {p.stem: p for p in MODELS.rglob("*.sql")}


def _documented_models() -> set[str]:
    names: set[str] = set()
    for path in MODELS.rglob("*.yml"):
        doc = yaml.safe_load(path.read_text()) or {}
        names.update(m["name"] for m in doc.get("models", []) or [])
    return names


@pytest.mark.parametrize("source", list(REGISTRY), ids=lambda s: s.table)
def test_every_source_has_its_derived_parts(source):
    sources = _dbt_sources()
    assert source.table in sources.get(source.dbt_source, set()), (
        f"raw.{source.table}: no table `{source.table}` in dbt source `{source.dbt_source}`")
    models = _model_files()
    documented = _documented_models()
    for model in source.staging_models:
        assert model in models, f"raw.{source.table}: staging model {model}.sql is missing"
        assert "/staging/" in models[model].as_posix(), f"{model} must live under models/staging/"
        assert model in documented, f"{model} has no entry in a _<source>__models.yml"
    # Each staging model calls `source()` on the table, not just names it: a mention in a comment or string
    # reads nothing, and dbt would draw no lineage edge from the raw table.
    calls_source = re.compile(rf"source\(\s*['\"]{source.dbt_source}['\"]\s*,\s*['\"]{source.table}['\"]\s*\)")
    for model in source.staging_models:
        assert calls_source.search(models[model].read_text()), (
            f"{model} never calls source('{source.dbt_source}', '{source.table}')")

    from expectations.suites import ALL_SUITES

    suites = {s.name: s for s in ALL_SUITES}
    for name in source.suites:
        assert name in suites, f"raw.{source.table}: quality suite {name} does not exist"
        spec = suites[name]
        reads = {spec.table, *spec.requires}
        query = spec.sql()
        assert source.qualified in reads or source.qualified in query or f"'{source.table}'" in query, (
            f"suite {name} is listed for raw.{source.table} but never reads it")
    if source.family == LAPS:
        assert source.oracle, f"raw.{source.table}: every lap table needs an oracle converter"
        assert f"raw__{source.table}" in source.suites and "layers__lap_row_counts" in source.suites
    if source.oracle:
        from tests.oracle.canonical import CONVERTERS

        assert source.table in CONVERTERS, f"raw.{source.table}: tests/oracle has no converter"


def test_lap_sources_reach_the_union_and_the_session_index():
    union = _model_files()["int_laps__unioned"].read_text()
    for source in lap_sources():
        for model in source.staging_models:
            assert f"ref('{model}')" in union, f"{model} is not unioned into int_laps__unioned"
    from core.raw_schema import LAP_TABLES
    from expectations.suites.laps import SOURCE_FORMATS
    from expectations.suites.marts import RAW_LAP_TABLES, ROW_COUNTS_QUERY

    assert set(LAP_TABLES) == {s.table for s in lap_sources()}
    assert "raw.fastf1_api_laps" in RAW_LAP_TABLES and "'fastf1_api_laps'" in ROW_COUNTS_QUERY
    assert "fastf1_api" in SOURCE_FORMATS


def test_every_file_format_has_a_parser():
    from loaders.laps.detect import PARSERS

    for source in lap_sources():
        for fmt in source.formats:
            assert fmt.name in PARSERS, f"lap format {fmt.name} has no parser in loaders/laps/detect.py"


def test_every_loader_asset_exists_in_the_definitions():
    from orchestration.definitions import defs

    keys = {tuple(k.path) for k in defs.resolve_asset_graph().get_all_asset_keys()}
    for source in REGISTRY:
        assert source.dagster_asset in keys, f"raw.{source.table}: asset {source.dagster_asset} is not defined"
        for extra in source.extra_writers:
            assert extra in keys


def test_signature_is_strict():
    sig = Signature(required=frozenset({"a", "b"}), absent=frozenset({"c"}))
    assert sig.matches(["a", " b ", '"x"'])
    assert not sig.matches(["a", "b", "c"])
    assert not sig.matches(["a"])


# Real headers: what each file of the sample data is, by name. A lap format must claim exactly its files.
EXPECTED_LAP_FORMAT = [
    (re.compile(r"ergast/lap_times.*\.csv$"), "ergast_lap_times"),
    (re.compile(r"f1_2023_fastf1/[^/]+/laps\.csv$"), "fastf1_laps"),
    (re.compile(r"gr_cup/.*23_AnalysisEnduranceWithSections.*\.CSV$", re.I), "gr_cup"),
]


def _first_line(path: Path) -> str:
    with path.open("rb") as fh:
        return fh.readline(1 << 16).decode("utf-8-sig", errors="replace").rstrip("\r\n")


# Official side files: what each real file is, by its path. Every file must be exactly one kind (or none).
EXPECTED_OFFICIAL_FORMAT = [
    (re.compile(r"gr_cup/.*/0[03]_[^/]*Results(?! by Class)[^/]*\.CSV$", re.I), "gr_cup_results"),
    (re.compile(r"gr_cup/.*/05_[^/]*Results by Class[^/]*\.CSV$", re.I), "gr_cup_results_by_class"),
    (re.compile(r"gr_cup/.*/99_Best 10 Laps By Driver[^/]*\.CSV$", re.I), "gr_cup_best_laps"),
    (re.compile(r"gr_cup/.*/26_Weather[^/]*\.CSV$", re.I), "gr_cup_weather"),
    (re.compile(r"f1_2023_fastf1/[^/]+/results\.csv$"), "fastf1_results"),
    (re.compile(r"f1_2023_fastf1/[^/]+/weather_data\.csv$"), "fastf1_weather"),
    (re.compile(r"f1_2023_fastf1/[^/]+/track_status\.csv$"), "fastf1_track_status"),
    *((re.compile(rf"ergast/{name}\.csv$"), f"ergast_{name}") for name in (
        "results", "sprint_results", "qualifying", "pit_stops", "driver_standings", "constructor_standings",
        "races", "drivers", "constructors", "status")),
]


def test_real_files_are_recognised_only_as_what_they_are(data_dir: Path):
    from loaders.dispatch import classify
    from loaders.laps import csvread
    from loaders.official.load import recognise as recognise_official

    checked = 0
    for path in sorted(data_dir.rglob("*")):
        if path.suffix.lower() not in (".csv", ".txt") or "fastf1_http" in path.parts or not path.is_file():
            continue
        rel = path.relative_to(data_dir).as_posix()
        line = _first_line(path)
        found = {name for d in csvread.DELIMITERS for name in REGISTRY.recognise(line.split(d), None, LAPS)}
        expected = {fmt for pattern, fmt in EXPECTED_LAP_FORMAT if pattern.search(rel)}
        assert found == expected, f"{rel}: header recognised as {sorted(found)}, expected {sorted(expected)}"
        official = set(recognise_official(line, path.name))
        expected_official = {fmt for pattern, fmt in EXPECTED_OFFICIAL_FORMAT if pattern.search(rel)}
        assert official == expected_official, (
            f"{rel}: recognised as official {sorted(official)}, expected {sorted(expected_official)}")
        assert not (found and official), f"{rel}: recognised both as laps and as an official file"
        kind = classify(path)
        if expected or expected_official:
            assert not isinstance(kind, str) and kind.format in expected | expected_official, f"{rel}: {kind}"
        checked += 1
    assert checked > 50
    pit_stops = data_dir / "ergast" / "pit_stops.csv"
    assert REGISTRY.recognise(_first_line(pit_stops).split(","), ",", LAPS) == []
    # Two formats sharing a header are told apart by the file name only where the registry says so.
    results_header = _first_line(data_dir / "ergast" / "results.csv").split(",")
    assert REGISTRY.recognise(results_header, ",", OFFICIAL, "sprint_results.csv") == ["ergast_sprint_results"]
    assert REGISTRY.recognise(results_header, ",", OFFICIAL, None) == []


def test_every_official_format_names_an_importable_parser():
    import importlib

    for source in REGISTRY.family(OFFICIAL):
        for fmt in source.formats:
            assert fmt.parser, f"official format {fmt.name} names no parser"
            assert hasattr(importlib.import_module(fmt.parser), "parse"), fmt.parser
        if source.raw_checks:
            assert f"raw__{source.table}" in source.suites, f"raw.{source.table} declares checks but no suite"
