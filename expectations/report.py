"""The HTML report: GX Data Docs in `reports/quality/`, with a static lapstack summary on index.html.

GX's own index table is drawn by JavaScript loaded from CDNs; the summary injected at the top is
plain HTML, so the verdict, the flagged glitches and their example rows read fine offline too.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

from expectations.results import QualityRun, SuiteResult

GENERATED = ("validations", "expectations", "static", "index.html", "quality_run.json")
ANCHOR = '<div class="container-fluid pt-4 pb-4 pl-5 pr-5">'
SHOWN_EXAMPLES = 5


def reset(report_dir: Path) -> None:
    """Drop the previous run's pages (only what we generate), so index.html lists this run alone."""
    report_dir.mkdir(parents=True, exist_ok=True)
    for name in GENERATED:
        target = report_dir / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()


def suite_pages(report_dir: Path, run: QualityRun) -> None:
    for suite in run.suites:
        pages = sorted((report_dir / "validations" / suite.suite).rglob("*.html"))
        suite.report_path = str(pages[-1]) if pages else None


def _examples(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return ""
    shown = rows[:SHOWN_EXAMPLES]
    cols = list(dict.fromkeys(k for row in shown for k in row))
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in cols) + "</tr>"
                   for r in shown)
    return f'<table class="table table-sm table-bordered lapstack-examples"><tr>{head}</tr>{body}</table>'


def _suite_row(suite: SuiteResult, report_dir: Path) -> str:
    colour = {"passed": "success", "not_present": "secondary"}.get(
        suite.status, "danger" if suite.severity == "critical" else "warning")
    link = html.escape(suite.suite)
    if suite.report_path:
        rel = Path(suite.report_path).relative_to(report_dir).as_posix()
        link = f'<a href="{html.escape(rel)}">{link}</a>'
    failed = "".join(
        f"<li><b>{html.escape(e.check)}</b> ({html.escape(e.expectation_type)}): "
        f"{e.unexpected_count} unexpected of {e.element_count}"
        f"{(' - ' + html.escape(e.exception)) if e.exception else ''}{_examples(e.examples)}</li>"
        for e in suite.failed_checks)
    detail = f"<ul>{failed}</ul>" if failed else html.escape(suite.message)
    return (f'<tr class="table-{colour}"><td>{link}</td><td>{html.escape(suite.table)}</td>'
            f"<td>{suite.severity}</td><td>{suite.status}</td><td>{suite.rows_validated}</td><td>{detail}</td></tr>")


def summary_html(run: QualityRun, report_dir: Path) -> str:
    verdict = ("PASSED" if run.success else f"FAILED: {len(run.critical_failures)} critical suite(s)")
    rows = "".join(_suite_row(s, report_dir) for s in run.suites)
    return (
        f'<div id="lapstack-summary" class="mb-4"><h2>lapstack data quality: {verdict}</h2>'
        f"<p>target <b>{html.escape(run.target)}</b>, run {html.escape(run.started_at)} UTC, "
        f"{len(run.suites)} suites, {len(run.warnings)} warning(s), {run.seconds:.1f} s. "
        "Critical failures make <code>lapstack quality</code> exit 1; warnings flag real-world glitches "
        "that are kept and excluded from racing laps.</p>"
        '<table class="table table-sm"><tr><th>suite</th><th>table</th><th>severity</th><th>status</th>'
        f"<th>rows</th><th>failed expectations (examples)</th></tr>{rows}</table></div>")


def write(context: Any, run: QualityRun, report_dir: Path, site_name: str) -> Path:
    context.build_data_docs(site_names=[site_name])
    suite_pages(report_dir, run)
    index = report_dir / "index.html"
    summary = summary_html(run, report_dir)
    text = index.read_text() if index.exists() else f"<html><body>{ANCHOR}</div></body></html>"
    if ANCHOR not in text:  # a GX template change: keep its page and put the summary first
        text = text.replace("<body>", "<body>" + ANCHOR + "</div>", 1)
    index.write_text(text.replace(ANCHOR, ANCHOR + summary, 1))
    run.write_json(report_dir / "quality_run.json")
    return index
