"""Expense analysis on the kernel's report engine (/r/<key>, XLSX export, API).

Actual expenses are the lines of approved or paid claims; record rules apply to
every report (a rep counts their own lines, a manager their departments',
finance the division's).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from addons.crm_expense.models import ExpenseBudget, ExpenseClaim, ExpenseClaimLine
from core.context import Actor
from core.i18n import _l
from core.reports import Dimension, Measure, Report, month, quarter

# Claims whose lines are actual expenses.
ACTUAL_STATES = ("approved", "paid")


def actual_lines(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    """Lines of approved or paid claims: the actual expenses every line report counts."""
    return ExpenseClaimLine.claim_id.in_(
        sa.select(ExpenseClaim.id).where(ExpenseClaim.state.in_(ACTUAL_STATES)))


def line_dimensions() -> list[Dimension]:
    """What expense lines are grouped by (crm_expense_funnel adds the deal in its report)."""
    return [
        Dimension("customer", _l("Customer"), ExpenseClaimLine.customer_id),
        Dimension("campaign", _l("Campaign"), ExpenseClaimLine.campaign_id),
        Dimension("rep", _l("Claimant"), ExpenseClaimLine.claimant_id),
        Dimension("department", _l("Department"), ExpenseClaimLine.department_id),
        Dimension("type", _l("Expense type"), ExpenseClaimLine.type_id),
        Dimension("month", _l("Month"), month(ExpenseClaimLine.date)),
        Dimension("quarter", _l("Quarter"), quarter(ExpenseClaimLine.date)),
    ]


LINE_MEASURES = [
    Measure("amount", _l("Amount"), sa.func.sum(ExpenseClaimLine.amount), kind="money"),
    Measure("lines", _l("Number of expenses"), sa.func.count(), kind="count"),
]


def _spent() -> Any:
    """Per request: the approved or paid claim lines charged to it (fen)."""
    return (sa.select(sa.func.coalesce(sa.func.sum(ExpenseClaimLine.amount), 0))
            .join(ExpenseClaim, ExpenseClaim.id == ExpenseClaimLine.claim_id)
            .where(ExpenseClaimLine.budget_id == ExpenseBudget.id,
                   ExpenseClaim.state.in_(ACTUAL_STATES))
            .correlate(ExpenseBudget).scalar_subquery())


def budget_vs_actual() -> Report:
    """Approved expense requests against what approved claims spent on them."""
    spent = _spent()
    return Report(
        key="expense_budget_actual", label=_l("Budget vs actual"), model=ExpenseBudget,
        dimensions=[
            Dimension("request", _l("Expense request"), ExpenseBudget.purpose),
            Dimension("customer", _l("Customer"), ExpenseBudget.customer_id),
            Dimension("rep", _l("Requested by"), ExpenseBudget.requester_id),
            Dimension("department", _l("Department"), ExpenseBudget.department_id),
            Dimension("month", _l("Month"), month(ExpenseBudget.date_from)),
        ],
        measures=[
            Measure("budget", _l("Budget"), sa.func.sum(ExpenseBudget.amount), kind="money"),
            Measure("actual", _l("Actual"), sa.func.sum(spent), kind="money"),
            Measure("remaining", _l("Remaining"),
                    sa.func.sum(ExpenseBudget.amount) - sa.func.sum(spent), kind="money"),
            # A typed literal: a bare 100.0 would take the Money type and become 10000 fen.
            Measure("used", _l("Used"), sa.func.sum(spent) * sa.literal(100.0, sa.Float)
                    / sa.func.nullif(sa.func.sum(ExpenseBudget.amount), 0), kind="percent"),
        ],
        default_rows="request", date_field=ExpenseBudget.date_from,
        where=lambda model, actor: ExpenseBudget.state.in_(("approved", "closed")),
        description=_l("Approved expense requests and the approved or paid claim lines "
                       "charged to them."),
    )


def reports() -> list[Report]:
    """The expense reports. The project (deal) report is crm_expense_funnel's."""
    common: dict[str, Any] = {"model": ExpenseClaimLine, "dimensions": line_dimensions(),
                              "measures": LINE_MEASURES, "date_field": ExpenseClaimLine.date,
                              "where": actual_lines}
    return [
        Report(key="expense_by_customer", label=_l("Customer expense report"),
               default_rows="customer", default_columns="type",
               description=_l("Approved and paid expenses per customer and type."), **common),
        Report(key="expense_analysis", label=_l("Expense analysis"), default_rows="rep",
               default_columns="month", chart="line",
               description=_l("Approved and paid expenses by rep, department, type, customer, "
                              "campaign and period."), **common),
        budget_vs_actual(),
    ]
