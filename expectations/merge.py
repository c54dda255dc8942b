"""Add up GX results of one suite over several chunks, as if GX had seen the whole table at once.

Exact for the expectations lapstack partitions (row-wise checks, and uniqueness keyed within one
partition): counts add, example lists are capped, percentages are recomputed from the totals.
"""

from __future__ import annotations

from typing import Any

SUMMED = ("element_count", "unexpected_count", "missing_count")
LISTS = ("partial_unexpected_list", "unexpected_list", "unexpected_index_list", "partial_unexpected_index_list")
GX_EXAMPLES = 200  # examples kept per expectation before the report picks a diverse 20
DROPPED = ("partial_unexpected_counts", "unexpected_index_query")


def _merge_result(dicts: list[dict[str, Any]]) -> dict[str, Any]:
    merged = dict(dicts[0])
    for key in SUMMED:
        if key in merged:
            merged[key] = sum(d.get(key) or 0 for d in dicts)
    for key in LISTS:
        if key in merged:
            merged[key] = [v for d in dicts for v in (d.get(key) or [])][:GX_EXAMPLES]
    for key in DROPPED:
        merged.pop(key, None)
    element, missing = merged.get("element_count"), merged.get("missing_count") or 0
    unexpected = merged.get("unexpected_count")
    if element and unexpected is not None:
        merged["unexpected_percent_total"] = 100.0 * unexpected / element
        nonmissing = element - missing
        pct = 100.0 * unexpected / nonmissing if nonmissing else None
        merged["unexpected_percent"] = pct
        merged["unexpected_percent_nonmissing"] = pct
        merged["missing_percent"] = 100.0 * missing / element
    return merged


def trim(result: Any) -> Any:
    """Cap the example lists of a single-chunk result too (GX COMPLETE lists every unexpected value)."""
    for evr in result.results:
        evr.result = _merge_result([evr.result or {}]) if evr.result else evr.result
    return result


def merge(results: list[Any]) -> Any:
    """One ExpectationSuiteValidationResult for the whole suite; the first chunk's object is reused."""
    base = results[0]
    for i, evr in enumerate(base.results):
        parts = [r.results[i] for r in results]
        evr.success = all(p.success for p in parts)
        if evr.result:
            evr.result = _merge_result([p.result or {} for p in parts])
        failed = [p for p in parts if not p.success]
        if failed and evr.result is not None and "observed_value" in (failed[0].result or {}):
            evr.result["observed_value"] = failed[0].result["observed_value"]
        raised = [p for p in parts if (p.exception_info or {}).get("raised_exception")]
        if raised:
            evr.exception_info = raised[0].exception_info
    evaluated = len(base.results)
    passed = sum(1 for evr in base.results if evr.success)
    base.success = passed == evaluated
    base.statistics.update({
        "evaluated_expectations": evaluated, "successful_expectations": passed,
        "unsuccessful_expectations": evaluated - passed,
        "success_percent": 100.0 * passed / evaluated if evaluated else None,
    })
    return base
