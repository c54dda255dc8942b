"""`lapstack report` on real sessions: one GR Cup race and one F1 2023 race (with two cars' telemetry),
each loaded from the real files, rendered to HTML and drawn by headless Chromium.

Checks the charts are really drawn: one <img> per chart the session supports, each a PNG of the report
width with real pixel variance; the charts a session cannot have carry a "not available" note; a Chromium
screenshot of every page is not blank. A second test adds the columns another branch is adding to
fct_laps (`position`, `stint`, `compound`, `track_status`, filled from the same real laps.csv) and checks
the report switches to them.
"""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from core.settings import CI
from tests.conftest import dbt
from tests.private_warehouse import private_duckdb
from tests.test_telemetry_support import VEGAS, VEGAS_SESSION, load, load_laps

# One worker builds the module's warehouse once and runs its tests (pytest -n 2 --dist loadgroup).
pytestmark = pytest.mark.xdist_group("session_report")

GR_RACE = "gr_cup/barber/23_AnalysisEnduranceWithSections_Race 1_Anonymized.CSV"
GR_SESSION = "gr_cup-2025-barber-race_1"
ALL_CHARTS = {"lap_times", "sectors", "race_trace", "positions", "stints", "speed_trace"}
EXPECTED = {  # chart -> drawn? (GR Cup sample telemetry has no lap numbers: no speed trace)
    GR_SESSION: ALL_CHARTS - {"speed_trace"},
    VEGAS_SESSION: ALL_CHARTS,
}
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
WIDTH = 1300


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if CI.get():
        pytest.fail("no Chromium found (CI=true: .ci/run installs the `chromium` package; this must not skip)")
    pytest.skip("no headless Chromium installed (apt-get install -y chromium); CI installs it")


class _Charts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.images: dict[str, dict[str, str]] = {}
        self.missing: set[str] = set()
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "img" and "data-chart" in a:
            self.images[a["data-chart"]] = a
        if "data-chart-missing" in a:
            self.missing.add(a["data-chart-missing"])
        for key in ("src", "href"):
            if a.get(key, "").startswith(("http:", "https:", "//")):
                self.external.append(a[key])
        if tag in ("script", "link"):
            self.external.append(tag)


@pytest.fixture(scope="module")
def warehouse(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    tmp = tmp_path_factory.mktemp("session_report")
    with private_duckdb(tmp):
        load_laps(data_dir / GR_RACE)
        load_laps(data_dir / VEGAS / "laps.csv")
        _, errors = load([data_dir / VEGAS / f"{n}_telemetry.csv" for n in (1, 14)])
        assert not errors, errors
        dbt("run")
        yield tmp


def _report(session: str, out: Path) -> Path:
    from commands.cli import main

    assert main(["report", session, "--out", str(out)]) == 0
    path = out / f"{session}.html"
    assert path.is_file()
    return path


def _check_png(key: str, attrs: dict[str, str]) -> Image.Image:
    src = attrs["src"]
    assert src.startswith("data:image/png;base64,"), key
    image = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1])))
    image.load()
    assert image.format == "PNG"
    assert image.width == WIDTH, (key, image.size)
    assert 450 <= image.height <= 1600, (key, image.size)
    assert (int(attrs["width"]), int(attrs["height"])) == image.size
    pixels = np.asarray(image.convert("RGB"), dtype=float)
    assert pixels.std() > 20, f"{key}: nearly blank (std {pixels.std():.1f})"
    non_white = (pixels.min(axis=2) < 235).mean()
    assert non_white > 0.04, f"{key}: only {non_white:.1%} of the pixels are drawn"
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50, f"{key}: too few colours for a chart"
    return image


def _screenshot(browser: str, page: Path, shot: Path, height: int) -> np.ndarray:
    # The page is a local file: Chromium's own background traffic (updates, metrics, sync) stays off, and any
    # request that would still leave goes to a dead loopback proxy, never beyond 127.0.0.1.
    offline = ["--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-domain-reliability", "--disable-breakpad", "--no-default-browser-check",
               "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>"]
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", *offline,
           f"--user-data-dir={shot.parent / 'chromium-profile'}", f"--screenshot={shot}",
           f"--window-size=1440,{height}", page.resolve().as_uri()]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "HOME": str(shot.parent)})
    assert shot.is_file(), f"chromium wrote no screenshot: {result.stderr[-2000:]}"
    return np.asarray(Image.open(shot).convert("RGB"), dtype=float)


