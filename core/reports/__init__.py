"""The report engine: declared grouped aggregations, run as one SQL statement.

An addon declares its reports and returns them from `kehu_register_reports`:

    from core.reports import Dimension, Measure, Report, month

    forecast = Report(
        key="funnel_forecast", label=_l("Weighted forecast"), model=Opportunity,
        dimensions=[
            Dimension("month", _l("Month"), month(Opportunity.expected_date)),
            Dimension("owner", _l("Sales rep"), Opportunity.owner_id),    # shows names
            Dimension("stage", _l("Stage"), Opportunity.stage),           # choice labels
        ],
        measures=[
            Measure("count", _l("Opportunities"), sa.func.count(), kind="count"),
            Measure("weighted", _l("Weighted amount"),
                    sa.func.sum(Opportunity.amount * Opportunity.probability) / 100,
                    kind="money"),
        ],
        default_rows="month", default_columns="owner", chart="line",
        date_field=Opportunity.expected_date,
        filters=[Filter("open", _l("Open only"), lambda model, actor: model.state == "open")],
        roles=(SALES_MANAGER, GENERAL_MANAGER),
    )

The kernel checks every declaration at start-up, lists the reports a user may
open at /r, shows one at /r/<key> (table with totals, ECharts chart, period
and filters), exports it at /r/<key>.xlsx and answers
GET /api/v1/reports/<key>. From Python:

    result = run_report(session, forecast, rows="owner", columns="", period=(start, end))
    result.totals["weighted"]          # Decimal yuan
    result.as_dict()                   # JSON-ready
    export_xlsx(result)                # bytes of a workbook

Every run goes through the session, so the record rules of the acting user
apply: a rep's report only counts the rep's rows.
"""

from __future__ import annotations

from core.reports.declarations import CHARTS, MEASURE_KINDS, Dimension, Measure, Report, month, quarter, year
from core.reports.engine import (
    Heading,
    ReportResult,
    Selection,
    make_selection,
    report_statement,
    run_report,
    selection_from,
    value_labels,
)
from core.reports.export import export_xlsx
from core.reports.presentation import chart_data, format_value
from core.reports.registry import RegisteredReport, collect_reports, may_open, open_report
from core.views import Filter

__all__ = [
    "CHARTS", "MEASURE_KINDS", "Dimension", "Filter", "Heading", "Measure", "RegisteredReport",
    "Report", "ReportResult", "Selection", "chart_data", "collect_reports", "export_xlsx",
    "format_value", "make_selection", "may_open", "open_report", "month", "quarter", "report_statement",
    "run_report", "selection_from", "value_labels", "year",
]
