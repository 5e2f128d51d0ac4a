"""Incentive accrual (费用计提): a scheme's rate of the contract amounts won in a month.

Finance runs "Accrue for a month" on a scheme: one draft accrual per rep (or per
distributor) with won contracts in the month, from the addons that know about
won contracts (crm_funnel) through `kehu_extra_won_amounts`. Running it again
refreshes the drafts; accruals already submitted or approved are left alone.
Finance then submits each accrual, and a finance colleague approves it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.context import Actor
from core.errors import ValidationError
from core.i18n import _

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(text: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a month given as 'YYYY-MM' (ValidationError otherwise)."""
    match = _MONTH.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        message = _("Enter a month as YYYY-MM, e.g. 2026-11.")
        raise ValidationError(message, fields={"month": message})
    year, month = int(match.group(1)), int(match.group(2))
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def accrued(base: Decimal, rate: Decimal) -> Decimal:
    """`rate` percent of `base`, to the fen."""
    return (base * rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def accrue(session: Session, scheme: Any, first: dt.date, last: dt.date) -> int:
    """Draft accruals of `scheme` for the month `first`..`last`; returns how many were written."""
    from addons.crm_expense.links import totals_by, won_amounts
    from addons.crm_expense.models import Accrual

    period = first.strftime("%Y-%m")
    totals = totals_by(won_amounts(session, scheme.division_id, first, last), scheme.basis)
    key = Accrual.user_id if scheme.basis == "rep" else Accrual.customer_id
    existing = {getattr(row, key.key): row for row in session.scalars(
        sa.select(Accrual).where(Accrual.scheme_id == scheme.id, Accrual.period == period))}
    written = 0
    for owner, base in sorted(totals.items()):
        row = existing.get(owner)
        if row is not None and row.state != "draft":
            continue
        if row is None:
            row = Accrual(scheme_id=scheme.id, period=period, division_id=scheme.division_id,
                          **{key.key: owner})
            session.add(row)
        row.base_amount, row.rate = base, scheme.rate
        row.amount = accrued(base, scheme.rate)
        written += 1
    session.flush()
    return written


def compute_accruals(session: Session, scheme: Any, actor: Actor, values: dict[str, Any]) -> str:
    """The record action on a scheme: draft accruals for the month in `values`."""
    first, last = month_bounds(str(values.get("month") or ""))
    written = accrue(session, scheme, first, last)
    return _("{count} accruals for {period}.").format(count=written,
                                                     period=first.strftime("%Y-%m"))


def last_month(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the month before `today`'s."""
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


def accrue_last_month(session: Session, division: Any, *, today: dt.date | None = None) -> int:
    """The periodic job: every active scheme of the division accrues the month just ended.

    Runs daily or monthly from `kehu jobs run`; drafts are refreshed, accruals
    already submitted or approved stay as they are.
    """
    from addons.crm_expense.models import AccrualScheme

    first, last = last_month(today or dt.date.today())
    schemes = session.scalars(sa.select(AccrualScheme).where(
        AccrualScheme.division_id == division.id, AccrualScheme.active))
    return sum(accrue(session, scheme, first, last) for scheme in schemes)
