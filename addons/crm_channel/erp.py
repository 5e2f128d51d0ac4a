"""ERP write-back (#15): the ERP, signed in as an integration user with a token, reports
processing (the `process` transition with its order number) and shipments through
`POST /api/v1/crm_channel_order/<id>/actions/erp_ship` — one order, many shipments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel.models import (
    Order,
    OrderLine,
    Receipt,
    ReceiptLine,
    ReturnRequest,
    Shipment,
    ShipmentLine,
)
from addons.crm_customer.models import Product
from core.context import Actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.workflow import fire


def _quantities(session: Session, order: Order, text: str | None) -> dict[int, int]:
    """`CODE:qty; CODE:qty` per product code, or everything back-ordered when empty."""
    if not text:
        return {line.id: line.backorder_qty for line in order.lines if line.backorder_qty > 0}
    with system_context():
        codes = dict(session.execute(sa.select(Product.code, Product.id).where(
            Product.id.in_([line.product_id for line in order.lines]))).all())
    by_product = {line.product_id: line for line in order.lines}
    wanted: dict[int, int] = {}
    for part in text.replace("；", ";").replace(",", ";").split(";"):
        if not part.strip():
            continue
        code, _sep, quantity = part.partition(":")
        product = codes.get(code.strip())
        if product is None or not quantity.strip().isdigit():
            raise ValidationError(_("Some values are missing or not valid."), fields={
                "quantities": _("Not on this order or not a quantity: {part}").format(
                    part=part.strip())})
        line = by_product[product]
        wanted[line.id] = wanted.get(line.id, 0) + int(quantity)
    return wanted


def ship(session: Session, order: Order, actor: Actor, values: dict[str, Any]) -> str:
    """Record one shipment of the order; the order is shipped once nothing is back-ordered."""
    wanted = _quantities(session, order, values.get("quantities"))
    lines = {line.id: line for line in order.lines}
    for line_id, quantity in wanted.items():
        if quantity <= 0 or quantity > lines[line_id].backorder_qty:
            raise ValidationError(_("Some values are missing or not valid."), fields={
                "quantities": _("At most the back-ordered quantity can be shipped.")})
    if not wanted:
        raise ValidationError(_("Nothing is left to ship on this order."))
    day: dt.date = values.get("ship_date") or dt.date.today()
    shipment = Shipment(order_id=order.id, distributor_id=order.distributor_id,
                        delivery_no=values["delivery_no"], outbound_no=values.get("outbound_no"),
                        ship_date=day, division_id=order.division_id,
                        create_uid=actor.user_id)
    # The order is locked once processed; what the ERP reports is written past the lock
    # on purpose, here and nowhere else (the rights and roles were checked above).
    with system_context():
        for line_id, quantity in wanted.items():
            line = lines[line_id]
            line.shipped_qty += quantity
            line.backorder_qty = max(line.quantity - line.shipped_qty, 0)
            shipment.lines.append(ShipmentLine(
                distributor_id=order.distributor_id, ship_date=day, product_id=line.product_id,
                quantity=quantity, amount=(line.price or 0) * quantity,
                batch=values.get("batch"), division_id=order.division_id,
                create_uid=actor.user_id))
        session.add(shipment)
        session.flush()
    if all(line.backorder_qty == 0 for line in order.lines):
        fire(session, order, "ship")
        return _("Shipment {number} recorded; the order is fully shipped.").format(
            number=shipment.delivery_no)
    return _("Shipment {number} recorded; the rest stays back-ordered.").format(
        number=shipment.delivery_no)


def receive(session: Session, order: Order, actor: Actor, values: dict[str, Any]) -> str:
    """The distributor received the goods: the order is closed."""
    fire(session, order, "close")
    with system_context():  # the date of receipt, on the now closed order
        order.received_on = values.get("received_on") or dt.date.today()
        session.flush()
    return _("The order is closed.")


def record_receipt(session: Session, order: Order, actor: Actor, values: dict[str, Any]) -> str:
    """The distributor confirms receipt (签收): what arrived of each shipped product, the
    differences noted; recorded by the rep or for the distributor's contact. Quantities
    `CODE:qty; …` name what differs from the shipment (empty: all received as shipped)."""
    shipped = {line.id: line.shipped_qty for line in order.lines if line.shipped_qty > 0}
    received = dict(shipped)
    if values.get("quantities"):
        received = {line_id: shipped.get(line_id, 0) for line_id in shipped}
        for line_id, quantity in _quantities(session, order, values["quantities"]).items():
            received[line_id] = quantity
    if not shipped:
        raise ValidationError(_("Nothing of this order was shipped yet."))
    lines = {line.id: line for line in order.lines}
    receipt = Receipt(order_id=order.id, received_on=values.get("received_on") or dt.date.today(),
                      contact_id=values.get("contact_id"), note=values.get("note"),
                      division_id=order.division_id)
    for line_id, quantity in received.items():
        receipt.lines.append(ReceiptLine(product_id=lines[line_id].product_id,
                                         shipped_qty=shipped.get(line_id, 0), quantity=quantity,
                                         note=values.get("note") if quantity != shipped.get(
                                             line_id, 0) else None))
    session.add(receipt)
    session.flush()
    if receipt.has_differences:
        return _("Receipt recorded with differences: see the receipt on the order.")
    return _("Receipt recorded: everything shipped arrived.")


def count_returned(session: Session, request: ReturnRequest) -> None:
    """A processed return adds its quantities to the order lines' returned quantity."""
    for line in request.lines:
        session.execute(sa.update(OrderLine).where(
            OrderLine.order_id == request.order_id, OrderLine.product_id == line.product_id)
            .values(returned_qty=OrderLine.returned_qty + line.quantity,
                    version=OrderLine.version + 1)
            .execution_options(synchronize_session=False))
