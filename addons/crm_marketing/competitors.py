"""Save-time completion of competitor moves (竞品动态, #16): a move names its reporter,
a price change needs the price now, and a reported price becomes the competitor
product's price (the one it replaces is kept on the move)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from addons.crm_marketing.models import CompetitorMove, CompetitorProduct
from core.context import current_actor, system_context
from core.errors import ValidationError
from core.i18n import _


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError(message, fields={field: message})


def prepare_move(session: Session, move: CompetitorMove) -> None:
    """Fill the reporter, check the price and the product, update the product's price."""
    actor = current_actor()
    if move.reporter_id is None and actor.user_id is not None:
        move.reporter_id = actor.user_id
    if move.kind == "price_change" and move.new_price is None:
        raise _refuse("new_price", _("Enter the price now."))
    if move.product_id is None:
        return
    with system_context(), session.no_autoflush:
        product = session.get(CompetitorProduct, move.product_id)
    if product is None:
        return
    if product.competitor_id != move.competitor_id:
        raise _refuse("product_id", _("This product belongs to another competitor."))
    if move.id is None and move.new_price is not None:  # a new report: keep the old price
        if move.old_price is None:
            move.old_price = product.price
        product.price = move.new_price


def prepare(session: Session, records: list[Any]) -> None:
    """Complete the competitor moves of one flush."""
    for record in records:
        if isinstance(record, CompetitorMove):
            prepare_move(session, record)
