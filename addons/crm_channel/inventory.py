"""Channel stock calculation (库存计算单): one set-based INSERT … SELECT per period.

closing = opening (the previous period's closing, plus opening stock entered for
this period) + purchased (our shipments, and what upstream distributors' flow data
sold to it) − returned (processed returns) − sold
(flow data) ± adjusted (approved adjustments); the distributor's own report and
the difference sit beside it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel.models import (
    ChannelStock,
    FlowLine,
    OpeningStock,
    Period,
    ReturnLine,
    ReturnRequest,
    ShipmentLine,
    StockAdjustment,
    StockReport,
)
from addons.crm_customer.models import Customer
from core.context import Actor, current_actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.orm import utcnow

DISTRIBUTOR_TIERS = ("tier1", "tier2", "chain")
FIGURES = ("opening", "purchased", "returned", "sold", "adjusted", "reported")


def _source(distributor: Any, product: Any, figure: str, quantity: Any) -> sa.Select[Any]:
    """One source's rows: its quantity in the column `figure`, zeros (NULL) elsewhere."""
    columns = [distributor.label("distributor_id"), product.label("product_id")]
    for name in FIGURES:
        if name == figure:
            columns.append(sa.cast(quantity, sa.Integer).label(name))
        elif name == "reported":
            columns.append(sa.cast(sa.null(), sa.Integer).label(name))
        else:
            columns.append(sa.literal(0, sa.Integer).label(name))
    return sa.select(*columns)


def previous_period(session: Session, period: Period) -> Period | None:
    """The division's period that ends last before this one starts."""
    return session.scalar(sa.select(Period).where(
        Period.division_id == period.division_id, Period.date_to < period.date_from)
        .order_by(Period.date_to.desc()).limit(1))


def movements(period: Period, previous_id: int | None) -> sa.Select[Any]:
    """Every figure of every distributor × product of the period, grouped (the SQL)."""
    division, start, end = period.division_id, period.date_from, period.date_to
    sources = [
        _source(OpeningStock.distributor_id, OpeningStock.product_id, "opening",
                OpeningStock.quantity).where(OpeningStock.period_id == period.id),
        _source(ShipmentLine.distributor_id, ShipmentLine.product_id, "purchased",
                ShipmentLine.quantity).where(ShipmentLine.division_id == division,
                                             ShipmentLine.ship_date.between(start, end)),
        _source(ReturnRequest.distributor_id, ReturnLine.product_id, "returned",
                ReturnLine.quantity).join(ReturnRequest, ReturnRequest.id == ReturnLine.return_id)
        .where(ReturnRequest.division_id == division, ReturnRequest.state == "processed",
               ReturnRequest.return_date.between(start, end)),
        # A distributor also buys from its upstream distributor: the upstream's flow data.
        _source(FlowLine.customer_id, FlowLine.product_id, "purchased", FlowLine.quantity)
        .join(Customer, Customer.id == FlowLine.customer_id)
        .where(FlowLine.division_id == division, FlowLine.period == period.code,
               FlowLine.product_id.is_not(None),
               Customer.channel_tier.in_(DISTRIBUTOR_TIERS)),  # type: ignore[attr-defined]
        _source(FlowLine.distributor_id, FlowLine.product_id, "sold", FlowLine.quantity)
        .where(FlowLine.division_id == division, FlowLine.period == period.code,
               FlowLine.product_id.is_not(None)),
        _source(StockAdjustment.distributor_id, StockAdjustment.product_id, "adjusted",
                StockAdjustment.quantity).where(StockAdjustment.period_id == period.id,
                                                StockAdjustment.state == "approved"),
        _source(StockReport.distributor_id, StockReport.product_id, "reported",
                StockReport.quantity).where(StockReport.period_id == period.id),
    ]
    if previous_id is not None:
        sources.append(_source(ChannelStock.distributor_id, ChannelStock.product_id, "opening",
                               ChannelStock.closing).where(ChannelStock.period_id == previous_id))
    moves = sa.union_all(*sources).subquery("moves")
    sums = {name: sa.func.sum(moves.c[name]) for name in FIGURES}
    closing = (sums["opening"] + sums["purchased"] - sums["returned"] - sums["sold"]
               + sums["adjusted"])
    return (sa.select(moves.c.distributor_id, moves.c.product_id,
                      *[sums[name].label(name) for name in FIGURES],
                      closing.label("closing"), (sums["reported"] - closing).label("difference"))
            .group_by(moves.c.distributor_id, moves.c.product_id))


def compute_stock(session: Session, period: Period, actor: Actor | None = None) -> int:
    """Replace the period's computed stock in one statement; return how many rows."""
    if period.state == "closed":
        raise ValidationError(_("This period is closed: reopen it first."),
                              fields={"period_id": _("Closed")})
    actor = actor or current_actor()
    with system_context():
        previous = previous_period(session, period)
        figures = movements(period, previous.id if previous else None).subquery("figures")
        now = utcnow()
        names = ["distributor_id", "product_id", *FIGURES, "closing", "difference"]
        select = sa.select(
            *[figures.c[name] for name in names],
            sa.literal(period.id, sa.Integer), sa.literal(period.division_id, sa.Integer),
            sa.literal(actor.user_id, sa.Integer), sa.literal(actor.user_id, sa.Integer),
            sa.literal(1, sa.Integer), sa.literal(now, sa.DateTime),
            sa.literal(now, sa.DateTime))
        table = ChannelStock.__table__
        session.execute(sa.delete(table).where(table.c.period_id == period.id))
        session.execute(sa.insert(table).from_select(
            [*names, "period_id", "division_id", "create_uid", "write_uid", "version",
             "create_date", "write_date"], select))
        # rowcount of INSERT … SELECT is not reported by every driver: count.
        return int(session.scalar(sa.select(sa.func.count()).select_from(table)
                                  .where(table.c.period_id == period.id)) or 0)


def compute_action(session: Session, period: Period, actor: Actor, values: dict[str, Any]) -> str:
    """The period form's button: compute the channel stock now."""
    count = compute_stock(session, period, actor)
    return _("Channel stock computed: {count} rows.").format(count=count)
