"""Bad inputs made from the real files at test time, each with its exact expected outcome.

Nothing here is committed data: every file is written under a temporary folder from $LAPSTACK_DATA
(a real file, cut or edited in one place, re-encoded or compressed). A case names the paths one
`lapstack load laps|telemetry` command gets, the errors it must print (file, line, column, message
fragment), the paths it must report as skipped, and the rows a file that should load adds.
"""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import os
import shutil
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

GR = "gr_cup/barber/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
GR_RESULTS = "gr_cup/barber/03_Provisional Results_Race 1_Anonymized.CSV"
F1 = "f1_2023_fastf1/1_Sakhir"
ERGAST = "ergast"
VEGAS1 = "f1_2023_fastf1/21_Las Vegas/1_telemetry.csv"
GR_TEL = "gr_cup/barber/Samples/R1_barber_telemetry_data_sample.csv"
LAP_START = "gr_cup/barber/R1_barber_lap_start.csv"
COTA_LAP_TIME = "gr_cup/COTA/Race 1/COTA_lap_time_R1.csv"

LONG = 140_000  # characters: over the csv module's 131,072 field limit and the 65,536-byte line limit
LINE_LIMIT_COL = 65_537


@dataclass
class Expect:
    """One error line: `path:line:column: ...fragment...` (line/column None: not positioned)."""

    path: Path | str
    line: int | None
    column: int | str | None
    fragment: str

    def prefix(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where + ": "


@dataclass
class Case:
    id: str
    kind: str
    command: str  # laps | telemetry
    paths: list[Path | str]
    errors: list[Expect] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)  # rows the bad-side paths add (quirks that load)
    batches: int = 0  # load batches the bad-side paths add
    patch: dict[str, int] = field(default_factory=dict)  # loaders.filecheck limits for this case
    setup: object = None  # callable run just before the command (a FIFO writer)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0


def label(header: list[str], name: str) -> str:
    return f"{header.index(name) + 1} ({name})"


class Corpus:
    def __init__(self, data: Path, root: Path):
        self.data, self.root = data, root
        self.cases: list[Case] = []
        self._text: dict[str, str] = {}

    # --- real material -------------------------------------------------------------------------------

    def text(self, rel: str) -> str:
        if rel not in self._text:
            self._text[rel] = (self.data / rel).read_bytes().decode("utf-8-sig")
        return self._text[rel]

    def lines(self, rel: str, n: int | None = None) -> list[str]:
        out = self.text(rel).splitlines(keepends=True)
        return out[:n] if n else out

    def folder(self, case_id: str, *parts: str) -> Path:
        path = self.root / case_id / Path(*parts) if parts else self.root / case_id
        path.mkdir(parents=True, exist_ok=True)
        return path

    def add(self, case: Case) -> Case:
        assert all(c.id != case.id for c in self.cases), case.id
        self.cases.append(case)
        return case


# --- lap formats: where a file goes, its lines, its header, its field separator --------------------------


@dataclass
class LapFormat:
    name: str
    delim: str
    header: list[str]
    lines: list[str]
    place: object  # (corpus, case_id) -> Path of the lap file (sidecars copied beside it)
    lap: str
    time: str
    line: int = 7  # the row the single-field edits go to


def _gr(c: Corpus) -> LapFormat:
    lines = c.lines(GR, 150)
    header = [h.strip() for h in lines[0].rstrip("\r\n").split(";")]
    return LapFormat("gr_cup", ";", header, lines,
                     lambda cc, i: cc.folder(i, "Barber", "Race 1") / Path(GR).name, "LAP_NUMBER", "LAP_TIME")


def _f1(c: Corpus) -> LapFormat:
    lines = c.lines(f"{F1}/laps.csv", 80)
    header = [h.strip() for h in lines[0].rstrip("\r\n").split(",")]

    def place(cc: Corpus, i: str) -> Path:
        folder = cc.folder(i, "1_Sakhir")
        shutil.copy(cc.data / F1 / "race_info.csv", folder / "race_info.csv")
        return folder / "laps.csv"
    return LapFormat("fastf1_laps", ",", header, lines, place, "LapNumber", "LapTime")


def _ergast(c: Corpus) -> LapFormat:
    lines = c.lines(f"{ERGAST}/lap_times_2020_2024.csv", 150)
    header = [h.strip().strip('"').lower() for h in lines[0].rstrip("\r\n").split(",")]

    def place(cc: Corpus, i: str) -> Path:
        folder = cc.folder(i, "ergast")
        for name in ("races.csv", "drivers.csv", "pit_stops.csv"):
            shutil.copy(cc.data / ERGAST / name, folder / name)
        return folder / "lap_times.csv"
    return LapFormat("ergast_lap_times", ",", header, lines, place, "lap", "milliseconds")


def _lapstack_rows(c: Corpus) -> list[dict[str, str]]:
    """The first real Sakhir laps in lapstack columns (seconds), from laps.csv."""
    from loaders.laps.timeparse import timedelta_to_seconds

    lines = c.lines(f"{F1}/laps.csv", 60)
    header = lines[0].rstrip("\r\n").split(",")
    rows = []
    for line in lines[1:]:
        v = dict(zip(header, line.rstrip("\r\n").split(","), strict=False))
        if not v["LapTime"]:
            continue
        rows.append({"driver": v["Driver"], "lap_number": str(int(float(v["LapNumber"]))),
                     "lap_time": f"{timedelta_to_seconds(v['LapTime']):.3f}",
                     "sector_1_time": f"{timedelta_to_seconds(v['Sector1Time']):.3f}" if v["Sector1Time"] else "",
                     "sector_2_time": f"{timedelta_to_seconds(v['Sector2Time']):.3f}" if v["Sector2Time"] else ""})
    return rows


def _lapstack(c: Corpus) -> LapFormat:
    rows = _lapstack_rows(c)
    header = list(rows[0])
    lines = [",".join(header) + "\n"] + [",".join(r[h] for h in header) + "\n" for r in rows]
    return LapFormat("lapstack_csv", ",", header, lines, lambda cc, i: cc.folder(i, "Bahrain") / "race.csv",
                     "lap_number", "lap_time")


def _jsonl(c: Corpus) -> LapFormat:
    rows = _lapstack_rows(c)
    header = list(rows[0])
    lines = [json.dumps({"driver": r["driver"], "lap_number": int(r["lap_number"]), "lap_time": float(r["lap_time"]),
                         "sector_1_time": float(r["sector_1_time"]) if r["sector_1_time"] else None,
                         "sector_2_time": float(r["sector_2_time"]) if r["sector_2_time"] else None}) + "\n"
             for r in rows]
    return LapFormat("lapstack_jsonl", "json", header, lines, lambda cc, i: cc.folder(i, "Bahrain") / "race.jsonl",
                     "lap_number", "lap_time", line=3)


