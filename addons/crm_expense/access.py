"""Who may do what with expenses, and whose expenses each role sees.

A rep (and marketing or service staff, who spend too) sees their own requests,
claims and accruals; a manager those of the departments they manage; finance
and the general manager the whole division.
"""

from __future__ import annotations

from addons.crm_expense.models import (
    Accrual,
    AccrualScheme,
    ExpenseBudget,
    ExpenseClaim,
    ExpenseClaimLine,
    ExpenseType,
)
from core.access import DEPARTMENT, DIVISION, OWN, Access, RecordRule
from core.org import ALL_STAFF, FINANCE, GENERAL_MANAGER, MARKETING, SALES_MANAGER, SALES_REP, SERVICE

SPENDERS = (SALES_REP, MARKETING, SERVICE)
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
    *[RecordRule(model, SPENDERS, OWN) for model in (*DOCUMENTS, Accrual)],
    *[RecordRule(model, SALES_MANAGER, DEPARTMENT) for model in (*DOCUMENTS, Accrual)],
    *[RecordRule(model, (FINANCE, GENERAL_MANAGER), DIVISION) for model in (*DOCUMENTS, Accrual)],
]
