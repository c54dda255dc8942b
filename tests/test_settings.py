"""One declaration per environment variable: the README lists exactly those, nothing else reads them from
os.environ, bad values stop with one line naming the variable (never a secret), good values get their type."""

from __future__ import annotations

import ast
import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import SettingError
from core.settings import PROJECT_ROOT, VARIABLES, markdown_table

PACKAGES = ("core", "loaders", "expectations", "orchestration", "commands", "bench")
SETTINGS_PACKAGE = PROJECT_ROOT / "core" / "settings"
README_TABLE = re.compile(r"<!-- environment-variables:[^\n]*-->\n(.*?)\n<!-- /environment-variables -->", re.S)
SECRET = "hunter2-do-not-print"


def _readme() -> str:
    return (PROJECT_ROOT / "README.md").read_text()


# --- (a) the README table is the declarations ------------------------------------------------------------

def test_readme_table_is_generated_from_the_declarations() -> None:
    match = README_TABLE.search(_readme())
    assert match, "README.md lost its generated 'Environment variables' table markers"
    listed = re.findall(r"^\| `([A-Z0-9_]+)` \|", match.group(1), re.M)
    assert sorted(listed) == sorted(VARIABLES), "README table and core/settings/variables.py list different variables"
    assert match.group(1) == markdown_table(), "README table is stale: paste the output of `python -m core.settings`"


def test_profile_variables_are_declared_or_named_in_the_readme() -> None:
    """profiles.yml reads the other tools' variables; each must at least be named for users."""
    readme = _readme()
    used = set(re.findall(r"env_var\('([A-Z0-9_]+)'", (PROJECT_ROOT / "profiles.yml").read_text()))
    missing = {v for v in used - set(VARIABLES)
               if f"`{v}`" not in readme and not (v.startswith("SNOWFLAKE_") and "`SNOWFLAKE_*`" in readme)}
    assert not missing


# --- (b) nobody else reads them from os.environ ------------------------------------------------------------

def _env_reads(source: str) -> list[tuple[int, str]]:
    """(line, variable) of every os.environ / os.getenv read whose key is a string constant, directly or
    through a module-level NAME = "..." constant. Writes (assignment, update, setdefault) are not reads."""
    tree = ast.parse(source)
    constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                 and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)
                 for t in n.targets if isinstance(t, ast.Name)}

    def key(node: ast.AST) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return constants.get(node.id) if isinstance(node, ast.Name) else None

    def is_environ(node: ast.AST) -> bool:
        return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
            isinstance(node, ast.Name) and node.id == "environ")

    found = []
    for node in ast.walk(tree):
        name = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            fn = node.func
            if (fn.attr in ("get", "pop") and is_environ(fn.value)) or fn.attr == "getenv":
                name = key(node.args[0])
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and is_environ(node.value):
            name = key(node.slice)
        elif isinstance(node, ast.Compare) and any(is_environ(c) for c in node.comparators):
            name = key(node.left)
        if name is not None:
            found.append((node.lineno, name))
    return found


def test_the_scanner_sees_every_form_of_read() -> None:
    source = ('import os\nX = "LAPSTACK_A"\nos.environ.get("LAPSTACK_B")\nos.getenv("LAPSTACK_C", "1")\n'
              'os.environ["LAPSTACK_D"]\nos.environ.get(X)\nif "LAPSTACK_E" in os.environ: pass\n'
              'os.environ["LAPSTACK_W"] = "1"\nos.environ.setdefault("DO_NOT_TRACK", "1")\n')
    assert sorted(n for _, n in _env_reads(source)) == ["LAPSTACK_A", "LAPSTACK_B", "LAPSTACK_C", "LAPSTACK_D",
                                                        "LAPSTACK_E"]


def test_no_module_reads_a_declared_variable_from_os_environ() -> None:
    offenders = []
    for package in PACKAGES:
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            if SETTINGS_PACKAGE in path.parents:
                continue
            for line, name in _env_reads(path.read_text()):
                if name.startswith("LAPSTACK_") or name in VARIABLES:
                    offenders.append(f"{path.relative_to(PROJECT_ROOT)}:{line} reads {name}")
    assert not offenders, "read these through core.settings:\n" + "\n".join(offenders)


