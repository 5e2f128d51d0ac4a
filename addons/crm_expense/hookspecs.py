"""crm_expense's own hooks (manifest `hookspecs="hookspecs"`), implemented by the addons
whose documents an expense may name.

crm_expense depends on neither crm_funnel nor crm_marketing. They implement
`kehu_extra_expense_links` and `kehu_extra_won_amounts` with
`@hookimpl(optionalhook=True)`, so they load where crm_expense is not installed; the
bridge crm_expense_funnel (depending on both) implements `kehu_extra_expense_targets`.
crm_expense asks them only in divisions that enable them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from core.hookspecs import hookspec

if TYPE_CHECKING:
    from addons.crm_expense.models import ExpenseBudget, ExpenseClaimLine


@hookspec
def kehu_extra_expense_links(division_id: int | None) -> list[tuple[str, type]]:
    """Return `(kind, model)` pairs: documents an expense may name by a plain id in the division.

    crm_expense stores a campaign as an integer id (`campaign_id`) and asks this
    hook, only of the addons enabled in `division_id`, which model the kind
    "campaign" is (crm_marketing answers). The model's display column names the
    linked record; reading it obeys the user's rights and record rules. The first
    answer for a kind wins (dependents answer first). A document with a real
    foreign key (the deal, crm_expense_funnel) is not a kind here: see
    `kehu_extra_expense_targets`.
    """


@hookspec
def kehu_extra_expense_targets(
    session: Session, records: list[ExpenseBudget | ExpenseClaimLine]
) -> list[tuple[ExpenseBudget | ExpenseClaimLine, str]]:
    """Return `(record, name)` for each of `records` (expense requests and claim lines,
    maybe not yet saved) that your addon ties to a document: what it is for besides its
    customer and campaign, named as the current user may see it ("" when hidden).

    crm_expense calls it, only of addons enabled in the records' division, when it
    checks that a request is for something, and to print the "deal or campaign"
    column of a claim's voucher. Read all names in one query. crm_expense_funnel
    answers with the deal (`opportunity_id`). Records you do not tie are left out.
    """


@hookspec
def kehu_extra_won_amounts(
    session: Session, division_id: int, date_from: dt.date, date_to: dt.date
) -> list[tuple[int | None, int | None, Decimal]]:
    """Return `(rep user id, customer id, amount)` of contracts won from `date_from` to
    `date_to` (both included) in the division, summed in SQL per rep and customer.

    Used by crm_expense's incentive accruals (费用计提); called as the system,
    only for addons enabled in the division. Amounts are Decimal yuan.
    Every enabled addon's rows are added up, so answer only for your own contracts.
    """
