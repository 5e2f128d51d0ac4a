"""How a report's figures are shown: formatted numbers, and the chart's data."""

from __future__ import annotations

import decimal
from typing import Any

from core.i18n import current_locale, format_money, format_number
from core.reports.declarations import Measure
from core.reports.engine import ReportResult


def format_value(measure: Measure, value: Any) -> str:
    """A figure in the current locale: 1,234 · ¥1,234.50 · 12.5 · 37.5%; "—" when empty."""
    if value is None:
        return "—"
    if measure.kind == "money":
        return format_money(value)
    if measure.kind in ("count", "int"):
        return format_number(value, "#,##0")
    if measure.kind == "percent":
        return format_number(value, "#,##0.0") + "%"
    return format_number(value, "#,##0.##")


def _number(value: Any) -> float:
    if value is None:
        return 0.0
    return float(value) if isinstance(value, (int, decimal.Decimal)) else 0.0


def chart_measure(result: ReportResult) -> Measure:
    """The measure the chart draws: the declared `chart_measure`, else the first."""
    report = result.report
    chosen = report.measure(report.chart_measure) if report.chart_measure else None
    return chosen or report.measures[0]


def chart_data(result: ReportResult) -> dict[str, Any] | None:
    """What the page's script draws with ECharts, or None for a report without chart.

    {"kind": "bar"|"line"|"funnel", "measure", "money", "categories": [row labels],
     "series": [{"name", "data": [numbers]}]}: one series per column of a cross
    table, else one series of the measure. A funnel of a cross table is drawn once
    per column (stage × sales mode: one funnel per mode, never two in one, #14).
    """
    kind = result.report.chart
    if kind is None or not result.rows:
        return None
    measure = chart_measure(result)
    categories = [row.label for row in result.rows]
    if result.columns_dimension is not None:
        series = [{"name": column.label,
                   "data": [_number(result.cell(row.value, column.value)[measure.key])
                            for row in result.rows]}
                  for column in result.columns]
    else:
        series = [{"name": str(measure.label),
                   "data": [_number(result.row(row.value)[measure.key]) for row in result.rows]}]
    return {"kind": kind, "measure": str(measure.label), "money": measure.kind == "money",
            "percent": measure.kind == "percent", "categories": categories, "series": series,
            "locale": current_locale()}