def test_no_import_time_network_hygiene_or_e402_walls() -> None:
    """Entry points call apply_network_hygiene(); no module calls it (or sets the opt-outs) on import."""
    walls = []
    for package in ("core", "loaders", "expectations", "orchestration", "commands"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
            for node in tree.body:
                if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and getattr(
                        node.value.func, "id", None) == "apply_network_hygiene":
                    walls.append(f"{path.relative_to(PROJECT_ROOT)}:{node.lineno} calls it at import")
    assert not walls


def test_importing_the_cli_does_not_touch_the_environment() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DO_NOT_TRACK", "DBT_SEND_ANONYMOUS_USAGE_STATS")}
    code = ("import os, commands.cli, orchestration.settings, core.warehouse\n"
            "assert 'DO_NOT_TRACK' not in os.environ, 'set at import'\n"
            "commands.cli.apply_network_hygiene()\nassert os.environ['DO_NOT_TRACK'] == '1'\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, env={**env, "PYTHONPATH": str(PROJECT_ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


# --- (c) bad values: one clear error naming the variable ----------------------------------------------------

BAD = [
    ("LAPSTACK_TELEMETRY_DUCKDB_MEMORY", "1GB; drop table x", "is not a memory size like 512MB or 2GiB"),
    ("LAPSTACK_TELEMETRY_DUCKDB_MEMORY", "1MB", "at least 16MiB"),
    ("LAPSTACK_TELEMETRY_DUCKDB_MEMORY", "256", "is not a memory size"),
    ("LAPSTACK_TELEMETRY_BLOCK_BYTES", "64k", "is not a whole number from 4096 to 1073741824"),
    ("LAPSTACK_TELEMETRY_BLOCK_BYTES", "10", "is not a whole number from 4096"),
    ("LAPSTACK_TELEMETRY_TRACE", "maybe", "is not true/false, 1/0 or yes/no"),
    ("LAPSTACK_TELEMETRY_CHUNKED", "on", "is not true/false"),
    ("LAPSTACK_TELEMETRY_TRACE_DELAY", "-1", "is not a number from 0 to 3600"),
    ("LAPSTACK_LANDING_SETTLE_SECONDS", "nan", "is not a number from 0 to 3600"),
    ("LAPSTACK_LOOKBACK_DAYS", "1.5", "is not a whole number from 0 to 3660"),
    ("LAPSTACK_FASTF1_SEASON", "1800", "is not a whole number from 1950 to 2100"),
    ("LAPSTACK_FASTF1_QUOTA", "all=lots", "is not a list of NAME=CALLS[/SECONDS]"),
    ("LAPSTACK_TARGET", "duckdb; rm -rf /", "is not a profiles.yml output name"),
    ("LAPSTACK_LANDING_DIR", "landing\nfolder", "is not a file system path"),
    ("DBT_PROFILES_DIR", "/no/such/lapstack/folder", "is not an existing folder"),
    ("LAPSTACK_FASTF1_REPLAY", "/no/such/lapstack/replay", "is not an existing folder"),
]


@pytest.mark.parametrize(("name", "value", "expected"), BAD, ids=[f"{n}={v!r}" for n, v, _ in BAD])
def test_bad_value_names_the_variable(monkeypatch, name: str, value: str, expected: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError) as err:
        VARIABLES[name].get()
    assert str(err.value).startswith(f"lapstack: {name}={value!r} is not ") and expected in str(err.value)


@pytest.mark.parametrize("name", ["LAPSTACK_WEBHOOK_URL", "LAPSTACK_FASTF1_WEBHOOK_URL"])
@pytest.mark.parametrize("value", [f"ftp://hooks.example/{SECRET}", f"javascript:{SECRET}",
                                   f"https://hooks.example/{SECRET} x", f"https:///{SECRET}",
                                   f"https://hooks.example:99999/{SECRET}"])
def test_bad_webhook_is_refused_without_printing_it(monkeypatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError) as err:
        VARIABLES[name].get()
    assert str(err.value) == f"lapstack: {name}=<hidden, {len(value)} characters> is not an http(s) URL with a host"
    assert SECRET not in str(err.value)


def test_unknown_quota_name_names_the_variable(monkeypatch, tmp_path) -> None:
    from loaders.fastf1.config import ImportConfig

    monkeypatch.setenv("LAPSTACK_DUCKDB_PATH", str(tmp_path / "lapstack.duckdb"))
    monkeypatch.setenv("LAPSTACK_FASTF1_QUOTA", "nosuch=5")
    with pytest.raises(SettingError, match=r"^lapstack: LAPSTACK_FASTF1_QUOTA='nosuch=5' is not a valid quota"):
        ImportConfig.resolve(None)


def test_target_from_the_environment_must_be_in_the_profile(monkeypatch) -> None:
    from core.settings import resolve_target

    monkeypatch.setenv("LAPSTACK_TARGET", "oracle")
    with pytest.raises(SettingError, match=r"LAPSTACK_TARGET='oracle' is not a target of profiles.yml \(duckdb, "):
        resolve_target()


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "commands.cli", *args], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **env})


