"""The deal picker on requests and claim lines, and the expenses on the deal's page.

Built when the kernel collects the views (`views()`), after the extension columns
are mapped.
"""

from __future__ import annotations

from typing import Any

from addons.crm_expense import views as expense_views
from addons.crm_expense.models import ExpenseBudget, ExpenseClaim, ExpenseClaimLine
from addons.crm_funnel.models import Opportunity
from core.i18n import _l
from core.views import FormView, ListView, RelatedList, View, extend_view


def _declared(model: type, kind: type) -> Any:
    """crm_expense's list or form of `model`."""
    return next(view for view in expense_views.VIEWS
                if type(view) is kind and getattr(view, "model", None) is model)


def views() -> list[View]:
    """Every view of the bridge."""
    line: Any = ExpenseClaimLine
    budget: Any = ExpenseBudget
    return [
        # The claim form's lines, the lines' own list and form: after the customer.
        extend_view(_declared(ExpenseClaim, FormView), after=ExpenseClaimLine.customer_id,
                    add=[line.opportunity_id]),
        extend_view(_declared(ExpenseClaimLine, FormView), after=ExpenseClaimLine.customer_id,
                    add=[line.opportunity_id]),
        extend_view(_declared(ExpenseClaimLine, ListView), after=ExpenseClaimLine.customer_id,
                    add=[line.opportunity_id]),
        extend_view(_declared(ExpenseBudget, FormView), after=ExpenseBudget.customer_id,
                    add=[budget.opportunity_id]),
        # The deal's page: what was spent and planned on it.
        RelatedList(Opportunity, line.opportunity_id,
                    columns=[ExpenseClaimLine.date, ExpenseClaimLine.type_id,
                             ExpenseClaimLine.amount, ExpenseClaimLine.claimant_id,
                             ExpenseClaimLine.description],
                    label=_l("Expenses"), order=[(ExpenseClaimLine.date, True)]),
        RelatedList(Opportunity, budget.opportunity_id,
                    columns=[ExpenseBudget.purpose, ExpenseBudget.amount, ExpenseBudget.state],
                    label=_l("Expense requests"), order=[(ExpenseBudget.date_from, True)]),
    ]
