"""Ergast-schema dumps: results, sprint results, qualifying, pit stops, standings, races, reference tables.

Every session-scoped row names its race by `raceId`; `races.csv` beside the file gives that race's season and
event (as for the lap times), so an Ergast result and the laps of the same race share one session id.
Drivers are keyed by `driverRef` and constructors by `constructorRef` from the tables beside the file.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import LoadError
from core.registry import REGISTRY
from loaders.laps import csvread
from loaders.laps.ergast import read_sidecar_table
from loaders.laps.model import Overrides, SessionInfo
from loaders.official.sidefile import RowContext, SideFile, read

SESSION_NAME = {"ergast_sprint_results": "Sprint", "ergast_qualifying": "Qualifying"}


def _races(path: Path) -> dict[str, dict[str, str]]:
    races = read_sidecar_table(path.parent / "races.csv", "raceId", path)
    if not races:
        raise LoadError(path, None, None, "races.csv must sit beside an Ergast table (it gives each race's "
                        "season and event)")
    return races


def parse(tf: csvread.TextFile, fmt_name: str, overrides: Overrides) -> SideFile:
    source = REGISTRY.get(fmt_name)
    fmt = source.formats[0]
    header = [h.strip().strip('"').lower() for h in csvread.read_header(tf, ",")]
    session_name = SESSION_NAME.get(fmt_name, "Race")
    races = _races(tf.path) if fmt_name != "ergast_races" and source.session_scoped else {}
    drivers = read_sidecar_table(tf.path.parent / "drivers.csv", "driverId", tf.path) if "driverid" in header else {}
    constructors = (read_sidecar_table(tf.path.parent / "constructors.csv", "constructorId", tf.path)
                    if "constructorid" in header else {})
    infos: dict[str, SessionInfo] = {}

    def session(ctx: RowContext, row: csvread.Row) -> SessionInfo:
        race_id = ctx.get("raceid", "")
        race = ctx if fmt_name == "ergast_races" else races.get(race_id)
        if race is None:
            raise LoadError(tf.path, row.line, f"{header.index('raceid') + 1} (raceid)",
                            f"raceid {race_id!r} is not in races.csv")
        if race_id not in infos:
            year = (race.get("year") or "").strip()
            if not year.isdigit():
                raise LoadError(tf.path, row.line, None, f"race {race_id} has no year in races.csv")
            infos[race_id] = overrides.apply(SessionInfo("f1", int(year), race["name"], session_name))
        return infos[race_id]

    def key(ctx: RowContext, row: csvread.Row) -> str:
        if source.row_key == "_constructor":
            cid = ctx.get("constructorid", "")
            return (constructors.get(cid) or {}).get("constructorref") or ctx.get("constructorref") or cid
        did = ctx.get("driverid", "")
        return (drivers.get(did) or {}).get("driverref") or ctx.get("driverref") or did

    parsed = read(tf, source, fmt, session=session if source.session_scoped else None,
                  key=key if source.row_key else None,
                  optional_from="url" if fmt_name == "ergast_races" else None)
    if len(parsed.sessions) > 1 and (overrides.event or overrides.session or overrides.season is not None):
        raise LoadError(tf.path, None, None, f"file holds {len(parsed.sessions)} races; --event/--session/"
                        "--season would merge them into one session: load it without those overrides")
    return parsed