@pytest.mark.parametrize(("env", "args", "named"), [
    ({"LAPSTACK_TARGET": "duck db"}, ("sessions",), "LAPSTACK_TARGET='duck db' is not a profiles.yml output name"),
    ({"LAPSTACK_FASTF1_WEBHOOK_URL": f"ftp://hooks.example/{SECRET}"}, ("quota",),
     "LAPSTACK_FASTF1_WEBHOOK_URL=<hidden, "),
    ({"DBT_PROFILES_DIR": "/no/such/lapstack/folder"}, ("sessions",), "DBT_PROFILES_DIR="),
], ids=["target", "webhook", "profiles-dir"])
def test_cli_prints_one_line_and_exits_2(tmp_path, env, args, named) -> None:
    proc = _cli({"LAPSTACK_DUCKDB_PATH": str(tmp_path / "lapstack.duckdb"), **env}, *args)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("lapstack: ") and named in proc.stderr
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert SECRET not in proc.stdout + proc.stderr


def test_bad_memory_stops_the_telemetry_load_before_any_sql(duckdb_env, data_dir, monkeypatch, capsys) -> None:
    """The value that used to be pasted into `set memory_limit = '...'` (a stacked statement ran)."""
    from commands.cli import main
    from core.warehouse import connect

    sample = data_dir / "gr_cup" / "barber" / "Samples" / "R1_barber_telemetry_data_sample.csv"
    monkeypatch.setenv("LAPSTACK_TELEMETRY_DUCKDB_MEMORY", "1GB'; create table main.pwned(x int); --")
    assert main(["load", "telemetry", str(sample)]) == 2
    assert "LAPSTACK_TELEMETRY_DUCKDB_MEMORY=" in capsys.readouterr().err
    wh = connect()
    try:
        assert not wh.table_exists("main", "pwned")
        assert not wh.table_exists("raw", "telemetry") or wh.query("select count(*) from raw.telemetry") == [(0,)]
    finally:
        wh.close()


# --- (d) good values get their types -------------------------------------------------------------------------

