"""Running a report: one GROUP BY statement through the ORM, so record rules apply.

The statement is a UNION ALL of the same aggregation grouped by (rows,
columns), by rows, by columns and by nothing: cells, row totals, column totals
and the grand total come from the database in one round trip, correct for any
aggregate (an average's total is the average of all rows, not of the groups).
Dimension values are then named with one query per reference dimension.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors

from core.context import Actor, current_actor
from core.errors import ValidationError
from core.fields import display_name_column, display_text
from core.i18n import _, format_when
from core.lookups import division_scoped, is_lookup
from core.models import Department, Division
from core.reports.declarations import Dimension, Measure, Report

# Which grouping a result row belongs to (the marker column of the UNION ALL).
CELL, ROW_TOTAL, COLUMN_TOTAL, GRAND_TOTAL = 0, 1, 2, 3
_ONE_FEN = decimal.Decimal(1)
_CENTS = decimal.Decimal("0.01")


@dataclass(frozen=True)
class Selection:
    """What the user picked: the rows' and columns' dimensions, filters, period."""

    rows: str
    columns: str | None = None
    filters: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    # (dimension key, value): only rows whose dimension has that value ("rep = 李娜").
    values: tuple[tuple[str, Any], ...] = ()

    def value(self, key: str) -> Any:
        """The value the dimension `key` is restricted to, or None."""
        return dict(self.values).get(key)


def _date(params: Mapping[str, str], name: str) -> dt.date | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        message = _("Enter a date as YYYY-MM-DD.")
        raise ValidationError(message, fields={name: message}) from None


def dimension_value(dimension: Dimension, text: str) -> Any:
    """`text` (from a URL) as a value of `dimension`: an id, a date, a number or text."""
    info = dimension.field
    kind = info.kind if info is not None else "text"
    message = _("This value is not valid.")
    try:
        value: Any = text
        if kind in ("ref", "int"):
            value = int(text)
            if not -2**63 <= value < 2**63:
                raise ValueError(text)
        elif kind in ("decimal", "money"):
            value = decimal.Decimal(text)
            if not value.is_finite():
                raise ValueError(text)
        elif kind in ("date", "datetime"):
            value = dt.date.fromisoformat(text)
        elif kind == "bool":
            value = text.lower() in ("1", "true", "yes", "y")
        elif "\x00" in text or len(text) > 200:
            raise ValueError(text)
    except (ValueError, decimal.InvalidOperation):
        raise ValidationError(message, fields={dimension.key: message}) from None
    return value


def make_selection(
    report: Report, *, rows: str | None = None, columns: str | None = None,
    filters: Sequence[str] = (), period: tuple[dt.date | None, dt.date | None] = (None, None),
    values: Mapping[str, Any] | None = None,
) -> Selection:
    """A checked Selection: None picks the report's default dimension, "" no columns;
    `values` restricts dimensions to one value each ({"owner": 12})."""
    rows = rows or report.default_rows
    columns = report.default_columns if columns is None else (columns or None)
    errors = {}
    if report.dimension(rows) is None:
        errors["rows"] = _("Choose one of the report's dimensions.")
    if columns is not None and (report.dimension(columns) is None or columns == rows):
        errors["columns"] = _("Choose another of the report's dimensions, or none.")
    known = {f.key for f in report.filters}
    unknown = [key for key in filters if key not in known]
    if unknown:
        errors["f"] = _("No such filter: {names}.").format(names=", ".join(unknown))
    start, end = period
    if (start or end) and report.date_field is None:
        errors["from"] = _("This report has no period.")
    elif start and end and start > end:
        errors["to"] = _("The end of the period is before its start.")
    values = dict(values or {})
    for key in values:
        if report.dimension(key) is None:
            errors[key] = _("Choose one of the report's dimensions.")
    if errors:
        raise ValidationError(_("Please correct the marked fields."), fields=errors)
    return Selection(rows, columns, tuple(dict.fromkeys(filters)), start, end,
                     tuple(sorted(values.items())))


def selection_from(report: Report, params: Any) -> Selection:
    """A Selection from query parameters: rows, columns, f (repeated), from, to, and
    <dimension key>=<value> for each dimension restricted to one value."""
    filters = params.getlist("f") if hasattr(params, "getlist") else params.get("f", ())
    values = {d.key: dimension_value(d, str(params[d.key]).strip())
              for d in report.dimensions if str(params.get(d.key) or "").strip()}
    return make_selection(
        report, rows=params.get("rows") or None, columns=params.get("columns"),
        filters=[key for key in filters if key],
        period=(_date(params, "from"), _date(params, "to")), values=values,
    )


# ---------------------------------------------------------------- statement


def _conditions(report: Report, selection: Selection, actor: Actor) -> list[sa.ColumnElement[bool]]:
    model = report.model
    result = []
    if report.where is not None:
        result.append(report.where(model, actor))
    chosen = set(selection.filters)
    result += [f.condition(model, actor) for f in report.filters if f.key in chosen]
    for key, value in selection.values:
        dimension = report.dimension(key)
        assert dimension is not None, key
        result.append(dimension.expr == value)
    column = report.date_field
    if selection.date_from is not None:
        result.append(column >= selection.date_from)
    if selection.date_to is not None:
        is_datetime = isinstance(column.type, sa.DateTime)
        end = selection.date_to + dt.timedelta(days=1) if is_datetime else selection.date_to
        result.append(column < end if is_datetime else column <= end)
    return result


def _branch(report: Report, grouped: Sequence[Dimension | None], dimensions: Sequence[Dimension],
            marker: int, conditions: Sequence[sa.ColumnElement[bool]]) -> sa.Select[Any]:
    """One grouping: the dimensions in `grouped`, NULL in place of the others."""
    columns: list[Any] = []
    for index, dimension in enumerate(dimensions):
        label = f"kehu_d{index}"
        chosen = any(dimension is other for other in grouped)
        columns.append(dimension.expr.label(label) if chosen else sa.null().label(label))
    columns.append(sa.literal_column(str(marker)).label("kehu_grouping"))
    columns += [sa.type_coerce(m.expr, sa.Numeric()).label(f"kehu_m{index}")
                for index, m in enumerate(report.measures)]
    statement = sa.select(*columns).select_from(report.model)
    for join in report.joins:
        statement = statement.outerjoin(*join) if isinstance(join, tuple) else statement.outerjoin(join)
    statement = statement.where(*conditions)
    keys: list[sa.ColumnElement[Any]] = [
        sa.literal_column(f"kehu_d{index}") for index, d in enumerate(dimensions)
        if any(d is other for other in grouped)]
    return statement.group_by(*keys) if keys else statement


_AGGREGATES = frozenset({"count", "sum", "avg", "min", "max", "total", "group_concat",
                         "string_agg", "array_agg", "stddev", "variance", "bool_and", "bool_or"})


def additive(measure: Measure) -> bool:
    """Whether a measure's totals are the sums of its groups' values: its expression
    holds exactly one aggregate, a count() or sum() without DISTINCT (`sum(x) / 100`
    is; `avg(x)`, `sum(x) / count()` and `count(DISTINCT x)` are not)."""
    if measure.additive is not None:
        return measure.additive
    aggregates = []
    for element in visitors.iterate(measure.expr):
        if isinstance(element, sa.sql.functions.FunctionElement) \
                and element.name.lower() in _AGGREGATES:
            aggregates.append(element)
        if isinstance(element, sa.sql.elements.UnaryExpression) \
                and element.operator is sa.sql.operators.distinct_op:
            return False
    return len(aggregates) == 1 and aggregates[0].name.lower() in ("count", "sum")


def report_statement(report: Report, selection: Selection, actor: Actor) -> sa.Select[Any] | sa.CompoundSelect[Any]:
    """The one SQL statement of a run: the cells, and unless every measure is
    additive (then Python adds the totals up) the row and column totals and the
    grand total as further groupings of a UNION ALL."""
    rows = report.dimension(selection.rows)
    assert rows is not None, selection.rows
    columns = report.dimension(selection.columns) if selection.columns else None
    dimensions = [rows] if columns is None else [rows, columns]
    conditions = _conditions(report, selection, actor)
    if all(additive(measure) for measure in report.measures):
        return _branch(report, dimensions, dimensions, CELL, conditions)
    if columns is None:
        groupings = [((rows,), CELL), ((), GRAND_TOTAL)]
    else:
        groupings = [((rows, columns), CELL), ((rows,), ROW_TOTAL), ((columns,), COLUMN_TOTAL),
                     ((), GRAND_TOTAL)]
    return sa.union_all(*[_branch(report, grouped, dimensions, marker, conditions)
                          for grouped, marker in groupings])


# ---------------------------------------------------------------- values


def measure_value(measure: Measure, raw: Any) -> Any:
    """An aggregate as read from SQL → int, Decimal yuan, Decimal, or None."""
    if raw is None:
        return 0 if measure.kind in ("count", "int") else (
            decimal.Decimal("0.00") if measure.kind == "money" else None)
    number = raw if isinstance(raw, decimal.Decimal) else decimal.Decimal(str(raw))
    if measure.kind in ("count", "int"):
        return int(number.to_integral_value(rounding=decimal.ROUND_HALF_UP))
    if measure.kind == "money":
        fen = number.quantize(_ONE_FEN, rounding=decimal.ROUND_HALF_UP)
        return (fen / 100).quantize(_CENTS)
    if measure.kind == "percent":
        return number.quantize(decimal.Decimal("0.1"), rounding=decimal.ROUND_HALF_UP)
    return number.quantize(_CENTS, rounding=decimal.ROUND_HALF_UP)


@dataclass(frozen=True)
class Heading:
    """One value of a dimension, and how it is shown."""

    value: Any
    label: str


def _names(session: Session, dimension: Dimension, values: set[Any]) -> dict[Any, str]:
    """The shown text of each value of `dimension` (one query for a reference)."""
    info = dimension.field
    present = {v for v in values if v is not None}
    if info is not None and info.kind == "ref" and info.target is not None and present:
        target = info.target
        name = display_name_column(target)
        if division_scoped(target) and len(current_actor().division_ids) > 1:
            return _names_across_divisions(session, target, present)
        found = session.execute(sa.select(target.id, name).where(target.id.in_(sorted(present))))  # type: ignore[attr-defined]
        names = {row[0]: display_text(target, row[1]) for row in found}
        return {v: names.get(v, f"#{v}") for v in present}
    if info is not None and info.kind == "choice":
        labels = {key: str(label) for key, label in info.choices}
        return {v: labels.get(v, str(v)) for v in present}
    if info is not None and info.kind == "bool":
        return {v: _("Yes") if v else _("No") for v in present}
    return {v: format_when(v) if isinstance(v, (dt.date, dt.datetime)) else str(v) for v in present}


def _names_across_divisions(session: Session, target: Any, present: set[Any]) -> dict[Any, str]:
    """Names for a user who sees several divisions: a department, stage or sales mode
    of one division carries its division's name ("华东销售部 · 华东事业部"), as does
    any name that two divisions' rows share; company-wide entries need none (#14)."""
    name = display_name_column(target)
    rows = session.execute(sa.select(target.id, name, target.division_id)
                           .where(target.id.in_(sorted(present)))).all()
    divisions = dict(session.execute(sa.select(Division.id, Division.name)).all())
    counts: dict[str, int] = {}
    for _id, text, _division in rows:
        counts[str(text)] = counts.get(str(text), 0) + 1
    always = is_lookup(target) or target is Department
    names = {}
    for record_id, text, division in rows:
        shown = display_text(target, text)
        if division is not None and (always or counts[str(text)] > 1):
            shown = _("{name} · {division}").format(name=shown, division=divisions.get(division, ""))
        names[record_id] = shown
    return {v: names.get(v, f"#{v}") for v in present}


