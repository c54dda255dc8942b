"""Everything one loaded FastF1 session holds, each data type extracted on its own.

A type that FastF1 could not load (`DataNotLoadedError`, an endpoint answering 404, an empty frame) is
`missing`; an unexpected error in one type is `failed` for that type only. Values land as text, the
way `laps.csv` exports write them (timedeltas as `0 days 00:01:33.433000`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from loaders.fastf1.ledger import QuotaExhausted
from loaders.fastf1.tables import CORE_TYPES, EXTRACT_COLUMNS, LAPS_SOURCE_COLUMNS, raw_columns

# Types that never demote a session from `ok`: the API serves them only for some sessions.
OPTIONAL_TYPES = ("car_telemetry", "circuit_corners", "circuit_marshal_lights", "circuit_marshal_sectors",
                  "circuit_rotation")


@dataclass
class Extract:
    data_type: str
    status: str  # ok | missing | failed
    frame: pd.DataFrame | None = None  # raw columns + _driver + _source_line
    detail: str | None = None

    @property
    def rows(self) -> int:
        return 0 if self.frame is None else len(self.frame)


def as_text(series: pd.Series) -> pd.Series:
    """One column as the text pandas' `to_csv` would write; missing values stay null."""
    missing = series.isna()
    if pd.api.types.is_timedelta64_dtype(series):
        text = series.astype(str)
    elif pd.api.types.is_datetime64_any_dtype(series):
        text = series.dt.strftime("%Y-%m-%d %H:%M:%S.%f")
    else:
        text = series.astype(str)
    return text.where(~missing, None).astype(object)


def to_raw(frame: pd.DataFrame, columns: list[str], driver: pd.Series | str = "") -> pd.DataFrame:
    """FastF1 columns -> raw text columns in the table's order, with `_driver` and a 1-based `_source_line`."""
    frame = frame.reset_index(drop=True)
    out = pd.DataFrame(index=frame.index)
    for name, raw in zip(columns, raw_columns(columns), strict=True):
        out[raw] = as_text(frame[name]) if name in frame.columns else pd.Series(None, index=frame.index, dtype=object)
    out["_driver"] = driver if isinstance(driver, str) else driver.reset_index(drop=True).fillna("").astype(str)
    out["_source_line"] = range(1, len(frame) + 1)
    return out


def _frame(data_type: str, frame: pd.DataFrame | None, columns: list[str],
           driver: Callable[[pd.DataFrame], pd.Series | str] = lambda f: "") -> Extract:
    if frame is None or len(frame) == 0:
        return Extract(data_type, "missing", detail="no rows")
    return Extract(data_type, "ok", to_raw(frame, columns, driver(frame.reset_index(drop=True))))


def _laps(session) -> list[Extract]:
    return [_frame("laps", session.laps, LAPS_SOURCE_COLUMNS, lambda f: f["Driver"])]


def _simple(data_type: str, attribute: str, driver_column: str | None = None):
    def extract(session) -> list[Extract]:
        columns = EXTRACT_COLUMNS[data_type][1]
        pick = (lambda f: f[driver_column]) if driver_column else (lambda f: "")
        return [_frame(data_type, getattr(session, attribute), columns, pick)]
    return extract


def _circuit(session) -> list[Extract]:
    """Corners, marshal lights/sectors and rotation from the circuit API (distance only with position data)."""
    from fastf1.mvapi import get_circuit_info

    circuit = session.session_info["Meeting"]["Circuit"]
    key = 146 if (circuit["Key"] == 149 and circuit.get("ShortName") == "Mugello") else circuit["Key"]
    info = get_circuit_info(year=session.event.year, circuit_key=key)
    types = ("circuit_corners", "circuit_marshal_lights", "circuit_marshal_sectors", "circuit_rotation")
    if info is None:
        return [Extract(t, "missing", detail=f"no circuit info for key {key}") for t in types]
    try:
        info.add_marker_distance(reference_lap=session.laps.pick_fastest())
    except Exception:  # noqa: BLE001 - distances need position data, which most sessions lack
        pass
    cols = EXTRACT_COLUMNS["circuit_corners"][1]
    rotation = pd.DataFrame({"CircuitKey": [key], "Rotation": [info.rotation]})
    return [_frame("circuit_corners", info.corners, cols), _frame("circuit_marshal_lights", info.marshal_lights, cols),
            _frame("circuit_marshal_sectors", info.marshal_sectors, cols),
            _frame("circuit_rotation", rotation, EXTRACT_COLUMNS["circuit_rotation"][1])]


def _car_telemetry(session) -> list[Extract]:
    columns = EXTRACT_COLUMNS["car_telemetry"][1]
    parts = []
    abbreviations = {}
    try:
        abbreviations = dict(zip(session.results["DriverNumber"], session.results["Abbreviation"], strict=True))
    except Exception:  # noqa: BLE001 - without results the car number names the driver
        pass
    for number, telemetry in session.car_data.items():
        part = pd.DataFrame(telemetry).reset_index(drop=True)
        part["_who"] = abbreviations.get(number) or str(number)
        parts.append(part)
    if not parts:
        return [Extract("car_telemetry", "missing", detail="no car data")]
    frame = pd.concat(parts, ignore_index=True)
    return [_frame("car_telemetry", frame, columns, lambda f: f["_who"])]


EXTRACTORS: list[tuple[tuple[str, ...], Callable]] = [
    (("laps",), _laps),
    (("results",), _simple("results", "results", "Abbreviation")),
    (("weather",), _simple("weather", "weather_data")),
    (("race_control_messages",), _simple("race_control_messages", "race_control_messages", "RacingNumber")),
    (("session_status",), _simple("session_status", "session_status")),
    (("track_status",), _simple("track_status", "track_status")),
    (("circuit_corners", "circuit_marshal_lights", "circuit_marshal_sectors", "circuit_rotation"), _circuit),
    (("car_telemetry",), _car_telemetry),
]


def extract_all(session) -> list[Extract]:
    """Run every extractor; one failing never stops the others (a quota stop does)."""
    from fastf1.exceptions import DataNotLoadedError

    out: list[Extract] = []
    for types, extractor in EXTRACTORS:
        try:
            out.extend(extractor(session))
        except QuotaExhausted:
            raise
        except DataNotLoadedError:
            out.extend(Extract(t, "missing", detail="DataNotLoadedError: not available from the API") for t in types)
        except Exception as exc:  # noqa: BLE001 - recorded per type, the session carries on
            out.extend(Extract(t, "failed", detail=f"{type(exc).__name__}: {exc}"[:500]) for t in types)
    return out


def session_status(extracts: list[Extract]) -> str:
    """`failed`: no timing feed at all; `partial`: a core type or results missing; else `ok`."""
    by_type = {e.data_type: e.status for e in extracts}
    if not any(by_type.get(t) == "ok" for t in CORE_TYPES):
        return "failed"
    required = [t for t in by_type if t not in OPTIONAL_TYPES]
    return "ok" if all(by_type[t] == "ok" for t in required) else "partial"
