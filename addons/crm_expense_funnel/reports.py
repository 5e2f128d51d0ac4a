"""The project expense report (项目费用): approved and paid expenses per deal, named."""

from __future__ import annotations

from typing import Any

from addons.crm_expense import reports as expense_reports
from addons.crm_expense.models import ExpenseClaimLine
from core.i18n import _l
from core.reports import Dimension, Report


def reports() -> list[Report]:
    """crm_expense's line dimensions and the deal (a reference: shown by its name)."""
    line: Any = ExpenseClaimLine
    dimensions = [Dimension("project", _l("Opportunity"), line.opportunity_id),
                  *expense_reports.line_dimensions()]
    return [Report(key="expense_by_project", label=_l("Project expense report"),
                   model=ExpenseClaimLine, dimensions=dimensions,
                   measures=expense_reports.LINE_MEASURES, date_field=ExpenseClaimLine.date,
                   where=expense_reports.actual_lines, default_rows="project",
                   default_columns="type",
                   description=_l("Approved and paid expenses per opportunity and type."))]