@pytest.mark.slow
def test_reports_of_real_races_draw_every_chart(warehouse: Path, tmp_path: Path) -> None:
    from commands.cli import main

    browser = _browser()
    out = tmp_path / "reports"
    single = _report(GR_SESSION, tmp_path / "single")  # `lapstack report SESSION`
    # `lapstack report --all`: one page per session and an index linking them.
    assert main(["report", "--all", "--out", str(out)]) == 0
    assert single.read_bytes().count(b"data:image/png;base64,") == len(EXPECTED[GR_SESSION])
    index = (out / "index.html").read_text(encoding="utf-8")
    for session in EXPECTED:
        assert f'href="{session}.html"' in index
    assert "Las Vegas Grand Prix" in index and "barber" in index and "1:35.490" in index  # PIA's fastest lap
    for session, drawn in EXPECTED.items():
        page = out / f"{session}.html"
        text = page.read_text(encoding="utf-8")
        parsed = _Charts()
        parsed.feed(text)
        assert not parsed.external, f"{session}: the report must be offline, found {parsed.external}"
        assert set(parsed.images) == drawn, (session, sorted(parsed.images))
        assert parsed.missing == ALL_CHARTS - drawn, (session, parsed.missing)
        for key, attrs in parsed.images.items():
            _check_png(key, attrs)
        assert text.count("not available for this session") == len(parsed.missing)
        assert "Results and fastest laps" in text and "1:3" in text  # the summary table with lap times
        # A page a browser draws: the screenshot holds the charts (many colours), not an empty page.
        heights = sum(int(a["height"]) for a in parsed.images.values())
        shot = _screenshot(browser, page, tmp_path / f"{session}.png", min(heights + 1800, 9000))
        assert shot.std() > 15, f"{session}: blank screenshot"
        colours = len(np.unique(shot[::2, ::2].astype(np.uint8).reshape(-1, 3), axis=0))
        assert colours > 500, f"{session}: screenshot has {colours} colours, charts not drawn"
        background = np.all(np.abs(shot - shot[5, 5]) < 3, axis=2).mean()
        assert background < 0.8, f"{session}: {background:.0%} of the screenshot is background"

    # The F1 speed trace says honestly how the laps are aligned: Las Vegas has no distance channel.
    f1 = (out / f"{VEGAS_SESSION}.html").read_text(encoding="utf-8")
    # Either fct_telemetry's distance (integrated and anchored in dbt) or the report's own integration, said so.
    assert ("Aligned on the telemetry&#x27;s distance channel." in f1
            or "Aligned on distance integrated from speed" in f1)



@pytest.mark.slow
def test_report_uses_timing_columns_when_the_marts_have_them(warehouse: Path, data_dir: Path) -> None:
    """Add position / stint / compound / track_status to fct_laps from the real laps.csv (what the other
    branch's columns carry) and the report switches from derived values to them."""
    import duckdb

    from orchestration.report import REPORT_STYLE, render_session
    from orchestration.report.data import load_session
    from orchestration.report.derive import lap_status, race_table, stints

    laps = pd.read_csv(data_dir / VEGAS / "laps.csv", index_col=0)
    laps["track_status"] = [lap_status(str(v).split(".")[0]) if pd.notna(v) else None for v in laps["TrackStatus"]]
    extra = laps[["Driver", "LapNumber", "Position", "Stint", "Compound", "track_status"]].copy()
    extra.columns = ["driver", "lap_number", "position", "stint", "compound", "track_status"]
    db = duckdb.connect(str(warehouse / "lapstack.duckdb"))
    try:
        db.register("extra", extra)
        db.execute("create table marts.fct_laps_backup as select * from marts.fct_laps")
        for col, kind in (("position", "integer"), ("stint", "integer"), ("compound", "varchar"),
                          ("track_status", "varchar")):
            db.execute(f"alter table marts.fct_laps add column if not exists {col} {kind}")  # dbt may have it
            db.execute(f"update marts.fct_laps f set {col} = e.{col} from extra e where f.session_id = ? "
                       "and f.driver = e.driver and f.lap_number = e.lap_number", (VEGAS_SESSION,))
    finally:
        db.close()
    try:
        from core.warehouse import connect

        wh = connect()
        try:
            data = load_session(wh, VEGAS_SESSION, telemetry=False)
            assert {"position", "stint", "compound", "track_status"} <= data.lap_columns
            table = race_table(data)
            assert table is not None and not table.derived
            final = table.frame.sort_values("lap_number").groupby("driver").tail(1)
            assert final.set_index("driver").loc["VER", "position"] == 1  # Verstappen won Las Vegas 2023
            frame, source = stints(data)
            assert source == "fct_laps.compound" and set(frame["compound"].dropna()) <= {"SOFT", "MEDIUM", "HARD"}
            result = render_session(wh, VEGAS_SESSION, REPORT_STYLE, only=("stints", "positions"))
        finally:
            wh.close()
        captions = {c.key: c.caption for c in result.charts}
        assert all(c.png for c in result.charts), [c.note for c in result.charts]
        assert "by tyre compound" in captions["stints"]
        assert "as timed" in captions["positions"]
    finally:
        db = duckdb.connect(str(warehouse / "lapstack.duckdb"))
        try:
            db.execute("drop table marts.fct_laps")
            db.execute("alter table marts.fct_laps_backup rename to fct_laps")
        finally:
            db.close()


def test_unavailable_charts_explain_why_and_labels_never_overlap() -> None:
    from orchestration.report.charts.common import spread_labels
    from orchestration.report.derive import lap_status

    assert [lap_status(v) for v in ("1", "2", "24", "671", "45", "GF", "FCY", "FF", None)] == [
        "green", "yellow", "sc", "vsc", "red", "green", "fcy", "green", "green"]
    placed = spread_labels([0.0, 0.1, 0.1, 10.0, 10.0, 10.0], 1.0, 0.0, 10.0)
    assert sorted(placed) == pytest.approx([0, 1, 2, 8, 9, 10])
    assert min(np.diff(sorted(placed))) >= 1.0 - 1e-9


def test_driver_colours_are_stable_and_follow_teams() -> None:
    from orchestration.report.palette import DISTINCT, driver_styles

    order = ["VER", "PER", "HAM", "RUS", "X1"]
    teams = {"VER": "Red Bull Racing", "PER": "Red Bull Racing", "HAM": "Mercedes", "RUS": "Mercedes"}
    styles = driver_styles(order, teams)
    assert styles["VER"].colour == styles["PER"].colour != styles["HAM"].colour == styles["RUS"].colour
    assert (styles["VER"].linestyle, styles["PER"].linestyle) == ("-", "--")
    assert styles["X1"].colour == DISTINCT[0]  # no team: the deterministic palette
    assert driver_styles(order, teams) == styles
    many = driver_styles([str(n) for n in range(30)])
    assert len({(s.colour, s.linestyle) for s in many.values()}) == 30  # 30 GR Cup cars, no two alike
