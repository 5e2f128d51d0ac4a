"""Demo for the bridge: the demo expenses spent on a customer name one of its deals.

Runs after crm_expense's and crm_funnel's demo (dependency order). Each demo claim
line and expense request of a customer with deals in the same division names the
customer's first deal, so the deal's page lists its expenses and the project
expense report has names. The claims are in approval already: linked in SQL.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_expense.models import ExpenseBudget, ExpenseClaimLine
from addons.crm_funnel.models import Opportunity
from core.models import Division


def _first_deal(model: Any) -> Any:
    return (sa.select(sa.func.min(Opportunity.id))
            .where(Opportunity.customer_id == model.customer_id,
                   Opportunity.division_id == model.division_id)
            .scalar_subquery())


def link_demo_expenses(session: Session, divisions: list[Division]) -> None:
    """Name the customer's first deal on its demo expenses (see the module docstring)."""
    if not divisions:
        return
    for model in (ExpenseClaimLine, ExpenseBudget):
        table: Any = model.__table__
        session.execute(sa.update(table).where(
            table.c.division_id == divisions[0].id, table.c.customer_id.is_not(None),
            table.c.opportunity_id.is_(None)).values(opportunity_id=_first_deal(table.c)))
