"""Life cycles: expense requests, claims (superior → finance → paid) and accruals.

A claim's approval round holds the steps: the direct superior first, the general
manager when the total is above `GM_THRESHOLD`, then finance. While the round
runs the claim is `submitted` (the trail shows which step waits); when finance
approves it is `approved`, and finance marks it `paid`. A rejection needs a
comment and sends the claim back to draft; submitting again opens a new round.
"""

from __future__ import annotations

from decimal import Decimal

from addons.crm_expense.models import Accrual, ExpenseBudget, ExpenseClaim
from addons.crm_expense.rules import ready_to_submit
from core.i18n import _l
from core.org import FINANCE, GENERAL_MANAGER
from core.workflow import ApprovalStep, State, Transition, Workflow

# Claims and requests above this total also need the general manager (an
# administrator may configure other chains per division under Approval chains).
GM_THRESHOLD = Decimal("5000")


def _above_threshold(document: ExpenseClaim | ExpenseBudget) -> bool:
    amount = document.total if isinstance(document, ExpenseClaim) else document.amount
    return amount is not None and amount > GM_THRESHOLD


def _chain() -> list[ApprovalStep]:
    return [
        ApprovalStep.direct_manager(label=_l("Direct superior")),
        ApprovalStep.by_role(GENERAL_MANAGER, label=_l("General manager"),
                             reason=_l("Above 5,000 yuan"), when=_above_threshold),
        ApprovalStep.by_role(FINANCE, label=_l("Finance")),
    ]


ClaimFlow = Workflow(
    ExpenseClaim,
    field=ExpenseClaim.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("approved", _l("Approved"), locked=True),
        State("paid", _l("Paid"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit"), source="draft", target="submitted", approval=True,
                   guard=ready_to_submit),
        Transition("approve", _l("Approve"), source="submitted", target="approved"),
        Transition("reject", _l("Reject"), source="submitted", target="draft",
                   comment_required=True),
        Transition("pay", _l("Mark paid"), source="approved", target="paid", roles=(FINANCE,)),
    ],
    chain=_chain(),
)

BudgetFlow = Workflow(
    ExpenseBudget,
    field=ExpenseBudget.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("approved", _l("Approved"), locked=True),
        State("closed", _l("Closed"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit"), source="draft", target="submitted", approval=True),
        Transition("approve", _l("Approve"), source="submitted", target="approved"),
        Transition("reject", _l("Reject"), source="submitted", target="draft",
                   comment_required=True),
        Transition("close", _l("Close"), source="approved", target="closed"),
    ],
    chain=_chain(),
)

AccrualFlow = Workflow(
    Accrual,
    field=Accrual.state,
    states=[
        State("draft", _l("Draft")),
        State("submitted", _l("Submitted"), locked=True),
        State("approved", _l("Approved"), locked=True),
    ],
    transitions=[
        Transition("submit", _l("Submit"), source="draft", target="submitted", approval=True),
        Transition("approve", _l("Approve"), source="submitted", target="approved"),
        Transition("reject", _l("Reject"), source="submitted", target="draft",
                   comment_required=True),
    ],
    chain=[ApprovalStep.by_role(FINANCE, label=_l("Finance"))],
)

WORKFLOWS = [ClaimFlow, BudgetFlow, AccrualFlow]
