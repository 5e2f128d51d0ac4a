"""Terminal requests (终端要货申请) become orders of the terminal's distributor."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from addons.crm_channel.models import Order, OrderLine, TerminalRequest
from core.context import Actor
from core.errors import ValidationError
from core.i18n import _


def make_order(session: Session, request: TerminalRequest, actor: Actor,
               values: dict[str, Any]) -> str:
    """A saved order of the distributor with the requested products (prices from its agreement)."""
    if request.distributor_id is None:
        raise ValidationError(_("Name the distributor that supplies this terminal."),
                              fields={"distributor_id": _("This field is required.")})
    if not request.lines:
        raise ValidationError(_("Add the requested products first."))
    order = Order(distributor_id=request.distributor_id, order_date=request.request_date,
                  division_id=request.division_id,
                  note=_("From the request of terminal #{id}").format(id=request.terminal_id))
    order.lines = [OrderLine(product_id=line.product_id, quantity=line.quantity,
                             division_id=request.division_id) for line in request.lines]
    session.add(order)
    session.flush()
    request.order_id = order.id
    request.state = "ordered"
    return _("Order {number} created for the distributor.").format(number=order.number)