def set_field(fmt: LapFormat, lines: list[str], line_no: int, name: str, value: str) -> list[str]:
    """A copy of `lines` with one field replaced (a raw JSON token for JSON Lines)."""
    out = list(lines)
    raw = out[line_no - 1]
    end = raw[len(raw.rstrip("\r\n")):]
    if fmt.delim == "json":
        obj = json.loads(raw)
        obj[name] = "@@VALUE@@"
        out[line_no - 1] = json.dumps(obj).replace('"@@VALUE@@"', value) + end
        return out
    fields = raw.rstrip("\r\n").split(fmt.delim)
    fields[fmt.header.index(name)] = value
    out[line_no - 1] = fmt.delim.join(fields) + end
    return out


def write(path: Path, content: list[str] | str | bytes) -> Path:
    if isinstance(content, list):
        content = "".join(content)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _zip(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(name, data)
    return buf.getvalue()


def _zstd(data: bytes) -> bytes:
    try:
        import zstandard

        return zstandard.ZstdCompressor().compress(data)
    except ImportError:  # the frame magic is what is recognised; the payload stays the real bytes
        return b"\x28\xb5\x2f\xfd" + data


ENCODINGS: list[tuple[str, object, str]] = [
    ("utf16le_bom", lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
     "file is UTF-16 LE text (BOM FF FE), not UTF-8 text: save it as UTF-8"),
    ("utf16be_bom", lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
     "file is UTF-16 BE text (BOM FE FF), not UTF-8 text: save it as UTF-8"),
    ("utf16le_nobom", lambda t: t.encode("utf-16-le"), "file is UTF-16 LE text (no BOM), not UTF-8 text"),
    ("utf16be_nobom", lambda t: t.encode("utf-16-be"), "file is UTF-16 BE text (no BOM), not UTF-8 text"),
    ("utf32le_bom", lambda t: b"\xff\xfe\x00\x00" + t.encode("utf-32-le"), "file is UTF-32 LE text (BOM FF FE 00 00)"),
    ("utf32be_bom", lambda t: b"\x00\x00\xfe\xff" + t.encode("utf-32-be"), "file is UTF-32 BE text (BOM 00 00 FE FF)"),
    ("gzip", lambda t: gzip.compress(t.encode()), "file is gzip-compressed, not UTF-8 text: decompress it first"),
    ("zip", lambda t: _zip("laps.csv", t.encode()), "file is a zip archive, not UTF-8 text: extract it first"),
    ("bzip2", lambda t: bz2.compress(t.encode()), "file is bzip2-compressed, not UTF-8 text: decompress it first"),
    ("xz", lambda t: lzma.compress(t.encode()), "file is xz-compressed, not UTF-8 text: decompress it first"),
    ("zstd", lambda t: _zstd(t.encode()), "file is zstd-compressed, not UTF-8 text: decompress it first"),
    ("ole_excel", lambda t: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + t.encode(),
     "file is an Excel 97-2003 / OLE document"),
]


# --- the cases ---------------------------------------------------------------------------------------------


def lap_cases(c: Corpus) -> None:
    formats = [_gr(c), _f1(c), _ergast(c), _lapstack(c), _jsonl(c)]
    by_name = {f.name: f for f in formats}

    # Lap numbers: the warehouse column is a 32-bit integer; nan/inf/1e400 are not numbers.
    lap_values = [
        ("int32_overflow", "2147483648", "2147483648", "lap number out of range (0 to 2,147,483,647): '2147483648'"),
        ("20_digits", "12345678901234567890", "12345678901234567890", "lap number out of range"),
        ("nan", "nan", "NaN", "not a number: 'nan'"),
        ("inf", "inf", "Infinity", "not a number: 'inf'"),
        ("1e400", "1e400", "1e400", "not a number: "),
        ("negative", "-3", "-3", "negative value: '-3'"),
        ("fraction", "2.5", "2.5", "not an integer: '2.5'"),
        ("arabic_digits", "\u0661\u0662", '"\u0661\u0662"', "not a number"),
        ("underscore", "1_0", '"1_0"', "not a number: '1_0'"),
        ("missing", "", '""', "missing lap number"),
    ]
    for fmt in formats:
        for key, text, token, fragment in lap_values:
            i = f"lap_{fmt.name}_{key}"
            path = write(fmt.place(c, i), set_field(fmt, fmt.lines, fmt.line, fmt.lap,
                                                    token if fmt.delim == "json" else text))
            if fmt.delim == "json" and key == "1e400":
                fragment = "not a number: 'inf'"
            if fmt.name in ("gr_cup", "ergast_lap_times") and key == "fraction":
                fragment = "not an integer (digits only): '2.5'"
            c.add(Case(i, "lap number range/format", "laps", [path],
                       [Expect(path, fmt.line, label(fmt.header, fmt.lap), fragment)]))
    for name in ("gr_cup", "ergast_lap_times"):  # staging casts these straight to integer: `7.0` fails on Postgres
        fmt = by_name[name]
        i = f"lap_{name}_float_text"
        path = write(fmt.place(c, i), set_field(fmt, fmt.lines, fmt.line, fmt.lap, "7.0"))
        c.add(Case(i, "lap number range/format", "laps", [path],
                   [Expect(path, fmt.line, label(fmt.header, fmt.lap), "not an integer (digits only): '7.0'")]))

    # Times: finite, not negative, below the documented limit, ASCII digits only.
    big = "9" * 400
    time_values = {
        "gr_cup": [("nan", "nan", "not a time: 'nan'"), ("inf", "inf", "not a time: 'inf'"),
                   ("1e400", "1e400", "not a time: '1e400'"), ("400_digits", big, "time out of range"),
                   ("negative", "-5", "negative time: '-5'"), ("arabic", "\u0661:\u0662\u0663.\u0664", "not a time")],
        "fastf1_laps": [("nan", "nan", "not a time: 'nan'"), ("inf", "inf", "not a time"),
                        ("1e400", "1e400", "not a time"), ("days_overflow", "99999999 days 00:01:33.433000",
                                                           "time out of range"),
                        ("negative", "-1 days +23:58:22.026000", "negative time"),
                        ("singular_day", "1 day 00:01:33.433000", "not a time"),
                        ("minutes_61", "0 days 00:61:33.433000", "not a valid timedelta")],
        "ergast_lap_times": [("nan", "nan", "not a time: 'nan'"), ("inf", "inf", "not a time"),
                             ("1e400", "1e400", "not a time"), ("400_digits", big, "time out of range"),
                             ("negative", "-5", "negative time"), ("fraction_ms", "71454.5", "not a time")],
        "lapstack_csv": [("nan", "nan", "not a time"), ("inf", "inf", "not a time"), ("1e400", "1e400", "not a time"),
                         ("400_digits", big, "time out of range"), ("negative", "-80.1", "negative time: '-80.1'"),
                         ("four_parts", "1:2:3:4", "not a time")],
        "lapstack_jsonl": [("nan", "NaN", "not a time: 'nan'"), ("inf", "Infinity", "not a time: 'inf'"),
                           ("bool", "true", "not a time: 'true'"), ("object", '{"s": 1}', "not a time")],
    }
    for name, values in time_values.items():
        fmt = by_name[name]
        for key, text, fragment in values:
            i = f"time_{name}_{key}"
            path = write(fmt.place(c, i), set_field(fmt, fmt.lines, fmt.line, fmt.time, text))
            c.add(Case(i, "lap/sector time", "laps", [path],
                       [Expect(path, fmt.line, label(fmt.header, fmt.time), fragment)]))

    # Other numbers: sectors, speeds, positions, counters, timestamps.
    gr, f1, erg = by_name["gr_cup"], by_name["fastf1_laps"], by_name["ergast_lap_times"]
    others = [
        (gr, "S1_SECONDS", "1:23.4", "not a time: '1:23.4'", "sector"),
        (gr, "S2", "nan", "not a time: 'nan'", "sector"),
        (gr, "KPH", "nan", "speed (km/h) is not a number: 'nan'", "speed"),
        (gr, "TOP_SPEED", "inf", "speed (km/h) is not a number: 'inf'", "speed"),
        (gr, "KPH", "1e400", "speed (km/h) is not a number: '1e400'", "speed"),
        (gr, "KPH", "5000", "speed (km/h) out of range (0 to 1000): '5000'", "speed"),
        (f1, "SpeedST", "inf", "speed (km/h) is not a number: 'inf'", "speed"),
        (f1, "SpeedI1", "1e400", "speed (km/h) is not a number", "speed"),
        (f1, "Sector2Time", "nan", "not a time: 'nan'", "sector"),
        (f1, "Time", "nan", "not a time: 'nan'", "sector"),
        (f1, "LapStartTime", "-1 days +23:00:00", "negative time", "sector"),
        (f1, "Position", "2147483648", "Position out of range", "position/counter"),
        (f1, "Position", "nan", "not a number: 'nan'", "position/counter"),
        (f1, "Stint", "inf", "not a number: 'inf'", "position/counter"),
        (f1, "TyreLife", "-1.0", "negative value: '-1.0'", "position/counter"),
        (f1, "DriverNumber", "44a", "not a number: '44a'", "position/counter"),
        (f1, "LapStartDate", "yesterday", "not an ISO 8601 timestamp", "timestamp"),
        (f1, "LapStartDate", "99999-03-05 15:03:38.501", "not an ISO 8601 timestamp", "timestamp"),
        (erg, "position", "2147483648", "position out of range", "position/counter"),
        (erg, "position", "nan", "not a number: 'nan'", "position/counter"),
        (erg, "raceid", "99999", "raceid '99999' is not in races.csv", "position/counter"),
    ]
    for n, (fmt, col, text, fragment, what) in enumerate(others):
        i = f"field_{fmt.name}_{col}_{n}"
        path = write(fmt.place(c, i), set_field(fmt, fmt.lines, fmt.line, col, text))
        c.add(Case(i, f"{what} value", "laps", [path], [Expect(path, fmt.line, label(fmt.header, col), fragment)]))

    structure_cases(c, formats)
    encoding_cases(c, formats)
    jsonl_cases(c, by_name["lapstack_jsonl"])
    lapstack_cases(c, by_name["lapstack_csv"])
    sidecar_cases(c, f1, erg)
    limit_cases(c, gr, erg)
    folder_cases(c, gr, f1)
    quirk_cases(c, gr)


def structure_cases(c: Corpus, formats: list[LapFormat]) -> None:
    for fmt in formats:
        n = fmt.name
        # A field over 131,072 characters: the line limit names it before the csv module would.
        i = f"csv_{n}_long_field"
        path = write(fmt.place(c, i), set_field(fmt, fmt.lines, fmt.line, fmt.time,
                                                ('"' + "x" * LONG + '"') if fmt.delim == "json" else "x" * LONG))
        c.add(Case(i, "field over 131,072 chars", "laps", [path],
                   [Expect(path, fmt.line, LINE_LIMIT_COL, "line is longer than 65,536 bytes")]))
        if fmt.delim == "json":
            continue
        # A stray quote: a quoted field opened and never closed on its line.
        i = f"csv_{n}_stray_quote"
        lines = list(fmt.lines)
        fields = lines[fmt.line - 1].rstrip("\r\n").split(fmt.delim)
        k = fmt.header.index(fmt.time)
        fields[k] = '"' + fields[k].strip('"')
        lines[fmt.line - 1] = fmt.delim.join(fields) + "\n"
        col = len(fmt.delim.join(fields[:k])) + (1 if k else 0) + 1
        path = write(fmt.place(c, i), lines)
        c.add(Case(i, "stray quote", "laps", [path], [Expect(path, fmt.line, col, "unbalanced quote")]))
        # Truncated row, extra field.
        i = f"csv_{n}_truncated_row"
        lines = list(fmt.lines)
        lines[fmt.line - 1] = fmt.delim.join(lines[fmt.line - 1].split(fmt.delim)[:3]) + "\n"
        path = write(fmt.place(c, i), lines)
        c.add(Case(i, "truncated/extra fields", "laps", [path],
                   [Expect(path, fmt.line, 4, "truncated or malformed row")]))
        i = f"csv_{n}_extra_field"
        lines = list(fmt.lines)
        lines[fmt.line - 1] = lines[fmt.line - 1].rstrip("\r\n") + fmt.delim + "surplus\n"
        path = write(fmt.place(c, i), lines)
        c.add(Case(i, "truncated/extra fields", "laps", [path],
                   [Expect(path, fmt.line, len(fmt.header) + 1, f"header has {len(fmt.header)}")]))
        # Header only, empty, blank.
        i = f"csv_{n}_header_only"
        path = write(fmt.place(c, i), fmt.lines[:1])
        c.add(Case(i, "empty/header only", "laps", [path], [Expect(path, 2, 1, "no lap rows")]))
    for n, content in (("empty", ""), ("blank", "  \n\n \r\n")):
        i = f"csv_{n}_file"
        path = write(c.folder(i, "Bahrain") / "laps.csv", content)
        c.add(Case(i, "empty/header only", "laps", [path], [Expect(path, 1, 1, "file is empty")]))
    gr = formats[0]
    i = "csv_gr_cup_wrong_delimiter"
    path = write(gr.place(c, i), [x.replace(";", ",") for x in gr.lines])
    c.add(Case(i, "wrong delimiter/columns", "laps", [path], [Expect(path, 1, 1, "wrong delimiter")]))
    i = "csv_gr_cup_missing_column"
    lines = list(gr.lines)
    lines[0] = lines[0].replace(" LAP_TIME;", " LAPTIME;")
    path = write(gr.place(c, i), lines)
    c.add(Case(i, "wrong delimiter/columns", "laps", [path],
               [Expect(path, 1, len(gr.header) + 1, "missing required column(s) for gr_cup format: LAP_TIME")]))
    i = "csv_unknown_format_explicit"
    path = c.folder(i, "Barber") / "results.csv"
    shutil.copy(c.data / GR_RESULTS, path)
    c.add(Case(i, "wrong delimiter/columns", "laps", [path], [Expect(path, 1, 1, "unknown lap format")]))


def encoding_cases(c: Corpus, formats: list[LapFormat]) -> None:
    gr, f1, lapstack = formats[0], formats[1], formats[3]
    for fmt in (gr, f1, lapstack):
        text = "".join(fmt.lines)
        for key, encode, fragment in ENCODINGS:
            if fmt is lapstack and key not in ("utf16le_bom", "gzip", "zip"):
                continue
            i = f"enc_{fmt.name}_{key}"
            path = write(fmt.place(c, i), encode(text))
            c.add(Case(i, "encoding/compression", "laps", [path], [Expect(path, 1, 1, fragment)]))
        # A Latin-1 byte in a data row: line and byte column of it.
        i = f"enc_{fmt.name}_latin1"
        lines = list(fmt.lines)
        data = "".join(lines[: fmt.line - 1]).encode() + b"Dr\xe9" + "".join(lines[fmt.line - 1:]).encode()
        path = write(fmt.place(c, i), data)
        c.add(Case(i, "encoding/compression", "laps", [path],
                   [Expect(path, fmt.line, 3, "not UTF-8 text: byte 0xE9 (looks like Latin-1")]))
        # A NUL byte mid-row.
        i = f"enc_{fmt.name}_nul"
        data = "".join(lines[: fmt.line - 1]).encode() + b"ab\x00" + "".join(lines[fmt.line - 1:]).encode()
        path = write(fmt.place(c, i), data)
        c.add(Case(i, "binary content", "laps", [path], [Expect(path, fmt.line, 3, "binary content (NUL byte)")]))
    i = "enc_gr_cup_nul_beyond_head"  # past the first 64 KiB: found while reading on (the whole real file)
    lines = c.lines(GR)
    data = "".join(lines[:-1]).encode() + b"\x00" + lines[-1].encode()
    path = write(gr.place(c, i), data)
    c.add(Case(i, "binary content", "laps", [path], [Expect(path, len(lines), 1, "binary content (NUL byte)")]))
    i = "enc_parquet_named_csv"
    buf = io.BytesIO()
    pq.write_table(pa.table({"driver": ["VER"], "lap_number": [1], "lap_time": [99.0]}), buf)
    path = write(c.folder(i, "Bahrain") / "race.csv", buf.getvalue())
    c.add(Case(i, "encoding/compression", "laps", [path], [Expect(path, 1, 1, "file is a Parquet file")]))


def jsonl_cases(c: Corpus, fmt: LapFormat) -> None:
    def case(key: str, line_text: str, column: int | str, fragment: str) -> None:
        i = f"jsonl_{key}"
        lines = list(fmt.lines)
        lines[fmt.line - 1] = line_text + "\n"
        path = write(fmt.place(c, i), lines)
        c.add(Case(i, "JSON Lines", "laps", [path], [Expect(path, fmt.line, column, fragment)]))

    case("invalid", '{"driver": "VER", "lap_number": 1,', 35, "invalid JSON")
    case("array", '["VER", 1, 99.0]', 1, "each JSON line must be one lap object")
    case("huge_int", '{"driver": "VER", "lap_number": ' + "9" * 5000 + ', "lap_time": 99.0}', 1, "invalid JSON")
    case("deep_nesting", '{"driver": ' + "[" * 100_00 + "]" * 100_00 + "}", 1, "invalid JSON")
    case("nul_char", '{"driver": "VE\\u0000R", "lap_number": 1, "lap_time": 99.0}', "1 (driver)", "invalid text")
    case("lone_surrogate", '{"driver": "\\ud800", "lap_number": 1, "lap_time": 99.0}', "1 (driver)", "invalid text")
    case("missing_driver", '{"driver": null, "lap_number": 1, "lap_time": 99.0}', "1 (driver)", "missing driver")


def lapstack_cases(c: Corpus, fmt: LapFormat) -> None:
    header = fmt.header + ["is_pit_in_lap", "season", "event"]
    base = [",".join(header) + "\n"] + [x.rstrip("\r\n") + ",false,2023,Bahrain\n" for x in fmt.lines[1:]]

    def case(key: str, col: str, value: str, fragment: str, line: int = 5, every_row: bool = False) -> None:
        i = f"lapstack_{key}"
        lines = list(base)
        for n in range(2 if every_row else line, (len(lines) if every_row else line) + 1):
            fields = lines[n - 1].rstrip("\r\n").split(",")
            fields[header.index(col)] = value
            lines[n - 1] = ",".join(fields) + "\n"
        line = 2 if every_row else line
        path = write(fmt.place(c, i), lines)
        c.add(Case(i, "lapstack columns", "laps", [path], [Expect(path, line, label(header, col), fragment)]))

    case("bool", "is_pit_in_lap", "maybe", "not a boolean: 'maybe'")
    case("season_text", "season", "20x3", "season must be a year", every_row=True)
    case("season_5_digits", "season", "20233", "season must be a year", every_row=True)
    case("season_overflow", "season", "99999999999", "season must be a year", every_row=True)
    case("season_varies", "season", "2024", "one file must hold one session; season is '2024' here but '2023' above")
    case("event_varies", "event", "Jeddah", "one file must hold one session; event is 'Jeddah' here")
    case("driver_missing", "driver", "", "missing driver")


def sidecar_cases(c: Corpus, f1: LapFormat, erg: LapFormat) -> None:
    """race_info.csv (FastF1), races.csv / drivers.csv / pit_stops.csv (Ergast): errors name the sidecar."""
    def f1_case(key: str, make, expect) -> None:
        i = f"sidecar_race_info_{key}"
        lap_file = write(f1.place(c, i), f1.lines)
        side = lap_file.parent / "race_info.csv"
        line, col, fragment = expect(side.read_text(encoding="utf-8"))
        write(side, make(side.read_text(encoding="utf-8")))
        c.add(Case(i, "sidecar file", "laps", [lap_file], [Expect(side, line, col, fragment)]))

    def latin1(text: str) -> bytes:
        return text.replace("Bahrain Grand Prix", "Grand Prix de Montr\u00e9al").encode("latin-1")

    def latin1_at(text: str) -> tuple[int, int, str]:
        lines = text.splitlines()
        n = next(k for k, x in enumerate(lines) if x.startswith("EventName"))
        return n + 1, len("EventName,Grand Prix de Montr") + 1, "not UTF-8 text: byte 0xE9"

    f1_case("latin1", latin1, latin1_at)
    f1_case("utf16", lambda t: b"\xff\xfe" + t.encode("utf-16-le"), lambda t: (1, 1, "file is UTF-16 LE text"))
    f1_case("gzip", lambda t: gzip.compress(t.encode()), lambda t: (1, 1, "file is gzip-compressed"))
    f1_case("stray_quote", lambda t: t.replace("\nEventName,", '\nEventName,"'),
            lambda t: (next(k for k, x in enumerate(t.splitlines()) if x.startswith("EventName")) + 1,
                       len("EventName,") + 1, "unbalanced quote"))
    f1_case("long_line", lambda t: t.replace("\nEventName,", "\nEventName," + "x" * LONG),
            lambda t: (next(k for k, x in enumerate(t.splitlines()) if x.startswith("EventName")) + 1,
                       LINE_LIMIT_COL, "line is longer than 65,536 bytes"))

    def erg_case(key: str, name: str, edit, expect, kind: str = "sidecar file") -> None:
        i = f"sidecar_{name.split('.')[0]}_{key}"
        lap_file = write(erg.place(c, i), erg.lines)
        side = lap_file.parent / name
        original = side.read_bytes()
        expected = expect(original.decode("utf-8"), side)
        result = edit(original.decode("utf-8"))
        if result is None:
            side.unlink()
        else:
            write(side, result)
        c.add(Case(i, kind, "laps", [lap_file], [expected(lap_file)]))

    def line_of(text: str, prefix: str) -> int:
        return next(k for k, x in enumerate(text.splitlines()) if x.startswith(prefix)) + 1

    # drivers.csv: every "Pérez" in Latin-1; the first one is named.
    def perez(t: str) -> tuple[int, int]:
        n = next(k for k, x in enumerate(t.splitlines()) if "P\u00e9rez" in x)
        return n + 1, t.splitlines()[n].encode().index("P\u00e9rez".encode()) + 2
    erg_case("latin1", "drivers.csv", lambda t: t.encode("utf-8").replace("P\u00e9rez".encode(), b"P\xe9rez"),
             lambda t, side: lambda lap: Expect(side, *perez(t), "not UTF-8 text: byte 0xE9"))
    erg_case("utf16be", "drivers.csv", lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
             lambda t, side: lambda lap: Expect(side, 1, 1, "file is UTF-16 BE text"))
    erg_case("no_key", "drivers.csv", lambda t: t.replace("driverId,", "driver_id,", 1),
             lambda t, side: lambda lap: Expect(side, 1, 10, "missing required column 'driverId'"))
    erg_case("year_text", "races.csv", lambda t: t.replace("\n1031,2020,", "\n1031,20x0,"),
             lambda t, side: lambda lap: Expect(side, line_of(t, "1031,"), "2 (year)", "year is not a year"))
    erg_case("no_name", "races.csv", lambda t: t.replace('"Austrian Grand Prix","2020-07-05"', '"","2020-07-05"'),
             lambda t, side: lambda lap: Expect(side, line_of(t, "1031,"), "5 (name)", "race 1031 has no name"))
    erg_case("missing", "races.csv", lambda t: None,
             lambda t, side: lambda lap: Expect(lap, None, None, "races.csv must sit beside"))
    erg_case("gzip", "races.csv", lambda t: gzip.compress(t.encode()),
             lambda t, side: lambda lap: Expect(side, 1, 1, "file is gzip-compressed"))
    erg_case("long_line", "races.csv", lambda t: t.replace("\n1031,2020,", "\n1031,2020" + "0" * LONG + ","),
             lambda t, side: lambda lap: Expect(side, line_of(t, "1031,"), LINE_LIMIT_COL, "line is longer"))
    def pit_edit(t: str, lap: str | None = None, quote: bool = False) -> str:
        """The first pit stop of race 1031 (the lap file's race): its lap replaced, or a quote opened."""
        lines = t.split("\n")
        n = next(k for k, x in enumerate(lines) if x.startswith("1031,"))
        fields = lines[n].split(",")
        if lap is not None:
            fields[3] = lap
        if quote:
            fields[1] = '"' + fields[1]
        lines[n] = ",".join(fields)
        return "\n".join(lines)
    erg_case("lap_nan", "pit_stops.csv", lambda t: pit_edit(t, "nan"),
             lambda t, side: lambda lap: Expect(side, line_of(t, "1031,"), "4 (lap)", "not a number: 'nan'"))
    erg_case("lap_fraction", "pit_stops.csv", lambda t: pit_edit(t, "1.5"),
             lambda t, side: lambda lap: Expect(side, line_of(t, "1031,"), "4 (lap)",
                                                "not an integer (digits only): '1.5'"))
    erg_case("stray_quote", "pit_stops.csv", lambda t: pit_edit(t, quote=True),
             lambda t, side: lambda lap: Expect(side, line_of(t, "1031,"), 6, "unbalanced quote"))


def limit_cases(c: Corpus, gr: LapFormat, erg: LapFormat) -> None:
    i = "limit_dev_zero"
    c.add(Case(i, "size/line limits", "laps", ["/dev/zero"], [Expect("/dev/zero", 1, 1, "binary content (NUL byte)")]))
    i = "limit_file_size"  # the limit lowered to 1 MiB for this case; the full real Ergast dump is 3.6 MB
    lap_file = erg.place(c, i)
    shutil.copy(c.data / ERGAST / "lap_times_2020_2024.csv", lap_file)
    c.add(Case(i, "size/line limits", "laps", [lap_file], [Expect(lap_file, None, None, "file is larger than 1 MiB")],
               patch={"MAX_LAP_FILE_BYTES": 1 << 20}))
    i = "limit_header_line"
    lines = list(gr.lines)
    lines[0] = lines[0].rstrip("\r\n") + ";" + "X" * LONG + "\n"
    path = write(gr.place(c, i), lines)
    c.add(Case(i, "size/line limits", "laps", [path], [Expect(path, 1, LINE_LIMIT_COL, "line is longer")]))
    i = "limit_last_line"
    lines = c.lines(GR)
    lines[-1] = lines[-1].rstrip("\r\n") + "X" * LONG
    path = write(gr.place(c, i), lines)
    c.add(Case(i, "size/line limits", "laps", [path], [Expect(path, len(lines), LINE_LIMIT_COL, "line is longer")]))
    if hasattr(os, "mkfifo"):  # an endless text stream without a newline (like `yes | tr -d '\n'`)
        i = "limit_endless_stream"
        fifo = c.folder(i, "Barber", "Race 1") / "stream.csv"
        os.mkfifo(fifo)

        def writer(path: Path = fifo) -> None:
            def run() -> None:
                try:
                    with open(path, "wb") as fh:
                        for _ in range(4096):  # up to 256 MiB; the reader stops after ~1 MiB
                            fh.write(b"NUMBER;LAP_NUMBER;" * 3641)
                except (BrokenPipeError, OSError):
                    pass
            threading.Thread(target=run, daemon=True).start()
        c.add(Case(i, "size/line limits", "laps", [fifo], [Expect(fifo, 1, LINE_LIMIT_COL, "line is longer")],
                   setup=writer))


def folder_cases(c: Corpus, gr: LapFormat, f1: LapFormat) -> None:
    i = "folder_skips_only"
    root = c.folder(i, "Barber")
    (root / "x.csv").mkdir()
    shutil.copy(c.data / GR_RESULTS, root / "results.csv")
    write(root / "README.md", "notes\n")
    write(root / "laps.csv.gz", gzip.compress("".join(gr.lines).encode()))
    write(root / "laps_utf16.csv", b"\xff\xfe" + "".join(gr.lines).encode("utf-16-le"))
    write(root / "empty.csv", "")
    c.add(Case(i, "folder walk", "laps", [root], skipped=[
        (root / "README.md", "not a .csv/.json/.jsonl file"),
        (root / "empty.csv", "not a lap file: line 1, column 1: file is empty"),
        (root / "laps.csv.gz", "not a .csv/.json/.jsonl file"),
        (root / "laps_utf16.csv", "not a lap file: line 1, column 1: file is UTF-16 LE text (BOM FF FE)"),
        (root / "results.csv", "not a lap file: line 1, column 1: unknown lap format"),
        (root / "x.csv", "is a folder named like a file (.csv); its files are searched"),
    ]))
    i = "folder_bad_lap_file"
    root = c.folder(i, "Barber")
    bad = write(c.folder(i, "Barber", "Race 1") / Path(GR).name, set_field(gr, gr.lines, 7, "LAP_NUMBER", "nan"))
    shutil.copy(c.data / GR_RESULTS, root / "results.csv")
    c.add(Case(i, "folder walk", "laps", [root], [Expect(bad, 7, "3 (LAP_NUMBER)", "not a number: 'nan'")],
               skipped=[(root / "results.csv", "unknown lap format")]))
    i = "folder_named_csv_explicit"  # a folder called laps.csv given explicitly is walked, not read
    root = c.folder(i, "laps.csv")
    bad = write(root / "Sakhir laps.csv", set_field(f1, f1.lines, 7, "LapTime", "nan"))
    c.add(Case(i, "folder walk", "laps", [root], [Expect(bad, 7, "5 (LapTime)", "not a time: 'nan'")]))
    i = "folder_missing_path"
    missing = c.root / i / "nope.csv"
    c.add(Case(i, "folder walk", "laps", [missing], [Expect(missing, None, None, "no such file or folder")]))


def quirk_cases(c: Corpus, gr: LapFormat) -> None:
    """Real quirks load (and count): BOM, CRLF, CR-only line ends, lap 32768."""
    rows = len(gr.lines) - 1
    variants = [
        ("bom_crlf", "\ufeff" + "".join(x.rstrip("\r\n") + "\r\n" for x in gr.lines)),
        ("cr_only", "".join(x.rstrip("\r\n") + "\r" for x in gr.lines)),
        ("lost_counter", "".join(set_field(gr, gr.lines, 9, "LAP_NUMBER", "32768"))),
    ]
    for key, text in variants:
        i = f"quirk_{key}"  # each in its own event folder: three files of one session would be refused
        path = write(c.folder(i, f"Barber {key}", "Race 1") / Path(GR).name, text)
        c.add(Case(i, "real quirk (loads)", "laps", [path], rows={"gr_cup_laps": rows, "sessions": 1}, batches=1))


# --- telemetry ------------------------------------------------------------------------------------------------


def telemetry_cases(c: Corpus) -> None:
    f1_lines = c.lines(VEGAS1, 300)
    f1_header = [h.strip() for h in f1_lines[0].rstrip("\r\n").split(",")]
    gr_lines = c.lines(GR_TEL, 300)
    gr_header = gr_lines[0].rstrip("\r\n").split(",")

    def f1_path(i: str) -> Path:
        return c.folder(i, "2023", "Las Vegas") / "1_telemetry.csv"

    def gr_path(i: str) -> Path:
        return c.folder(i, "Barber", "Race 1") / "R1_barber_telemetry.csv"

    def edit(lines: list[str], line: int, header: list[str], col: str, value: str) -> list[str]:
        out = list(lines)
        fields = out[line - 1].rstrip("\r\n").split(",")
        fields[header.index(col)] = value
        out[line - 1] = ",".join(fields) + "\n"
        return out

    def channel_value_cases(kind: str, values: list[tuple[str, str, str]], lines: list[str], line: int,
                            header: list[str], path_for) -> None:
        """One case per (column, bad value, expected message): the value written into `line` of the file."""
        for n, (col, value, fragment) in enumerate(values):
            i = f"tel_{kind}_{col}_{n}"
            path = write(path_for(i), edit(lines, line, header, col, value))
            c.add(Case(i, "telemetry channel value", "telemetry", [path],
                       [Expect(path, line, label(header, col), fragment)]))

    f1_values = [
        ("Speed", "nan", "not a finite number: 'nan'"), ("Speed", "inf", "not a finite number: 'inf'"),
        ("Speed", "1e400", "not a finite number: '1e400'"), ("Speed", "-inf", "not a finite number"),
        ("Speed", "fast", "not a number: 'fast'"), ("RPM", "Infinity", "not a finite number"),
        ("Throttle", "1e400", "not a finite number"), ("nGear", "2147483648", "out of the 32-bit integer range"),
        ("nGear", "3.5", "not a whole number: '3.5'"), ("nGear", "nan", "not a finite number: 'nan'"),
        ("DRS", "1e400", "not a finite number"), ("Brake", "maybe", "not a boolean"),
        ("Date", "yesterday", "not an ISO 8601 timestamp"), ("Date", "", "missing Date"),
        ("SessionTime", "nan", "not a timedelta"),
    ]
    channel_value_cases("fastf1", f1_values, f1_lines, 150, f1_header, f1_path)
    gr_values = [
        ("telemetry_value", "nan", "not a finite number: 'nan'"), ("telemetry_value", "inf", "not a finite number"),
        ("telemetry_value", "1e400", "not a finite number"), ("telemetry_value", "n/a", "not a number: 'n/a'"),
        ("lap", "2147483648", "out of the 32-bit integer range"), ("lap", "two", "not a whole number"),
        ("vehicle_number", "inf", "not a car number: 'inf'"), ("timestamp", "noon", "not an ISO 8601 timestamp"),
        ("telemetry_name", "warp_drive", "unknown channel 'warp_drive'"), ("vehicle_id", "", "missing vehicle_id"),
    ]
    channel_value_cases("grlong", gr_values, gr_lines, 120, gr_header, gr_path)

    # Canonical lapstack CSV: the direct DuckDB path, falling back to the chunked one for the exact position.
    canon = ["driver,sample_time,speed,gear,brake\n"]
    for line in f1_lines[1:]:
        f = line.rstrip("\r\n").split(",")
        canon.append(f"1,{f[1]},{f[3]},{f[4]},{f[6]}\n")
    canon_header = canon[0].rstrip("\r\n").split(",")

    def canon_path(i: str) -> Path:
        return c.folder(i, "2023", "Las Vegas") / "race.csv"
    canon_values = [
        ("speed", "nan", "not a finite number: 'nan'"), ("speed", "1e400", "not a finite number"),
        ("speed", "inf", "not a finite number"), ("gear", "2147483648", "cannot be read as int32"),
        ("brake", "maybe", "not a boolean"), ("driver", "", "missing driver"),
        ("sample_time", "noon", "not an ISO 8601 timestamp"),
    ]
    channel_value_cases("canonical", canon_values, canon, 100, canon_header, canon_path)
    i = "tel_canonical_unknown_column"
    path = write(canon_path(i), [canon[0].replace("gear", "boost")] + canon[1:])
    c.add(Case(i, "telemetry structure", "telemetry", [path], [Expect(path, 1, "4 (boost)", "unknown channel")]))

    # Parquet.
    table = pa.table({"driver": ["1"] * (len(canon) - 1),
                      "sample_time": pa.array([x.split(",")[1] for x in canon[1:]]).cast(pa.timestamp("us")),
                      "speed": pa.array([float(x.split(",")[2]) for x in canon[1:]]),
                      "gear": pa.array([int(x.split(",")[3]) for x in canon[1:]], pa.int64())})

    def parquet_case(key: str, tbl: pa.Table | bytes, expect) -> None:
        i = f"tel_parquet_{key}"
        path = c.folder(i, "2023", "Las Vegas") / "race.parquet"
        if isinstance(tbl, bytes):
            write(path, tbl)
        else:
            pq.write_table(tbl, path)
        c.add(Case(i, "telemetry Parquet", "telemetry", [path], [expect(path)]))

    def with_value(name: str, row: int, value) -> pa.Table:
        values = table.column(name).to_pylist()
        values[row - 1] = value
        return table.set_column(table.schema.get_field_index(name), name,
                                pa.array(values, table.schema.field(name).type))
    parquet_case("nan", with_value("speed", 50, float("nan")), lambda p: Expect(p, 50, "3 (speed)", "not a finite"))
    parquet_case("inf", with_value("speed", 60, float("inf")), lambda p: Expect(p, 60, "3 (speed)", "not a finite"))
    parquet_case("gear_overflow", with_value("gear", 10, 1 << 40),
                 lambda p: Expect(p, 10, "4 (gear)", "cannot be read as int32"))
    parquet_case("driver_null", with_value("driver", 5, None), lambda p: Expect(p, 5, "1 (driver)", "missing driver"))
    good = io.BytesIO()
    pq.write_table(table, good)
    parquet_case("truncated", good.getvalue()[: len(good.getvalue()) // 2],
                 lambda p: Expect(p, None, None, "not a readable Parquet file"))
    parquet_case("gzip", gzip.compress(good.getvalue()), lambda p: Expect(p, 1, 1, "file is gzip-compressed"))
    parquet_case("csv_text", "".join(canon).encode(), lambda p: Expect(p, None, None, "not a readable Parquet file"))
    parquet_case("unknown_column", table.rename_columns(["driver", "sample_time", "speed", "boost"]),
                 lambda p: Expect(p, 1, "4 (boost)", "unknown channel"))

    # Structure, encodings and limits, on the FastF1 car file.
    text = "".join(f1_lines)
    for key, encode, fragment in ENCODINGS:
        if key in ("utf32be_bom", "utf16be_nobom", "ole_excel"):
            continue
        i = f"tel_enc_{key}"
        path = write(f1_path(i), encode(text))
        c.add(Case(i, "telemetry encoding/compression", "telemetry", [path], [Expect(path, 1, 1, fragment)]))
    i = "tel_enc_latin1"
    path = write(f1_path(i), "".join(f1_lines[:99]).encode() + f1_lines[99].replace(",car,", ",c\u00e4r,")
                 .encode("latin-1") + "".join(f1_lines[100:]).encode())
    col = f1_lines[99].index(",car,") + 3
    c.add(Case(i, "telemetry encoding/compression", "telemetry", [path],
               [Expect(path, 100, col, "not UTF-8 text: byte 0xE4")]))
    i = "tel_enc_header_latin1"
    path = write(f1_path(i), f1_lines[0].replace("Source", "S\u00f6urce").encode("latin-1")
                 + "".join(f1_lines[1:]).encode())
    c.add(Case(i, "telemetry encoding/compression", "telemetry", [path],
               [Expect(path, 1, f1_lines[0].index("Source") + 2, "not UTF-8 text: byte 0xF6")]))
    i = "tel_dev_zero"
    c.add(Case(i, "size/line limits", "telemetry", ["/dev/zero"],
               [Expect("/dev/zero", 1, 1, "binary content (NUL byte)")]))
    i = "tel_long_line"
    lines = list(f1_lines)
    lines[200] = lines[200].rstrip("\r\n").replace(",car,", ",c" + "a" * LONG + "r,") + "\n"
    path = write(f1_path(i), lines)
    c.add(Case(i, "field over 131,072 chars", "telemetry", [path],
               [Expect(path, 201, LINE_LIMIT_COL, "line is longer than 65,536 bytes")]))
    i = "tel_long_header"
    path = write(f1_path(i), [f1_lines[0].rstrip("\r\n") + "," + "X" * LONG + "\n"] + f1_lines[1:])
    c.add(Case(i, "size/line limits", "telemetry", [path], [Expect(path, 1, LINE_LIMIT_COL, "line is longer")]))
    i = "tel_stray_quote"
    lines = list(f1_lines)
    lines[180] = lines[180].replace(",car,", ',"car,')
    path = write(f1_path(i), lines)
    c.add(Case(i, "stray quote", "telemetry", [path],
               [Expect(path, 181, lines[180].index('"') + 1, "unbalanced quote")]))
    i = "tel_canonical_stray_quote"
    lines = list(canon)
    lines[90] = '"' + lines[90]
    path = write(canon_path(i), lines)
    c.add(Case(i, "stray quote", "telemetry", [path], [Expect(path, 91, 1, "unbalanced quote")]))
    i = "tel_truncated_row"
    lines = list(f1_lines)
    lines[250] = ",".join(lines[250].split(",")[:4]) + "\n"
    path = write(f1_path(i), lines)
    c.add(Case(i, "truncated/extra fields", "telemetry", [path], [Expect(path, 251, 5, "truncated")]))
    i = "tel_extra_field"
    lines = list(f1_lines)
    lines[250] = lines[250].rstrip("\r\n") + ",1\n"
    path = write(f1_path(i), lines)
    c.add(Case(i, "truncated/extra fields", "telemetry", [path], [Expect(path, 251, 12, "too many fields")]))
    i = "tel_backwards"
    lines = list(f1_lines)
    lines[200], lines[201] = lines[201], lines[200]
    path = write(f1_path(i), lines)
    c.add(Case(i, "telemetry order", "telemetry", [path], [Expect(path, 202, "Date", "backwards")]))
    i = "tel_duplicate"
    lines = list(f1_lines)
    lines.insert(101, lines[100])
    path = write(f1_path(i), lines)
    c.add(Case(i, "telemetry order", "telemetry", [path], [Expect(path, 102, "Date", "duplicate sample")]))
    for key, content, fragment, line in (("empty", "", "file is empty", 1), ("header_only", f1_lines[0],
                                                                            "no telemetry rows", 2)):
        i = f"tel_{key}"
        path = write(f1_path(i), content)
        c.add(Case(i, "empty/header only", "telemetry", [path], [Expect(path, line, 1, fragment)]))
    i = "tel_wrong_delimiter"
    path = write(f1_path(i), [x.replace(",", ";") for x in f1_lines])
    c.add(Case(i, "wrong delimiter/columns", "telemetry", [path], [Expect(path, 1, 1, "wrong delimiter")]))
    i = "tel_unknown_format"
    path = c.folder(i, "2023", "Las Vegas") / "results.csv"
    shutil.copy(c.data / "f1_2023_fastf1/21_Las Vegas/results.csv", path)
    c.add(Case(i, "wrong delimiter/columns", "telemetry", [path], [Expect(path, 1, 1, "unknown telemetry format")]))

    # GR Cup ECU lap events.
    ev_lines = c.lines(LAP_START, 100)
    ev_header = ev_lines[0].rstrip("\r\n").split(",")

    def ev_case(key: str, col: str, value: str, fragment: str, column: str | None = None) -> None:
        i = f"tel_events_{key}"
        lines = edit(ev_lines, 40, ev_header, col, value)
        if col == "vehicle_id":  # the number is read from the id only when vehicle_number is empty
            lines = edit(lines, 40, ev_header, "vehicle_number", "")
        path = write(c.folder(i, "Barber", "Race 1") / "R1_barber_lap_start.csv", lines)
        c.add(Case(i, "lap event value", "telemetry", [path],
                   [Expect(path, 40, column or label(ev_header, col), fragment)]))
    ev_case("lap_nan", "lap", "nan", "not a number: 'nan'")
    ev_case("lap_overflow", "lap", "2147483648", "lap number out of range")
    ev_case("lap_float_text", "lap", "4.0", "not an integer (digits only)")
    ev_case("timestamp_text", "timestamp", "soon", "not an ISO 8601 timestamp")
    ev_case("timestamp_basic_iso", "timestamp", "20250906T184041", "not an ISO 8601 timestamp")
    ev_case("vehicle_id", "vehicle_id", "GR86-002-xyz", "no car number in vehicle id", "vehicle_id")
    ev_case("vehicle_number_inf", "vehicle_number", "inf", "no car number", "vehicle_id")
    cota = c.lines(COTA_LAP_TIME, 100)
    cota_header = [h.strip('"') for h in cota[0].rstrip("\r\n").split(",")]
    for key, value, fragment in (("inf", "inf", "lap time (ms) is not a number: 'inf'"),
                                 ("1e400", "1e400", "lap time (ms) is not a number")):
        i = f"tel_events_value_{key}"
        path = write(c.folder(i, "COTA", "Race 1") / "COTA_lap_time_R1.csv",
                     edit(cota, 30, cota_header, "value", value))
        c.add(Case(i, "lap event value", "telemetry", [path],
                   [Expect(path, 30, label(cota_header, "value"), fragment)]))
    i = "tel_events_gzip"
    path = write(c.folder(i, "Barber", "Race 1") / "R1_barber_lap_start.csv", gzip.compress("".join(ev_lines).encode()))
    c.add(Case(i, "telemetry encoding/compression", "telemetry", [path], [Expect(path, 1, 1, "gzip-compressed")]))
    i = "tel_events_stray_quote"
    lines = list(cota)
    lines[20] = lines[20].replace('"kafka:gr-raw",', '"kafka:gr-raw,', 1)
    path = write(c.folder(i, "COTA", "Race 1") / "COTA_lap_time_R1.csv", lines)
    c.add(Case(i, "stray quote", "telemetry", [path], [Expect(path, 21, 1, "unbalanced quotes")]))

    # Folder walk: what is not telemetry is reported skipped, with the reason; exit 0.
    i = "tel_folder_skips"
    root = c.folder(i, "2023", "Las Vegas")
    shutil.copy(c.data / F1 / "laps.csv", root / "laps.csv")
    (root / "x.csv").mkdir()
    write(root / "notes.txt", "notes\n")
    c.add(Case(i, "folder walk", "telemetry", [root.parent], skipped=[
        (root / "laps.csv", "not a telemetry or lap event file: line 1, column 1: unknown telemetry format"),
        (root / "notes.txt", "not a .csv/.parquet file"),
        (root / "x.csv", "is a folder named like a file"),
    ]))


def build(data: Path, root: Path) -> list[Case]:
    corpus = Corpus(data, root)
    lap_cases(corpus)
    telemetry_cases(corpus)
    return corpus.cases
