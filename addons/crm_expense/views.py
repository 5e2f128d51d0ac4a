"""Lists, forms, tabs, actions and menus of crm_expense."""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_customer.models import Customer
from addons.crm_expense.accruals import compute_accruals
from addons.crm_expense.models import (
    Accrual,
    AccrualScheme,
    ExpenseBudget,
    ExpenseClaim,
    ExpenseClaimLine,
    ExpenseType,
)
from addons.crm_expense.voucher import printable
from core.context import Actor
from core.i18n import _l
from core.navigation import Menu
from core.org import ADMIN, FINANCE
from core.views import (
    Filter,
    FormView,
    KanbanView,
    Lines,
    ListView,
    Param,
    RecordAction,
    RecordLink,
    RelatedList,
    Section,
    View,
)

VOUCHER_URL = "/a/crm_expense/claims/{id}/voucher"
LINE_COLUMNS = [ExpenseClaimLine.date, ExpenseClaimLine.type_id, ExpenseClaimLine.amount,
                ExpenseClaimLine.customer_id, ExpenseClaimLine.campaign_id,
                ExpenseClaimLine.budget_id,
                ExpenseClaimLine.description, ExpenseClaimLine.justification]


def _mine(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    return model.claimant_id == actor.user_id  # type: ignore[attr-defined,no-any-return]


VIEWS: list[View] = [
    ListView(ExpenseType, columns=[ExpenseType.code, ExpenseType.name, ExpenseType.limit_amount,
                                   ExpenseType.active],
             search=[ExpenseType.code, ExpenseType.name], order=[(ExpenseType.code, False)]),
    FormView(ExpenseType, fields=[ExpenseType.code, ExpenseType.name, ExpenseType.limit_amount,
                                  ExpenseType.active]),

    ListView(ExpenseBudget,
             columns=[ExpenseBudget.purpose, ExpenseBudget.customer_id, ExpenseBudget.amount,
                      ExpenseBudget.date_from, ExpenseBudget.date_to,
                      ExpenseBudget.requester_id, ExpenseBudget.state],
             search=[ExpenseBudget.purpose], sums=[ExpenseBudget.amount],
             group_by=[ExpenseBudget.state, ExpenseBudget.customer_id,
                       ExpenseBudget.requester_id, ExpenseBudget.department_id],
             order=[(ExpenseBudget.date_from, True)]),
    FormView(ExpenseBudget, fields=[
        Section(_l("Expense request"), [ExpenseBudget.purpose, ExpenseBudget.amount,
                                        ExpenseBudget.type_id, ExpenseBudget.date_from,
                                        ExpenseBudget.date_to]),
        Section(_l("For"), [ExpenseBudget.customer_id, ExpenseBudget.campaign_id]),
        Section(_l("Requested by"), [ExpenseBudget.requester_id, ExpenseBudget.department_id]),
    ]),

    ListView(ExpenseClaim,
             columns=[ExpenseClaim.title, ExpenseClaim.claimant_id, ExpenseClaim.department_id,
                      ExpenseClaim.date_from, ExpenseClaim.date_to, ExpenseClaim.total,
                      ExpenseClaim.state],
             search=[ExpenseClaim.title], sums=[ExpenseClaim.total],
             filters=[Filter("mine", _l("My claims"), _mine)],
             group_by=[ExpenseClaim.state, ExpenseClaim.claimant_id, ExpenseClaim.department_id],
             order=[(ExpenseClaim.date_from, True)]),
    FormView(
        ExpenseClaim,
        fields=[
            Section(_l("Expense claim"), [ExpenseClaim.title, ExpenseClaim.date_from,
                                          ExpenseClaim.date_to, ExpenseClaim.total]),
            Section(_l("Claimant"), [ExpenseClaim.claimant_id, ExpenseClaim.department_id,
                                     ExpenseClaim.note]),
        ],
        lines=[Lines(ExpenseClaim.lines, columns=LINE_COLUMNS, label=_l("Expenses"))],
        readonly_in={"draft": [ExpenseClaim.total]},
        links=[RecordLink(_l("Print voucher"), VOUCHER_URL, visible=printable)],
    ),
    KanbanView(ExpenseClaim, column_by=ExpenseClaim.state,
               card=[ExpenseClaim.title, ExpenseClaim.claimant_id, ExpenseClaim.total]),

    ListView(ExpenseClaimLine,
             columns=[ExpenseClaimLine.date, ExpenseClaimLine.type_id, ExpenseClaimLine.amount,
                      ExpenseClaimLine.customer_id, ExpenseClaimLine.claimant_id, ExpenseClaimLine.claim_id,
                      ExpenseClaimLine.description],
             search=[ExpenseClaimLine.description], sums=[ExpenseClaimLine.amount],
             group_by=[ExpenseClaimLine.type_id, ExpenseClaimLine.customer_id,
                       ExpenseClaimLine.claimant_id, ExpenseClaimLine.department_id],
             order=[(ExpenseClaimLine.date, True)]),
    FormView(ExpenseClaimLine, fields=[ExpenseClaimLine.claim_id, *LINE_COLUMNS]),

    ListView(AccrualScheme, columns=[AccrualScheme.name, AccrualScheme.basis, AccrualScheme.rate,
                                     AccrualScheme.type_id, AccrualScheme.active]),
    FormView(AccrualScheme, fields=[AccrualScheme.name, AccrualScheme.basis, AccrualScheme.rate,
                                    AccrualScheme.type_id, AccrualScheme.active]),
    RecordAction(AccrualScheme, "accrue", _l("Accrue for a month"), compute_accruals,
                 params=[Param("month", _l("Month (YYYY-MM)"))], roles=(FINANCE,),
                 visible=lambda scheme: bool(scheme.active)),

    ListView(Accrual, columns=[Accrual.period, Accrual.scheme_id, Accrual.user_id,
                               Accrual.customer_id, Accrual.base_amount, Accrual.rate,
                               Accrual.amount, Accrual.state],
             sums=[Accrual.base_amount, Accrual.amount],
             group_by=[Accrual.period, Accrual.state, Accrual.user_id, Accrual.scheme_id],
             order=[(Accrual.period, True)]),
    FormView(Accrual, fields=[Accrual.scheme_id, Accrual.period, Accrual.user_id,
                              Accrual.customer_id, Accrual.base_amount, Accrual.rate,
                              Accrual.amount]),

    # The customer 360 page (a deal's page: crm_expense_funnel).
    RelatedList(Customer, ExpenseClaimLine.customer_id,
                columns=[ExpenseClaimLine.date, ExpenseClaimLine.type_id,
                         ExpenseClaimLine.amount, ExpenseClaimLine.claimant_id,
                         ExpenseClaimLine.description],
                label=_l("Expenses"), order=[(ExpenseClaimLine.date, True)]),
    RelatedList(Customer, ExpenseBudget.customer_id,
                columns=[ExpenseBudget.purpose, ExpenseBudget.amount, ExpenseBudget.date_from,
                         ExpenseBudget.state],
                label=_l("Expense requests"), order=[(ExpenseBudget.date_from, True)]),
]

MENUS = [
    Menu("expense_claims", _l("Expense claims"), model=ExpenseClaim, sequence=60),
    Menu("expense_requests", _l("Expense requests"), model=ExpenseBudget, sequence=61),
    Menu("expense_lines", _l("Expenses"), model=ExpenseClaimLine, sequence=62),
    Menu("expense_reports", _l("Expense reports"), path="/r/expense_by_customer", sequence=63),
    Menu("expense_accruals", _l("Accruals"), model=Accrual, sequence=64),
    Menu("expense_schemes", _l("Accrual schemes"), model=AccrualScheme, sequence=65,
         roles=(FINANCE, ADMIN)),
    Menu("expense_types", _l("Expense types"), model=ExpenseType, sequence=66,
         roles=(FINANCE, ADMIN)),
]
