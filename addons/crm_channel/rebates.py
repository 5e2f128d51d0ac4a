"""Rebates (返利计算): a policy's basis per distributor and its tier's rate, in one SQL
INSERT … SELECT per policy and period; the rows are then approved by finance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel.models import FlowLine, Rebate, RebatePolicy, RebateTier, ShipmentLine
from addons.crm_customer.models import Customer, Product
from core.context import Actor, current_actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.orm import utcnow


def period_range(text: str) -> tuple[dt.date, dt.date]:
    """'2026-11' (a month), '2026-Q4' (a quarter) or '2026' (a year) as dates."""
    text = text.strip().upper()
    try:
        if len(text) == 4:
            year = int(text)
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if "-Q" in text:
            year, quarter = int(text[:4]), int(text[6:])
            start = dt.date(year, 3 * quarter - 2, 1)
            end_month = 3 * quarter
        else:
            start = dt.date(int(text[:4]), int(text[5:7]), 1)
            end_month = start.month
        end = (dt.date(start.year, end_month, 28) + dt.timedelta(days=4)).replace(day=1)
        return start, end - dt.timedelta(days=1)
    except (ValueError, IndexError):
        raise ValidationError(_("Enter the period as YYYY-MM, YYYY-Qn or YYYY."),
                              fields={"period": "YYYY-MM"}) from None


def _scope(policy: RebatePolicy, column: Any) -> sa.ColumnElement[bool]:
    if policy.distributor_id is not None:
        return column == policy.distributor_id  # type: ignore[no-any-return]
    return column.in_(sa.select(Customer.id).where(Customer.division_id == policy.division_id,
                                                   Customer.channel_tier == policy.tier))


def basis(policy: RebatePolicy, start: dt.date, end: dt.date) -> sa.Subquery:
    """Per distributor: the basis of the policy in fen (shipped amount, or sell-out at list price)."""
    if policy.basis == "purchases":
        return (sa.select(ShipmentLine.distributor_id.label("distributor_id"),
                          sa.func.sum(ShipmentLine.amount).label("basis"))
                .where(ShipmentLine.division_id == policy.division_id,
                       ShipmentLine.ship_date.between(start, end),
                       _scope(policy, ShipmentLine.distributor_id))
                .group_by(ShipmentLine.distributor_id).subquery("basis"))
    return (sa.select(FlowLine.distributor_id.label("distributor_id"),
                      sa.func.sum(FlowLine.quantity * Product.price).label("basis"))
            .join(Product, Product.id == FlowLine.product_id)
            .where(FlowLine.division_id == policy.division_id,
                   FlowLine.period.between(f"{start:%Y-%m}", f"{end:%Y-%m}"),
                   _scope(policy, FlowLine.distributor_id))
            .group_by(FlowLine.distributor_id).subquery("basis"))


def compute_rebates(session: Session, policy: RebatePolicy, period: str,
                    actor: Actor | None = None) -> int:
    """The policy's rebates for `period`, replacing draft ones; approved ones are kept."""
    actor = actor or current_actor()
    start, end = period_range(period)
    with system_context():
        if session.scalar(sa.select(sa.func.count()).select_from(Rebate).where(
                Rebate.policy_id == policy.id, Rebate.period == period,
                Rebate.state != "draft")):
            raise ValidationError(_("Rebates of this period are submitted or approved already."),
                                  fields={"period": period})
        session.execute(sa.delete(Rebate.__table__).where(
            Rebate.policy_id == policy.id, Rebate.period == period))
        base = basis(policy, start, end)
        rate = sa.func.coalesce(
            sa.select(RebateTier.rate).where(RebateTier.policy_id == policy.id,
                                             RebateTier.threshold <= base.c.basis)
            .order_by(RebateTier.threshold.desc()).limit(1).scalar_subquery(),
            sa.literal(0, sa.Numeric(7, 4)))
        amount = sa.cast(sa.func.round(base.c.basis * rate / 100), sa.BigInteger)
        now = utcnow()
        select = sa.select(
            base.c.distributor_id, base.c.basis, rate, amount,
            sa.literal(policy.id, sa.Integer), sa.literal(period, sa.String),
            sa.literal("draft", sa.String), sa.literal(policy.division_id, sa.Integer),
            sa.literal(actor.user_id, sa.Integer), sa.literal(actor.user_id, sa.Integer),
            sa.literal(1, sa.Integer), sa.literal(now, sa.DateTime), sa.literal(now, sa.DateTime),
        ).where(base.c.basis > 0)
        session.execute(sa.insert(Rebate.__table__).from_select(
            ["distributor_id", "basis_amount", "rate", "amount", "policy_id", "period", "state",
             "division_id", "create_uid", "write_uid", "version", "create_date", "write_date"],
            select))
        # rowcount of INSERT … SELECT is not reported by every driver: count.
        return int(session.scalar(sa.select(sa.func.count()).select_from(Rebate).where(
            Rebate.policy_id == policy.id, Rebate.period == period)) or 0)


def compute_action(session: Session, policy: RebatePolicy, actor: Actor,
                   values: dict[str, Any]) -> str:
    """The policy form's button: compute the rebates of a period."""
    count = compute_rebates(session, policy, str(values["period"]), actor)
    return _("Rebates computed for {count} distributors.").format(count=count)
