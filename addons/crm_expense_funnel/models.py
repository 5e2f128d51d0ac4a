"""What the bridge adds: the deal (opportunity) an expense request or claim line is for.

A real reference to crm_funnel's opportunities, in the bridge's own migration branch:
a deal deleted leaves its expenses without a deal (ON DELETE SET NULL), as it leaves
its money spent. crm_expense itself never names the deal.
"""

from __future__ import annotations

from sqlalchemy.orm import Mapped

from addons.crm_expense.models import ExpenseBudget, ExpenseClaimLine
from addons.crm_funnel.models import Opportunity
from core.i18n import _l
from core.orm import extends, ref


@extends(ExpenseBudget)
class ExpenseBudgetDeal:
    """The deal an expense request plans money for (项目费用申请)."""

    opportunity_id: Mapped[int | None] = ref(Opportunity, nullable=True, ondelete="SET NULL",
                                             label=_l("Opportunity"))


@extends(ExpenseClaimLine)
class ExpenseClaimLineDeal:
    """The deal an expense was spent on (项目费用)."""

    opportunity_id: Mapped[int | None] = ref(Opportunity, nullable=True, ondelete="SET NULL",
                                             label=_l("Opportunity"))


MODELS = [ExpenseBudgetDeal, ExpenseClaimLineDeal]
