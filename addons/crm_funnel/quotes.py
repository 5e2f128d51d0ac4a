"""Quotes and price protection (价格保护).

Every line of a quote that leaves draft is written to one price history per
customer and product, which any rep quoting that customer sees. A quote with a
price below the product's floor, or more than the division's allowed drop under
the last price quoted to that customer, cannot be confirmed by the rep: it is
submitted and the rep's manager approves it through the approval chain.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, object_session

from addons.crm_customer.models import Product
from addons.crm_funnel.models import (
    APPROVED,
    DRAFT,
    SUBMITTED,
    FunnelSetting,
    Opportunity,
    PriceHistory,
    Quote,
    QuoteLine,
)
from addons.crm_funnel.pipeline import place
from core.context import Actor, system_context
from core.errors import ValidationError
from core.i18n import _, _l
from core.workflow import ApprovalStep, State, Transition, Workflow

DEFAULT_MAX_DROP = 10


def max_price_drop(session: Session, division_id: int) -> int:
    """The division's allowed drop under the last quoted price, in percent."""
    value = session.scalar(sa.select(FunnelSetting.max_price_drop)
                           .where(FunnelSetting.division_id == division_id))
    return DEFAULT_MAX_DROP if value is None else int(value)


def last_prices(session: Session, customer_id: int, product_ids: set[int],
                exclude_quote: int | None) -> dict[int, Decimal]:
    """The last price quoted to the customer for each product (one query)."""
    if not product_ids:
        return {}
    latest = (sa.select(PriceHistory.product_id, sa.func.max(PriceHistory.id).label("last"))
              .where(PriceHistory.customer_id == customer_id,
                     PriceHistory.product_id.in_(sorted(product_ids)))
              .group_by(PriceHistory.product_id))
    if exclude_quote is not None:
        latest = latest.where(sa.or_(PriceHistory.quote_id.is_(None),
                                     PriceHistory.quote_id != exclude_quote))
    subquery = latest.subquery()
    rows = session.execute(sa.select(PriceHistory.product_id, PriceHistory.price)
                           .join(subquery, subquery.c.last == PriceHistory.id))
    return {row[0]: row[1] for row in rows}


def approval_reasons(session: Session, quote: Quote) -> list[str]:
    """Why `quote` needs a manager's approval: one sentence per line out of bounds."""
    lines = [line for line in quote.lines if line.product_id is not None and line.price is not None]
    ids = {line.product_id for line in lines}
    with system_context():  # protection applies whoever may see the product or the history
        products = {p.id: p for p in session.scalars(sa.select(Product).where(Product.id.in_(ids)))}
        last = last_prices(session, quote.customer_id, ids, quote.id)
        drop = max_price_drop(session, quote.division_id)
    reasons = []
    for line in lines:
        product = products.get(line.product_id)
        name = product.name if product is not None else str(line.product_id)
        floor = product.floor_price if product is not None else None
        if quote.state in (None, DRAFT):  # what the rep sees beside the price
            line.floor_price, line.last_price = floor, last.get(line.product_id)
        if floor is not None and line.price < floor:
            reasons.append(_("{product}: {price} is below the floor price {floor}.").format(
                product=name, price=line.price, floor=floor))
        previous = last.get(line.product_id)
        if previous is not None and line.price < previous * (100 - drop) / 100:
            reasons.append(_("{product}: {price} is more than {drop}% under the last quote to "
                             "this customer ({previous}).").format(
                product=name, price=line.price, drop=drop, previous=previous))
    return reasons


def _needs_approval(quote: Quote, actor: Actor) -> str | None:
    session = object_session(quote)
    if session is None or approval_reasons(session, quote):
        return None
    return _("Every price is within bounds: confirm the quote instead.")


def _within_bounds(quote: Quote, actor: Actor) -> str | None:
    session = object_session(quote)
    if session is None:
        return None
    reasons = approval_reasons(session, quote)
    if reasons:
        return _("Submit the quote for approval: {reasons}").format(reasons=" ".join(reasons))
    return None


def _has_lines(quote: Quote, actor: Actor) -> str | None:
    return None if quote.lines else _("Add at least one product line.")


def _both(*guards: Any) -> Any:
    def guard(quote: Quote, actor: Actor) -> str | None:
        for check in guards:
            refusal = check(quote, actor)
            if refusal:
                return str(refusal)
        return None

    return guard


