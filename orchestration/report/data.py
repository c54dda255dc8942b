"""Everything one session report needs, read from the marts in a few bounded queries.

Columns are discovered at runtime (`information_schema`), so the report uses the columns other branches add
to `marts.fct_laps` (`position`, `gap_to_leader`, `interval_to_ahead`, `stint`, `compound`, `tyre_life`,
`track_status`, `team`) and the marts `marts.lap_positions` / `marts.driver_stints` as soon as they exist,
and derives what it needs from lap times (see `derive.py`) while they do not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from core.warehouse import Warehouse

MARTS = "marts"
BASE_LAP_COLUMNS = ("driver", "lap_number", "lap_time", "sector_1_time", "sector_2_time", "sector_3_time",
                    "flag", "is_green_flag", "is_pit_in_lap", "is_pit_out_lap", "is_deleted", "is_racing_lap",
                    "is_personal_best")
OPTIONAL_LAP_COLUMNS = ("position", "gap_to_leader", "interval_to_ahead", "stint", "compound", "tyre_life",
                        "track_status", "team", "team_name")
NUMERIC = ("lap_time", "sector_1_time", "sector_2_time", "sector_3_time", "position", "gap_to_leader",
           "interval_to_ahead", "stint", "tyre_life")
MAX_TELEMETRY_SAMPLES = 40000  # two laps: F1 ~4 Hz (~400 samples), GR Cup ~50 Hz (~8,000)
MIN_LAP_SAMPLES = 20


class UnknownSession(LookupError):
    """The session id is not in marts.dim_sessions."""


@dataclass
class SessionData:
    session_id: str
    series: str
    season: int | None
    event: str
    session_name: str
    laps: pd.DataFrame  # fct_laps rows (lost-counter laps excluded), numeric columns as float
    lap_columns: set[str]  # the columns fct_laps has on this warehouse
    teams: dict[str, str] = field(default_factory=dict)  # driver -> team, where any mart knows it
    positions: pd.DataFrame | None = None  # marts.lap_positions rows when that mart exists
    stints: pd.DataFrame | None = None  # marts.driver_stints rows when that mart exists
    telemetry: pd.DataFrame | None = None  # samples of the two best laps with telemetry
    telemetry_note: str = ""

    @property
    def title(self) -> str:
        season = f"{self.season} " if self.season else ""
        return f"{season}{self.event} - {self.session_name}"

    @property
    def is_race(self) -> bool:
        name = self.session_name.lower()
        sprint = "sprint" in name and "shootout" not in name and "qual" not in name
        return "race" in name or sprint


def relation_columns(wh: Warehouse, schema: str, table: str) -> dict[str, str]:
    """lower-case name -> the name as stored (Snowflake stores unquoted names upper-case)."""
    rows = wh.query("select column_name from information_schema.columns where lower(table_schema) = ? "
                    "and lower(table_name) = ?", (schema.lower(), table.lower()))
    return {str(r[0]).lower(): str(r[0]) for r in rows}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _select(stored: dict[str, str], wanted: tuple[str, ...]) -> str:
    return ", ".join(f"{_q(stored[c])} as {_q(c)}" for c in wanted if c in stored)


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    for col in NUMERIC:
        if col in frame:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    for col in ("is_pit_in_lap", "is_pit_out_lap", "is_deleted", "is_racing_lap", "is_personal_best"):
        if col in frame:
            frame[col] = frame[col].fillna(False).astype(bool)
    frame["driver"] = frame["driver"].astype(str)
    frame["lap_number"] = pd.to_numeric(frame["lap_number"]).astype(int)
    return frame


def list_sessions(wh: Warehouse) -> pd.DataFrame:
    """Every live session with its fastest lap (session_summary), ordered series, season, event, session."""
    summary = wh.table_exists(MARTS, "session_summary")
    join = (f"left join {MARTS}.session_summary s on s.session_id = d.session_id" if summary else "")
    fast = ("s.fastest_lap_driver, s.fastest_lap_time, s.total_drivers" if summary else
            "null as fastest_lap_driver, null as fastest_lap_time, null as total_drivers")
    frame = wh.query_df(f"select d.session_id, d.series, d.season, d.event, d.session_name, {fast} "
                        f"from {MARTS}.dim_sessions d {join} order by d.series, d.season, d.event, d.session_name")
    frame["fastest_lap_time"] = pd.to_numeric(frame["fastest_lap_time"], errors="coerce")
    return frame


def _teams(wh: Warehouse, session_id: str, laps: pd.DataFrame) -> dict[str, str]:
    for col in ("team", "team_name"):
        if col in laps and laps[col].notna().any():
            known = laps.dropna(subset=[col]).groupby("driver")[col].agg(lambda s: s.mode().iloc[0])
            return {str(k): str(v) for k, v in known.items()}
    rows = wh.query("select table_name, column_name from information_schema.columns "
                    "where lower(table_schema) = ? and lower(column_name) in ('team', 'team_name')", (MARTS,))
    for table, column in rows:
        cols = relation_columns(wh, MARTS, str(table))
        if "session_id" in cols and "driver" in cols:
            found = wh.query(f"select distinct {_q(cols['driver'])}, {_q(str(column))} from {MARTS}.{_q(str(table))} "
                             f"where {_q(cols['session_id'])} = ? and {_q(str(column))} is not null", (session_id,))
            if found:
                return {str(d): str(t) for d, t in found}
    return {}


def _optional_mart(wh: Warehouse, table: str, session_id: str) -> pd.DataFrame | None:
    cols = relation_columns(wh, MARTS, table)
    if not cols or "session_id" not in cols or "driver" not in cols:
        return None
    frame = wh.query_df(f"select * from {MARTS}.{_q(table)} where {_q(cols['session_id'])} = ?", (session_id,))
    if frame.empty:
        return None
    for col in frame.columns:
        if col in NUMERIC or col in ("lap_number", "start_lap", "end_lap", "laps"):
            frame[col] = pd.to_numeric(frame[col], errors="coerce")
    frame["driver"] = frame["driver"].astype(str)
    return frame


def _telemetry(wh: Warehouse, session_id: str, laps: pd.DataFrame) -> tuple[pd.DataFrame | None, str]:
    """Samples of the two best racing laps that have telemetry: the best lap and the best lap of another
    driver (or the driver's second-best lap when only one car has telemetry)."""
    tel_cols = relation_columns(wh, MARTS, "fct_telemetry")
    if not tel_cols:
        return None, "no telemetry mart on this warehouse"
    if not wh.table_exists(MARTS, "lap_telemetry_summary"):
        return None, "no telemetry built for this session"
    covered = wh.query(f"select driver, lap_number from {MARTS}.lap_telemetry_summary where session_id = ? "
                       "and lap_number is not null and speed_samples >= ?", (session_id, MIN_LAP_SAMPLES))
    if not covered:
        has_any = wh.query(f"select count(*) from {MARTS}.fct_telemetry where session_id = ?", (session_id,))[0][0]
        return None, ("telemetry samples carry no lap numbers" if has_any else "no telemetry loaded for this session")
    have = {(str(d), int(n)) for d, n in covered}
    racing = laps[laps["is_racing_lap"] & laps["lap_time"].notna()].sort_values(["lap_time", "lap_number"])
    racing = racing[[(d, n) in have for d, n in zip(racing["driver"], racing["lap_number"], strict=True)]]
    if racing.empty:
        return None, "no racing lap has telemetry"
    first = racing.iloc[0]
    others = racing[racing["driver"] != first["driver"]]
    if others.empty:
        others = racing.iloc[1:]
    if others.empty:
        return None, "only one lap with telemetry"
    second = others.iloc[0]
    picked = [(str(first["driver"]), int(first["lap_number"])), (str(second["driver"]), int(second["lap_number"]))]
    distance = f"{_q(tel_cols['distance'])} as distance" if "distance" in tel_cols else "null as distance"
    frame = wh.query_df(
        f"select driver, lap_number, session_time, sample_time, speed, {distance} from {MARTS}.fct_telemetry "
        "where session_id = ? and ((driver = ? and lap_number = ?) or (driver = ? and lap_number = ?)) "
        "and speed is not null order by driver, lap_number, sample_time limit ?",
        (session_id, picked[0][0], picked[0][1], picked[1][0], picked[1][1], MAX_TELEMETRY_SAMPLES))
    for col in ("session_time", "speed", "distance"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    frame["driver"] = frame["driver"].astype(str)
    frame["lap_number"] = pd.to_numeric(frame["lap_number"]).astype(int)
    times = {(str(r.driver), int(r.lap_number)): float(r.lap_time) for r in racing.itertuples()}
    frame["lap_time"] = [times.get((d, n)) for d, n in zip(frame["driver"], frame["lap_number"], strict=True)]
    frame["rank"] = [0 if (d, n) == picked[0] else 1 for d, n in zip(frame["driver"], frame["lap_number"],
                                                                      strict=True)]
    return frame, ""


def load_session(wh: Warehouse, session_id: str, *, telemetry: bool = True) -> SessionData:
    rows = wh.query(f"select session_id, series, season, event, session_name from {MARTS}.dim_sessions "
                    "where session_id = ?", (session_id,))
    if not rows:
        raise UnknownSession(f"unknown session {session_id!r} (see `lapstack sessions`)")
    _, series, season, event, session_name = rows[0]
    stored = relation_columns(wh, MARTS, "fct_laps")
    wanted = BASE_LAP_COLUMNS + OPTIONAL_LAP_COLUMNS
    lost = f" and not {_q(stored['is_lost_counter'])}" if "is_lost_counter" in stored else ""
    laps = wh.query_df(f"select {_select(stored, wanted)} from {MARTS}.fct_laps "
                       f"where {_q(stored['session_id'])} = ?{lost} order by 1, 2", (session_id,))
    laps = _numeric(laps)
    data = SessionData(session_id=session_id, series=str(series), season=None if season is None else int(season),
                       event=str(event), session_name=str(session_name), laps=laps, lap_columns=set(stored))
    data.teams = _teams(wh, session_id, laps)
    data.positions = _optional_mart(wh, "lap_positions", session_id)
    data.stints = _optional_mart(wh, "driver_stints", session_id)
    if telemetry:
        data.telemetry, data.telemetry_note = _telemetry(wh, session_id, laps)
    return data
