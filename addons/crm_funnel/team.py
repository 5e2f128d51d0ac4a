"""What crm_funnel adds to crm_team's work reports (its hook kehu_extra_period_figures, #17)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_funnel.models import WON, Opportunity, Quote, StageMove
from core.i18n import _, format_money


def period_figures(session: Session, user_id: int, date_from: dt.date,
                   date_to: dt.date) -> list[tuple[str, Any]]:
    """Deals the rep moved on, deals won and their value, quotes made: three statements."""
    start = dt.datetime.combine(date_from, dt.time())
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
    moved = session.scalar(sa.select(sa.func.count(sa.distinct(StageMove.opportunity_id))).where(
        StageMove.user_id == user_id, StageMove.moved_at >= start, StageMove.moved_at < end))
    won, amount = session.execute(sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.sum(sa.type_coerce(Opportunity.amount,
                                                                     sa.BigInteger)), 0))
        .where(Opportunity.owner_id == user_id, Opportunity.state == WON,
               Opportunity.closed_on >= date_from, Opportunity.closed_on <= date_to)).one()
    quotes = session.scalar(sa.select(sa.func.count()).select_from(Quote).where(
        Quote.owner_id == user_id, Quote.quote_date >= date_from, Quote.quote_date <= date_to))
    from decimal import Decimal

    return [(_("Opportunities moved on"), int(moved or 0)),
            (_("Opportunities won"), f"{int(won)} ({format_money(Decimal(int(amount)) / 100)})"),
            (_("Quotes made"), int(quotes or 0))]