GOOD = [
    ("LAPSTACK_TELEMETRY_DUCKDB_MEMORY", "512 mb", "512MB"),
    ("LAPSTACK_TELEMETRY_DUCKDB_MEMORY", "2gib", "2GiB"),
    ("LAPSTACK_TELEMETRY_DUCKDB_MEMORY", "1.5GB", "1.5GB"),
    ("LAPSTACK_TELEMETRY_BLOCK_BYTES", "65536", 65536),
    ("LAPSTACK_TELEMETRY_TRACE", "1", True),
    ("LAPSTACK_TELEMETRY_TRACE", "Yes", True),
    ("LAPSTACK_TELEMETRY_CHUNKED", "FALSE", False),
    ("LAPSTACK_TELEMETRY_CHUNKED", "no", False),
    ("LAPSTACK_TELEMETRY_TRACE_DELAY", "0.2", 0.2),
    ("LAPSTACK_LANDING_SETTLE_SECONDS", "30", 30.0),
    ("LAPSTACK_LOOKBACK_HOURS", "12", 12),
    ("LAPSTACK_FASTF1_SEASON", "2023", 2023),
    ("LAPSTACK_FASTF1_QUOTA", "all=30/3600, jolpica=200", "all=30/3600, jolpica=200"),
    ("LAPSTACK_WEBHOOK_URL", "https://hooks.example:8443/services/T0/B0/x", "https://hooks.example:8443/services/T0/B0/x"),
    ("LAPSTACK_FASTF1_WEBHOOK_URL", "http://127.0.0.1:9/hook", "http://127.0.0.1:9/hook"),
    ("LAPSTACK_TARGET", "postgres", "postgres"),
    ("LAPSTACK_LANDING_DIR", "~/landing", Path("~/landing").expanduser()),
    ("CI", "true", True),
]


@pytest.mark.parametrize(("name", "value", "parsed"), GOOD, ids=[f"{n}={v!r}" for n, v, _ in GOOD])
def test_good_value_is_parsed(monkeypatch, name: str, value: str, parsed) -> None:
    monkeypatch.setenv(name, value)
    got = VARIABLES[name].get()
    assert got == parsed and type(got) is type(parsed)


def test_unset_and_empty_give_the_default(monkeypatch, tmp_path) -> None:
    from loaders.telemetry import csvstream

    for name in ("LAPSTACK_TELEMETRY_BLOCK_BYTES", "LAPSTACK_LANDING_DIR", "LAPSTACK_FASTF1_SEASON",
                 "LAPSTACK_WEBHOOK_URL", "LAPSTACK_TELEMETRY_DUCKDB_MEMORY"):
        monkeypatch.delenv(name, raising=False)
    assert VARIABLES["LAPSTACK_TELEMETRY_BLOCK_BYTES"].get() == csvstream.BLOCK_SIZE
    assert VARIABLES["LAPSTACK_LANDING_DIR"].get() == PROJECT_ROOT / "landing"
    assert VARIABLES["LAPSTACK_FASTF1_SEASON"].get() == dt.datetime.now(dt.UTC).year
    assert VARIABLES["LAPSTACK_WEBHOOK_URL"].get() is None
    assert VARIABLES["LAPSTACK_TELEMETRY_DUCKDB_MEMORY"].get() == "160MB"
    monkeypatch.setenv("LAPSTACK_WEBHOOK_URL", "")
    assert VARIABLES["LAPSTACK_WEBHOOK_URL"].get() is None
    monkeypatch.setenv("DBT_PROFILES_DIR", str(tmp_path))
    assert VARIABLES["DBT_PROFILES_DIR"].get() == tmp_path


def test_values_are_read_at_call_time(monkeypatch) -> None:
    """No caching at import: the orchestration's accessors follow the environment per call."""
    from orchestration.schedules import lookback_config

    monkeypatch.setenv("LAPSTACK_LOOKBACK_HOURS", "7")
    assert lookback_config()["lookback_hours"] == 7
    monkeypatch.setenv("LAPSTACK_LOOKBACK_HOURS", "8")
    assert lookback_config() == {"lookback_hours": 8, "lookback_days": 2, "lookback_months": 1}


def test_memory_limit_reaches_the_loader_connection(duckdb_env, data_dir, monkeypatch) -> None:
    from core.warehouse import connect
    from loaders.laps.model import Overrides
    from loaders.telemetry.load import load_paths

    sample = data_dir / "gr_cup" / "barber" / "Samples" / "R1_barber_telemetry_data_sample.csv"
    monkeypatch.setenv("LAPSTACK_TELEMETRY_DUCKDB_MEMORY", "300MB")
    wh = connect()
    try:
        results, errors = load_paths(wh, [sample], Overrides(None, None, None, None))
        assert not errors and results[0].rows > 0
        assert wh.query("select current_setting('memory_limit')") == [("286.1 MiB",)]
    finally:
        wh.close()
