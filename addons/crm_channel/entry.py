"""Fast order entry (快速录单): find a distributor's authorised products by code, name,
pinyin or pinyin initials, see the agreed price and the distributor's stock, type
quantities and add them to the order in one go.

Products are found through the kernel's search tokens (crm_channel declares
`Product` searchable, so its code, name and specification are indexed with their
pinyin): an indexed prefix match, never a scan, then narrowed to the products the
distributor is authorised to carry on the order's date and that the order's
division may use. Everything runs as the signed-in user (record rules apply).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel.models import AuthorisedProduct, ChannelStock, Order, OrderLine, Period
from addons.crm_channel.rules import _agreement_lines
from addons.crm_customer.models import Product
from core.context import system_context
from core.errors import NotFound, ValidationError
from core.i18n import _
from core.lookups import usable_in
from core.search.query import matching, usable

LIMIT = 20
MAX_QUANTITY = 10_000_000


@dataclass(frozen=True)
class Offer:
    """A product the rep may order for the distributor, with its price and stock."""

    id: int
    code: str
    name: str
    spec: str
    unit: str
    price: Decimal | None
    agreed: bool
    stock: int | None
    stock_period: str | None
    on_order: int


def load_order(session: Session, order_id: int) -> Order:
    """The order as the user sees it (404 when hidden or absent)."""
    order = session.get(Order, order_id)
    if order is None:
        raise NotFound(_("This order does not exist or you may not see it."))
    return order


def authorised(order: Order) -> Any:
    """The ids of the products the order's distributor may carry on the order's date."""
    day = order.order_date or dt.date.today()
    return sa.select(AuthorisedProduct.product_id).where(
        AuthorisedProduct.distributor_id == order.distributor_id,
        sa.or_(AuthorisedProduct.date_from.is_(None), AuthorisedProduct.date_from <= day),
        sa.or_(AuthorisedProduct.date_to.is_(None), AuthorisedProduct.date_to >= day))


def _stock(session: Session, distributor_id: int,
           products: list[int]) -> dict[int, tuple[int, str]]:
    """The distributor's latest computed stock of each product, with its period."""
    if not products:
        return {}
    rows = session.execute(
        sa.select(ChannelStock.product_id, ChannelStock.closing, Period.code)
        .join(Period, Period.id == ChannelStock.period_id)
        .where(ChannelStock.distributor_id == distributor_id,
               ChannelStock.product_id.in_(products))
        .order_by(ChannelStock.product_id, Period.date_to.desc()))
    found: dict[int, tuple[int, str]] = {}
    for product, closing, code in rows:
        found.setdefault(product, (int(closing or 0), code))
    return found


def offers(session: Session, order: Order, query: str) -> list[Offer]:
    """Up to LIMIT authorised products matching `query` (all of them, first ones, when empty)."""
    words = usable(query)
    if query.strip() and not words:
        return []
    dialect = session.get_bind().dialect.name
    statement = (sa.select(Product.id, Product.code, Product.name, Product.spec, Product.unit,
                           Product.price)
                 .where(usable_in(Product, order.division_id), Product.active.is_(True),
                        Product.id.in_(authorised(order)), matching(Product, words, dialect))
                 .order_by(Product.code).limit(LIMIT))
    rows = session.execute(statement).all()
    ids = [row.id for row in rows]
    with system_context():  # the agreement's terms and the stock figures behind the prices
        terms = _agreement_lines(session, order.distributor_id,
                                 order.order_date or dt.date.today())
        stock = _stock(session, order.distributor_id, ids)
    ordered: dict[int, int] = {}
    for line in order.lines:
        ordered[line.product_id] = ordered.get(line.product_id, 0) + (line.quantity or 0)
    found = []
    for row in rows:
        agreed = terms.get(row.id)
        quantity, period = stock.get(row.id, (None, None))
        found.append(Offer(row.id, row.code, row.name, row.spec or "", row.unit or "",
                           agreed.supply_price if agreed is not None else row.price,
                           agreed is not None, quantity, period, ordered.get(row.id, 0)))
    return found


def parse_quantities(form: dict[str, str]) -> dict[int, int]:
    """`qty_<product id>` fields with a quantity; empty ones are skipped."""
    wanted: dict[int, int] = {}
    errors: dict[str, str] = {}
    for key, raw in form.items():
        if not key.startswith("qty_") or not key[4:].isdigit() or not str(raw).strip():
            continue
        text = str(raw).strip()
        if not text.isdigit() or not 0 < int(text) <= MAX_QUANTITY:
            errors[key] = _("Enter a whole quantity above zero.")
            continue
        wanted[int(key[4:])] = int(text)
    if errors:
        raise ValidationError(next(iter(errors.values())), fields=errors)
    if not wanted:
        raise ValidationError(_("Type a quantity for at least one product."))
    return wanted


def add_lines(session: Session, order: Order, wanted: dict[int, int]) -> int:
    """Add the quantities to the order (a product already on it gets more); the save-time
    rules price the lines from the agreement and check the minimum quantities."""
    if order.state != "saved":
        raise ValidationError(_("Products can be added to a saved order only."))
    allowed = set(session.scalars(
        sa.select(Product.id).where(usable_in(Product, order.division_id),
                                    Product.id.in_(list(wanted)),
                                    Product.id.in_(authorised(order)))))
    refused = [product for product in wanted if product not in allowed]
    if refused:
        raise ValidationError(_("The distributor is not authorised for some of these products."),
                              fields={f"qty_{product}": _("Not authorised for this distributor.")
                                      for product in refused})
    with system_context():
        terms = _agreement_lines(session, order.distributor_id,
                                 order.order_date or dt.date.today())
        listed = dict(session.execute(sa.select(Product.id, Product.price).where(
            Product.id.in_(list(wanted)))).all())
    existing = {line.product_id: line for line in order.lines}
    for product, quantity in wanted.items():
        line = existing.get(product)
        if line is not None:
            line.quantity = (line.quantity or 0) + quantity
        else:  # no price: the agreement's, set at save time; else the list price
            order.lines.append(OrderLine(
                product_id=product, quantity=quantity,
                price=None if product in terms else listed.get(product)))
    session.flush()
    return len(wanted)