def value_labels(session: Session, report: Report, selection: Selection) -> dict[str, str]:
    """How each restricted dimension's value is shown ("owner" → "李娜"), one query per reference."""
    result = {}
    for key, value in selection.values:
        dimension = report.dimension(key)
        assert dimension is not None, key
        result[key] = _names(session, dimension, {value}).get(value, str(value))
    return result


def _headings(session: Session, dimension: Dimension, values: set[Any]) -> list[Heading]:
    names = _names(session, dimension, values)
    info = dimension.field
    if info is not None and info.kind == "choice":
        order = {key: index for index, (key, _label) in enumerate(info.choices)}
        known = sorted(names, key=lambda v: (order.get(v, len(order)), str(v)))
    elif info is not None and info.kind == "ref":
        known = sorted(names, key=lambda v: (names[v], v))
    else:
        known = sorted(names, key=lambda v: (str(type(v)), v))
    headings = [Heading(v, names[v]) for v in known]
    if None in values:
        headings.append(Heading(None, _("Not set")))
    return headings


# ---------------------------------------------------------------- result


Values = dict[str, Any]


@dataclass
class ReportResult:
    """A report's figures: headings, cells, row/column totals and the grand total.

    Every figure is a dict measure key → value (int, Decimal yuan, Decimal or
    None). Without a columns dimension `columns` is empty and each row's
    figures are `row_totals[value]`.
    """

    report: Report
    selection: Selection
    rows_dimension: Dimension
    columns_dimension: Dimension | None
    rows: list[Heading] = field(default_factory=list)
    columns: list[Heading] = field(default_factory=list)
    cells: dict[tuple[Any, Any], Values] = field(default_factory=dict)
    row_totals: dict[Any, Values] = field(default_factory=dict)
    column_totals: dict[Any, Values] = field(default_factory=dict)
    totals: Values = field(default_factory=dict)

    @property
    def measures(self) -> Sequence[Measure]:
        return self.report.measures

    def empty(self) -> Values:
        """The figures of a group without rows (0 or None per measure)."""
        return {m.key: measure_value(m, None) for m in self.measures}

    def cell(self, row: Any, column: Any) -> Values:
        """The figures where `row` and `column` meet (zeros if no record is there)."""
        return self.cells.get((row, column)) or self.empty()

    def row(self, row: Any) -> Values:
        """The figures of a row (over all columns)."""
        return self.row_totals.get(row) or self.empty()

    def as_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data: money and decimals as strings."""
        def plain(values: Values) -> dict[str, Any]:
            return {m.key: json_number(m, values.get(m.key)) for m in self.measures}

        def heading(item: Heading) -> dict[str, Any]:
            return {"key": json_key(item.value), "label": item.label}

        rows = []
        for item in self.rows:
            entry = {**heading(item), "values": plain(self.row(item.value))}
            if self.columns_dimension is not None:
                entry["cells"] = [plain(self.cell(item.value, c.value)) for c in self.columns]
            rows.append(entry)
        columns_dimension = self.columns_dimension
        return {
            "report": self.report.key,
            "label": str(self.report.label),
            "rows_dimension": {"key": self.rows_dimension.key, "label": str(self.rows_dimension.label)},
            "columns_dimension": None if columns_dimension is None else
            {"key": columns_dimension.key, "label": str(columns_dimension.label)},
            "measures": [{"key": m.key, "label": str(m.label), "kind": m.kind} for m in self.measures],
            "columns": [{**heading(c), "values": plain(self.column_totals.get(c.value) or self.empty())}
                        for c in self.columns],
            "rows": rows,
            "totals": plain(self.totals),
            "filters": list(self.selection.filters),
            "values": {key: json_key(value) for key, value in self.selection.values},
            "from": json_key(self.selection.date_from),
            "to": json_key(self.selection.date_to),
        }


def json_key(value: Any) -> Any:
    """A dimension value for JSON: dates as ISO text, the rest as is."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def json_number(measure: Measure, value: Any) -> Any:
    """A figure for JSON: whole numbers as numbers, money and decimals as exact text."""
    if value is None or isinstance(value, int):
        return value
    return f"{value:.2f}" if measure.kind == "money" else str(value)


