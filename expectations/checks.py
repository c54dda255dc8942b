"""Small builders for the expectations lapstack uses, each carrying a readable name into the report.

Row conditions use GX's `Column` condition objects, which GX translates for pandas and for SQL alike,
so one suite definition serves both validation paths.

GX is imported only when an expectation is built, never when the suites are defined (issue 15): importing
`great_expectations` takes ~45% of the Dagster definitions' load, which every code server and every run worker
pays (a landed file's run waits for it) although only the GX steps validate anything. So `gxe` is a lazy
stand-in for `great_expectations.expectations`, and `col` records a condition that becomes GX's own `Column`
condition when the expectation is built (Check's factory runs then).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from expectations.spec import Check


class _LazyExpectations:
    """`great_expectations.expectations`, imported at the first expectation built."""

    def __getattr__(self, name: str) -> Any:
        import great_expectations.expectations as module

        return getattr(module, name)


gxe = _LazyExpectations()


class Condition:
    """A row condition as GX will build it: `&` / `|` combine, `gx()` builds GX's condition object."""

    def __init__(self, build: Callable[[], Any]):
        self._build = build

    def gx(self) -> Any:
        return self._build()

    def __and__(self, other: Condition) -> Condition:
        return Condition(lambda: self.gx() & other.gx())

    def __or__(self, other: Condition) -> Condition:
        return Condition(lambda: self.gx() | other.gx())


class Column:
    """GX's `Column("name")` for row conditions, built later: comparisons and methods (`is_not_null()`)
    are recorded and replayed on GX's Column when the expectation is built."""

    def __init__(self, name: str):
        self.name = name

    def _gx(self) -> Any:
        from great_expectations.expectations.row_conditions import Column as GXColumn

        return GXColumn(self.name)

    def _compare(self, op: Callable[[Any, Any], Any], value: Any) -> Condition:
        return Condition(lambda: op(self._gx(), value))

    def __eq__(self, value: object) -> Condition:  # type: ignore[override]
        return self._compare(operator.eq, value)

    def __ne__(self, value: object) -> Condition:  # type: ignore[override]
        return self._compare(operator.ne, value)

    def __lt__(self, value: Any) -> Condition:
        return self._compare(operator.lt, value)

    def __le__(self, value: Any) -> Condition:
        return self._compare(operator.le, value)

    def __gt__(self, value: Any) -> Condition:
        return self._compare(operator.gt, value)

    def __ge__(self, value: Any) -> Condition:
        return self._compare(operator.ge, value)

    __hash__ = None  # type: ignore[assignment]

    def __getattr__(self, method: str) -> Callable[..., Condition]:
        if method.startswith("_"):
            raise AttributeError(method)
        return lambda *args, **kwargs: Condition(lambda: getattr(self._gx(), method)(*args, **kwargs))

# Type names as GX reports them on each path: pandas dtypes (DuckDB frames) and SQLAlchemy types (Postgres).
INTEGER_TYPES = ["int8", "int16", "int32", "int64", "Int8", "Int16", "Int32", "Int64", "INTEGER", "BIGINT",
                 "SMALLINT", "NUMERIC", "DECIMAL"]
FLOAT_TYPES = ["float32", "float64", "Float32", "Float64", "REAL", "FLOAT", "DOUBLE_PRECISION", "DOUBLE",
               "NUMERIC"]
NUMBER_TYPES = INTEGER_TYPES + FLOAT_TYPES
TEXT_TYPES = ["object", "str", "string", "VARCHAR", "TEXT", "String"]
BOOL_TYPES = ["bool", "boolean", "BOOLEAN"]
TIMESTAMP_TYPES = ["datetime64[ns]", "datetime64[us]", "datetime64[ms]", "datetime64[s]", "TIMESTAMP",
                   "DATETIME", "TIMESTAMP WITHOUT TIME ZONE"]

col = Column  # re-exported so suite modules write `col("series") == "f1"`


def _label(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """The name becomes the expectation's description (shown on the validation page) and meta."""
    return {"description": name, "meta": {"lapstack_check": name}, **kwargs}


def _when(condition: Condition | None) -> dict[str, Any]:
    return {"row_condition": condition.gx()} if condition is not None else {}


def not_null(column: str, name: str | None = None, when: Condition | None = None) -> Check:
    label = name or f"{column} is never null"
    return Check(label, lambda: gxe.ExpectColumnValuesToNotBeNull(**_label(label, {"column": column,
                                                                                   **_when(when)})))


def of_type(column: str, types: Sequence[str], name: str | None = None) -> Check:
    label = name or f"{column} has a {types[0]}-like type"
    return Check(label, lambda: gxe.ExpectColumnValuesToBeInTypeList(
        **_label(label, {"column": column, "type_list": list(types)})))


def exists(column: str) -> Check:
    label = f"column {column} exists"
    return Check(label, lambda: gxe.ExpectColumnToExist(**_label(label, {"column": column})))


def unique(columns: Sequence[str], name: str, when: Condition | None = None) -> Check:
    if len(columns) == 1:
        return Check(name, lambda: gxe.ExpectColumnValuesToBeUnique(
            **_label(name, {"column": columns[0], **_when(when)})))
    return Check(name, lambda: gxe.ExpectCompoundColumnsToBeUnique(
        **_label(name, {"column_list": list(columns), **_when(when)})))


def between(column: str, low: float | None, high: float | None, name: str,
            when: Condition | None = None, strict_low: bool = False) -> Check:
    return Check(name, lambda: gxe.ExpectColumnValuesToBeBetween(**_label(name, {
        "column": column, "min_value": low, "max_value": high, "strict_min": strict_low, **_when(when)})))


def in_set(column: str, values: Sequence[Any], name: str, when: Condition | None = None) -> Check:
    return Check(name, lambda: gxe.ExpectColumnValuesToBeInSet(
        **_label(name, {"column": column, "value_set": list(values), **_when(when)})))


def matches(column: str, regex: str, name: str, when: Condition | None = None) -> Check:
    return Check(name, lambda: gxe.ExpectColumnValuesToMatchRegex(
        **_label(name, {"column": column, "regex": regex, **_when(when)})))


def pair_equal(a: str, b: str, name: str, when: Condition | None = None) -> Check:
    return Check(name, lambda: gxe.ExpectColumnPairValuesToBeEqual(
        **_label(name, {"column_A": a, "column_B": b, **_when(when)})))
