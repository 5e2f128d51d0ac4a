"""What a report is: dimensions to group by, measures to aggregate, filters.

Addons return `Report`s from `kehu_register_reports`; `core.reports.run_report`
turns one into a single GROUP BY statement. Fields are model attributes and
SQL expressions, never strings: a typo fails when the addon is imported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from core.context import Actor
from core.fields import FieldInfo, field_info
from core.i18n import LazyText, _l
from core.views import Filter

MEASURE_KINDS = ("count", "int", "money", "decimal", "percent")
CHARTS = ("bar", "funnel", "line")
# Query parameters of /r/<key>; every dimension key is one too (restrict to a value).
RESERVED_KEYS = frozenset({"rows", "columns", "f", "from", "to", "lang", "cursor"})
# The dimension the engine adds to every report of a division-scoped model (#14).
DIVISION = "division"
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


# ------------------------------------------------------------ date buckets


class _Bucket(FunctionElement[str]):
    """A date or datetime column as sortable text of its period (compiled per database)."""

    type = sa.String()
    inherit_cache = True


class _Month(_Bucket):
    name = "kehu_month"
    inherit_cache = True


class _Quarter(_Bucket):
    name = "kehu_quarter"
    inherit_cache = True


class _Year(_Bucket):
    name = "kehu_year"
    inherit_cache = True


def month(column: Any) -> sa.ColumnElement[str]:
    """The month of a date/datetime column as text: '2026-11' (sorts in time order)."""
    return _Month(column)


def quarter(column: Any) -> sa.ColumnElement[str]:
    """The quarter of a date/datetime column as text: '2026-Q4'."""
    return _Quarter(column)


def year(column: Any) -> sa.ColumnElement[str]:
    """The year of a date/datetime column as text: '2026'."""
    return _Year(column)


def _argument(element: _Bucket, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(_Month, "sqlite")
def _month_sqlite(element: _Month, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%Y-%m', {_argument(element, compiler, **kw)})"


@compiles(_Quarter, "sqlite")
def _quarter_sqlite(element: _Quarter, compiler: SQLCompiler, **kw: Any) -> str:
    column = _argument(element, compiler, **kw)
    return (f"(strftime('%Y', {column}) || '-Q' || "
            f"((CAST(strftime('%m', {column}) AS INTEGER) + 2) / 3))")


@compiles(_Year, "sqlite")
def _year_sqlite(element: _Year, compiler: SQLCompiler, **kw: Any) -> str:
    return f"strftime('%Y', {_argument(element, compiler, **kw)})"


@compiles(_Month, "postgresql")
def _month_postgresql(element: _Month, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({_argument(element, compiler, **kw)}, 'YYYY-MM')"


@compiles(_Quarter, "postgresql")
def _quarter_postgresql(element: _Quarter, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({_argument(element, compiler, **kw)}, 'YYYY-\"Q\"Q')"


@compiles(_Year, "postgresql")
def _year_postgresql(element: _Year, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({_argument(element, compiler, **kw)}, 'YYYY')"


# ------------------------------------------------------------ declarations


@dataclass(frozen=True)
class Dimension:
    """What rows (or columns) of a report are grouped by.

    `expr` is a model attribute (`Deal.stage`, `Deal.owner_id`) or an SQL
    expression (`month(Deal.close_date)`, `sa.case(...)`). A value of a
    reference attribute is shown as the target's name (names are read in one
    query per dimension), a choice attribute's value as its translated label,
    a date in the user's format; anything else as text. Rows are ordered by
    the choices' declared order (a funnel keeps its stage order), by name for
    references, else by value; empty values come last as "Not set".

    The user may also restrict a report to one value of any dimension
    (`/r/<key>?owner=12`, `?month=2026-11`; `values={"owner": 12}` in Python), so
    a dimension's key must not be one of the page's parameters (rows, columns,
    f, from, to).
    """

    key: str
    label: LazyText
    expr: Any

    @property
    def field(self) -> FieldInfo | None:
        """The column's field when `expr` is a plain model column, else None."""
        if isinstance(self.expr, InstrumentedAttribute) and isinstance(
            self.expr.property, sa.orm.ColumnProperty
        ):
            info = field_info(self.expr)
            owner = self.expr.class_  # a model, or an alias of one
            if (info.target is None and isinstance(owner, type)
                    and self.expr.property.columns[0].primary_key):
                # The model's own id: a row per record, shown by its name (#16).
                return replace(info, kind="ref", target=owner)
            return info
        return None


@dataclass(frozen=True)
class Measure:
    """A number per group: an SQL aggregate over the report's model.

    `expr` is an aggregate: `sa.func.count()`, `sa.func.sum(Deal.amount)`,
    `sa.func.sum(Deal.amount * Deal.probability) / 100`, `sa.func.avg(...)`.
    `kind` says how to read and show it:

    - "count", "int": whole numbers (an empty group shows 0);
    - "money": the SQL value is in fen, as `core.orm.Money` columns store it
      (so sums stay exact); shown as yuan, ¥1,234.50 (an empty group shows 0);
    - "decimal": any number, rounded to two decimals;
    - "percent": a number of percent (37.5 means 37.5 %), shown "37.5%".

    Totals of counts and sums are added up from the groups; totals of anything
    else (an average, a ratio, a distinct count) are aggregated by the database
    in the same statement, so they are correct too.
    """

    key: str
    label: LazyText
    expr: Any
    kind: str = "int"
    # Whether totals are sums of the groups (None: read off `expr`, see
    # core.reports.engine.additive); additive reports need one GROUP BY only.
    additive: bool | None = None