class _Sums:
    """Row, column and grand totals of additive measures, added up from the cells."""

    def __init__(self, measures: Sequence[Measure]) -> None:
        self.measures = measures
        self.rows: dict[Any, list[decimal.Decimal]] = {}
        self.columns: dict[Any, list[decimal.Decimal]] = {}
        self.grand = [decimal.Decimal(0)] * len(measures)
        self.seen = False

    def add(self, keys: tuple[Any, ...], raws: Sequence[Any]) -> None:
        numbers = [decimal.Decimal(0) if raw is None else
                   raw if isinstance(raw, decimal.Decimal) else decimal.Decimal(str(raw))
                   for raw in raws]
        self.seen = True
        self.grand = [a + b for a, b in zip(self.grand, numbers, strict=True)]
        if len(keys) == 2:
            for totals, key in ((self.rows, keys[0]), (self.columns, keys[1])):
                current = totals.get(key) or [decimal.Decimal(0)] * len(numbers)
                totals[key] = [a + b for a, b in zip(current, numbers, strict=True)]

    def values(self, numbers: Sequence[decimal.Decimal]) -> Values:
        return {m.key: measure_value(m, n) for m, n in zip(self.measures, numbers, strict=True)}

    def fill(self, result: ReportResult, *, two_dimensions: bool) -> None:
        if self.seen:
            result.totals = self.values(self.grand)
        if two_dimensions:
            result.row_totals = {key: self.values(n) for key, n in self.rows.items()}
            result.column_totals = {key: self.values(n) for key, n in self.columns.items()}


