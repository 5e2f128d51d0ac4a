"""Who may do what with expenses, and whose expenses each role sees.

A rep (and marketing or service staff, who spend too) sees their own requests,
claims and accruals; a manager those of the departments they manage; finance
and the general manager the whole division. Whoever is asked to approve a
document reads it too.
"""

from __future__ import annotations

import sqlalchemy as sa

from addons.crm_expense.models import (
    Accrual,
    AccrualScheme,
    ExpenseBudget,
    ExpenseClaim,
    ExpenseClaimLine,
    ExpenseType,
)
from core.access import DEPARTMENT, DIVISION, OWN, Access, RecordRule, Scope
from core.context import Actor
from core.i18n import _l
from core.org import ALL_STAFF, FINANCE, GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP, SERVICE
from core.workflow.models import ApprovalApprover, ApprovalRequest, ApprovalTask

SPENDERS = (SALES_REP, MARKETING, SERVICE)


def _asked(table: str, actor: Actor) -> sa.ScalarSelect[int]:
    """Ids of the `table` documents whose approval steps name the actor as an approver."""
    return (sa.select(ApprovalRequest.res_id)
            .join(ApprovalTask, ApprovalTask.request_id == ApprovalRequest.id)
            .join(ApprovalApprover, ApprovalApprover.task_id == ApprovalTask.id)
            .where(ApprovalRequest.model == table, ApprovalApprover.user_id == actor.user_id)
            .scalar_subquery())


def _approver(model: type, actor: Actor) -> sa.ColumnElement[bool]:
    if model is ExpenseClaimLine:
        return ExpenseClaimLine.claim_id.in_(_asked(ExpenseClaim.__tablename__, actor))
    return model.id.in_(_asked(model.__tablename__, actor))  # type: ignore[attr-defined,no-any-return]


# An approver reads what they are asked to decide (and decided), wherever it comes
# from: a direct superior outside the claimant's department tree, say.
APPROVER = Scope(_l("documents they approve"), _approver)
DOCUMENTS = (ExpenseBudget, ExpenseClaim, ExpenseClaimLine)

ACCESS = [
    Access(ExpenseType, ALL_STAFF, read=True),
    Access(ExpenseType, FINANCE, read=True, create=True, write=True),
    *[Access(model, (*SPENDERS, SALES_MANAGER), read=True, create=True, write=True, delete=True)
      for model in DOCUMENTS],
    *[Access(model, GENERAL_MANAGER, read=True) for model in DOCUMENTS],
    # Finance marks claims paid (a transition needs the write right).
    *[Access(model, FINANCE, read=True, write=True) for model in DOCUMENTS],
    Access(AccrualScheme, ALL_STAFF, read=True),
    Access(AccrualScheme, FINANCE, read=True, create=True, write=True, delete=True),
    Access(Accrual, (*SPENDERS, SALES_MANAGER, GENERAL_MANAGER), read=True),
    Access(Accrual, FINANCE, read=True, create=True, write=True, delete=True),
]

RULES = [
    *[RecordRule(model, ALL_STAFF, APPROVER) for model in (*DOCUMENTS, Accrual)],
    *[RecordRule(model, SPENDERS, OWN) for model in (*DOCUMENTS, Accrual)],
    *[RecordRule(model, SALES_MANAGER, DEPARTMENT) for model in (*DOCUMENTS, Accrual)],
    *[RecordRule(model, (FINANCE, GENERAL_MANAGER), DIVISION) for model in (*DOCUMENTS, Accrual)],
]