@dataclass(frozen=True)
class Report:
    """A declared report: a model grouped by one or two dimensions, with measures.

    - `default_rows` / `default_columns`: the dimension keys the report opens
      with; with columns it is a cross table (month × rep). The user may pick
      any other declared dimension for rows and columns.
    - `filters`: `core.views.Filter`s the user may tick (ANDed).
    - `date_field`: a date/datetime attribute; enables the from/to period filter
      (both ends included).
    - `chart`: "bar", "funnel" (stages, in their order), "line" (months), or
      None; the chart draws `chart_measure` (default: the first measure).
    - `roles`: who may open it (empty: anyone who may read `model`; admins always).
      Reading `model` is needed too, and the declaring addon and the model's
      addon must be enabled in the user's division.
    - `where`: a fixed condition `where(model, actor)` ANDed to every run.
    - `description`: a sentence shown under the title and in the list at /r.
    - `joins`: other tables the dimensions or measures read, each a relationship
      (`Opportunity.customer`) or a `(Customer, Customer.id == Opportunity.customer_id)`
      pair, LEFT OUTER joined: `Dimension("industry", ..., Customer.industry_id)`.
      The joined model's record rules apply to the join (a hidden customer's
      industry shows as "Not set"; the opportunity still counts).

    Record rules always apply: a rep's report counts only the rep's rows.
    """

    key: str
    label: LazyText
    model: type
    dimensions: Sequence[Dimension]
    measures: Sequence[Measure]
    default_rows: str
    default_columns: str | None = None
    filters: Sequence[Filter] = ()
    date_field: Any = None
    chart: str | None = "bar"
    roles: tuple[str, ...] = ()
    where: Callable[[type, Actor], sa.ColumnElement[bool]] | None = None
    chart_measure: str | None = None
    description: LazyText | None = None
    joins: Sequence[Any] = ()

    def __post_init__(self) -> None:
        # Every report of every addon can be filtered (`?division=2`) and grouped by
        # division, declared here once (#14); a report may declare its own "division".
        column = getattr(self.model, "division_id", None)
        if column is not None and self.dimension(DIVISION) is None:
            division = Dimension(DIVISION, _l("Division"), column)
            object.__setattr__(self, "dimensions", (*self.dimensions, division))

    def dimension(self, key: str) -> Dimension | None:
        """The declared dimension called `key`, or None."""
        return next((d for d in self.dimensions if d.key == key), None)

    def measure(self, key: str) -> Measure | None:
        """The declared measure called `key`, or None."""
        return next((m for m in self.measures if m.key == key), None)

    def problems(self) -> list[str]:
        """What is wrong with the declaration (empty when it is usable)."""
        found = []
        if not _KEY.match(self.key):
            found.append(f"key {self.key!r} is not lower_case_with_underscores")
        if not self.dimensions or not self.measures:
            found.append("needs at least one dimension and one measure")
        for kind, keys in (("dimension", [d.key for d in self.dimensions]),
                           ("measure", [m.key for m in self.measures]),
                           ("filter", [f.key for f in self.filters])):
            duplicates = sorted({k for k in keys if keys.count(k) > 1})
            if duplicates:
                found.append(f"{kind} keys repeat: {', '.join(duplicates)}")
        reserved = sorted({d.key for d in self.dimensions} & RESERVED_KEYS)
        if reserved:
            found.append(f"dimension keys {', '.join(reserved)} are query parameters already")
        if self.dimension(self.default_rows) is None:
            found.append(f"default_rows {self.default_rows!r} is no dimension")
        if self.default_columns is not None and (
            self.dimension(self.default_columns) is None or self.default_columns == self.default_rows
        ):
            found.append(f"default_columns {self.default_columns!r} is no other dimension")
        found += [f"measure {m.key!r} has kind {m.kind!r}, not one of {', '.join(MEASURE_KINDS)}"
                  for m in self.measures if m.kind not in MEASURE_KINDS]
        if self.chart is not None and self.chart not in CHARTS:
            found.append(f"chart {self.chart!r} is not one of {', '.join(CHARTS)}")
        if self.chart_measure is not None and self.measure(self.chart_measure) is None:
            found.append(f"chart_measure {self.chart_measure!r} is no measure")
        if self.date_field is not None and getattr(self.date_field, "class_", None) is not self.model:
            found.append("date_field is not an attribute of the report's model")
        found += [f"join {join!r} is neither a relationship nor a (model, condition) pair"
                  for join in self.joins if not _is_join(join)]
        return found


def _is_join(join: Any) -> bool:
    if isinstance(join, tuple):
        return len(join) == 2 and isinstance(join[0], type)
    prop = getattr(join, "property", None)
    return isinstance(prop, sa.orm.RelationshipProperty)