QuoteFlow = Workflow(
    Quote,
    field=Quote.state,
    states=[State(DRAFT, _l("Draft")),
            State(SUBMITTED, _l("Waiting for approval"), locked=True),
            State(APPROVED, _l("Approved"), locked=True)],
    transitions=[
        Transition("confirm", _l("Confirm"), source=DRAFT, target=APPROVED,
                   guard=_both(_has_lines, _within_bounds)),
        Transition("submit", _l("Submit for approval"), source=DRAFT, target=SUBMITTED,
                   guard=_both(_has_lines, _needs_approval), approval=True),
        Transition("approve", _l("Approve"), source=SUBMITTED, target=APPROVED),
        Transition("reject", _l("Reject"), source=SUBMITTED, target=DRAFT, comment_required=True),
    ],
)


def extra_steps(session: Session, document: Any, transition: Transition) -> list[ApprovalStep]:
    """A quote out of bounds is approved by the rep's manager, with the reasons shown."""
    if not isinstance(document, Quote) or transition.name != "submit":
        return []
    reasons = approval_reasons(session, document)
    if not reasons:
        return []
    return [ApprovalStep.direct_manager(label=_l("Sales manager"),
                                        reason=" ".join(reasons)[:250])]


def record_prices(session: Session, quote: Quote, actor: Actor) -> int:
    """Write the quote's lines to the price history (again, if it is resubmitted)."""
    with system_context():
        session.execute(sa.delete(PriceHistory).where(PriceHistory.quote_id == quote.id))
        rows = [{"division_id": quote.division_id, "customer_id": quote.customer_id,
                 "product_id": line.product_id, "quote_id": quote.id, "price": line.price,
                 "quantity": line.quantity, "quoted_on": quote.quote_date or dt.date.today(),
                 "user_id": actor.user_id, "create_uid": actor.user_id,
                 "write_uid": actor.user_id, "version": 1}
                for line in quote.lines]
        if rows:
            session.execute(sa.insert(PriceHistory), rows)
    return len(rows)


# ------------------------------------------------------------------ saving


def next_quote_number(session: Session, division_id: int, day: dt.date) -> str:
    """BJ-<yyyymm>-<n>: the next free quote number of the month in the division."""
    prefix = f"BJ-{day:%Y%m}-"
    with system_context():
        numbers = list(session.scalars(sa.select(Quote.number).where(
            Quote.division_id == division_id, Quote.number.startswith(prefix))))
    numbers += [q.number for q in session.new if isinstance(q, Quote) and q.number]
    taken = [int(n[len(prefix):]) for n in numbers if n[len(prefix):].isdigit()]
    return f"{prefix}{max(taken, default=0) + 1:04d}"


def prepare(session: Session, quote: Quote) -> None:
    """Number, placement, total and the approval reasons of a quote being saved."""
    if quote.opportunity_id is not None:
        deal = session.get(Opportunity, quote.opportunity_id)
        if deal is None:
            message = _("The record does not exist or you may not see it.")
            raise ValidationError(message, fields={"opportunity_id": message})
        if quote.customer_id is None:
            quote.customer_id = deal.customer_id
        elif deal.customer_id != quote.customer_id:
            message = _("The opportunity is for another customer.")
            raise ValidationError(message, fields={"opportunity_id": message})
    if not quote.number:
        quote.number = next_quote_number(session, quote.division_id,
                                         quote.quote_date or dt.date.today())
    place(session, quote)
    quote.compute()
    if quote.state in (None, DRAFT):
        quote.approval_reason = " ".join(approval_reasons(session, quote))[:500] or None


def quotes_to_prepare(session: Session, records: list[Any]) -> set[Quote]:
    """The quotes a flush creates or changes, directly or through their lines."""
    found: set[Quote] = set()
    for record in records:
        if isinstance(record, Quote):
            found.add(record)
        elif isinstance(record, QuoteLine):
            quote = record.__dict__.get("quote") or (
                session.get(Quote, record.quote_id) if record.quote_id else None)
            if quote is not None:
                found.add(quote)
    return found


def prepare_quotes(session: Session, records: list[Any]) -> None:
    """Draft quotes get their number, total and approval reasons on every save."""
    for quote in quotes_to_prepare(session, records):
        if quote.state in (None, DRAFT):
            prepare(session, quote)