def run_report(
    session: Session, report: Report, selection: Selection | None = None, *,
    rows: str | None = None, columns: str | None = None, filters: Sequence[str] = (),
    period: tuple[dt.date | None, dt.date | None] = (None, None),
    values: Mapping[str, Any] | None = None, actor: Actor | None = None,
) -> ReportResult:
    """Run `report` in `session` as the current actor (record rules apply).

    Give a `selection` (from `selection_from`), or `rows`/`columns` dimension
    keys (None: the report's defaults; columns="": no columns), filter keys,
    a (from, to) period and `values` ({"owner": 12}: only that rep's rows).
    Runs one aggregate statement, plus one name query per reference dimension shown.
    """
    selection = selection or make_selection(report, rows=rows, columns=columns, filters=filters,
                                            period=period, values=values)
    actor = actor or current_actor()
    row_dimension = report.dimension(selection.rows)
    assert row_dimension is not None, selection.rows
    column_dimension = report.dimension(selection.columns) if selection.columns else None
    result = ReportResult(report, selection, row_dimension, column_dimension)
    width = 1 if column_dimension is None else 2
    row_values: set[Any] = set()
    column_values: set[Any] = set()
    sums = _Sums(report.measures) if all(additive(m) for m in report.measures) else None
    for record in session.execute(report_statement(report, selection, actor)):
        keys, marker = tuple(record[:width]), record[width]
        raws = record[width + 1:]
        if sums is not None:
            sums.add(keys, raws)
        values = {m.key: measure_value(m, raw)
                  for m, raw in zip(report.measures, raws, strict=True)}
        if marker == GRAND_TOTAL:
            result.totals = values
        elif marker == COLUMN_TOTAL:
            result.column_totals[keys[1]] = values
            column_values.add(keys[1])
        elif marker == ROW_TOTAL or column_dimension is None:
            result.row_totals[keys[0]] = values
            row_values.add(keys[0])
        else:
            result.cells[keys] = values
            if sums is not None:  # no total rows come from the database
                row_values.add(keys[0])
                column_values.add(keys[1])
    if sums is not None:
        sums.fill(result, two_dimensions=column_dimension is not None)
    result.totals = result.totals or result.empty()
    result.rows = _headings(session, row_dimension, row_values)
    if column_dimension is not None:
        result.columns = _headings(session, column_dimension, column_values)
    return result
