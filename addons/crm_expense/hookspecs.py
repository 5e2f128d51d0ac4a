"""crm_expense's own hooks (manifest `hookspecs="hookspecs"`), implemented by the addons
whose documents an expense may name.

crm_expense depends on neither crm_funnel nor crm_marketing. They implement
these hooks with `@hookimpl(optionalhook=True)`, so they load where crm_expense
is not installed, and crm_expense asks them only in divisions that enable them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy.orm import Session

from core.hookspecs import hookspec


@hookspec
def kehu_extra_expense_links(division_id: int | None) -> list[tuple[str, type]]:
    """Return `(kind, model)` pairs: documents an expense may be linked to in the division.

    crm_expense stores an opportunity or campaign as an integer id
    (`opportunity_id`, `campaign_id`) and asks this hook, only of the addons
    enabled in `division_id`, which model each kind is: "opportunity"
    (crm_funnel) and "campaign" (crm_marketing). The model's display column
    names the linked record; reading it obeys the user's rights and record
    rules. The first answer for a kind wins (dependents answer first).
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
