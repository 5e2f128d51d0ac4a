"""Save-time completion and checks of channel records (the kernel's one listener calls
`prepare` through `kehu_prepare_records`, for divisions that enable crm_channel)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_channel import plans
from addons.crm_channel.models import (
    Agreement,
    AgreementLine,
    ChannelStock,
    FlowLine,
    Inspection,
    OpeningStock,
    Order,
    OrderLine,
    OrderPlan,
    Period,
    Receipt,
    ReceiptLine,
    ReturnLine,
    ReturnRequest,
    ShipmentLine,
    StockAdjustment,
    StockReport,
    SupplierLink,
    TerminalRequest,
)
from addons.crm_customer.models import Contact, Customer
from core.context import current_actor, system_context
from core.errors import ValidationError
from core.i18n import _
from core.org import department_in
from core.orm import Money

PERIOD_BOUND = (OpeningStock, StockReport, StockAdjustment, ChannelStock)
# Orders that hold the distributor's credit: submitted or approved and not yet closed
# (closed: received and settled) nor void. A shipped order is still owed.
CREDIT_HOLDING = ("submitted", "approved", "processed", "shipped")
# Returns that hold quantity against what was shipped.
LIVE_RETURNS = ("saved", "submitted", "approved", "processed")


def next_number(session: Session, model: Any, prefix: str, day: dt.date,
                division_id: int | None) -> str:
    """<prefix>-<yyyymm>-<n>: the next free number of the month in the division."""
    stem = f"{prefix}-{day:%Y%m}-"
    with system_context():
        numbers = list(session.scalars(sa.select(model.number).where(
            model.division_id == division_id, model.number.startswith(stem))))
    numbers += [r.number for r in session.new if isinstance(r, model) and r.number]
    used = [int(n.removeprefix(stem)) for n in numbers if n.removeprefix(stem).isdigit()]
    return f"{stem}{max(used, default=0) + 1:04d}"


def refuse(errors: dict[str, str]) -> None:
    """Raise the errors, the first one as the message (one error: its own words)."""
    if errors:
        first = next(iter(errors.values()))
        raise ValidationError(first if len(errors) == 1 else
                              _("Please correct the marked fields."), fields=errors)


def _fill_person(session: Session, record: Any) -> None:
    actor = current_actor()
    if record.owner_id is None and actor.user_id is not None:
        record.owner_id = actor.user_id
    if getattr(record, "department_id", "n/a") is None and record.owner_id is not None:
        record.department_id = department_in(session, record.owner_id, record.division_id)


def _agreement_lines(session: Session, distributor_id: int, day: dt.date) -> dict[int, Any]:
    """The lines of the distributor's agreements in force on `day`, by product."""
    rows = session.execute(
        sa.select(AgreementLine.product_id, AgreementLine.supply_price,
                  AgreementLine.min_quantity, Agreement.id)
        .join(Agreement, Agreement.id == AgreementLine.agreement_id)
        .where(Agreement.distributor_id == distributor_id, Agreement.state == "approved",
               Agreement.date_from <= day, Agreement.date_to >= day))
    return {row.product_id: row for row in rows}


def _submitted_now(order: Order) -> bool:
    """Whether this flush moves the order from saved to submitted."""
    history = sa.inspect(order).attrs.state.history
    return order.state == "submitted" and "saved" in (history.deleted or ())


def open_orders_amount(session: Session, distributor_id: int, *,
                       but: int | None = None) -> Decimal:
    """The total of the distributor's orders that hold its credit (CREDIT_HOLDING)."""
    with system_context():
        total = session.scalar(sa.select(sa.func.sum(Order.total, type_=Money())).where(
            Order.distributor_id == distributor_id, Order.state.in_(CREDIT_HOLDING),
            Order.id != (but or 0)))
    return total if total is not None else Decimal("0")


def check_credit(session: Session, order: Order) -> None:
    """An order submitted beyond its distributor's credit limit is refused (#15).

    The limit covers this order plus the distributor's other open orders
    (CREDIT_HOLDING). The distributor's row is locked first (FOR UPDATE on
    PostgreSQL), so two orders submitted at the same moment are summed one after
    the other and cannot both slip under the limit.
    """
    with system_context():
        limit = session.scalar(
            sa.select(Customer.channel_credit_limit)  # type: ignore[attr-defined]
            .where(Customer.id == order.distributor_id).with_for_update())
    if limit is None:
        return
    exposure = open_orders_amount(session, order.distributor_id, but=order.id) + order.total
    if exposure > limit:  # about the whole order: no field of the form to mark
        raise ValidationError(_(
            "The distributor's credit limit is {limit}: with its open orders this order "
            "comes to {exposure}, {excess} over the limit.").format(
                limit=f"{limit:,.2f}", exposure=f"{exposure:,.2f}",
                excess=f"{exposure - limit:,.2f}"))


def prepare_order(session: Session, order: Order) -> None:
    """Number, rep, prices from the agreement in force and the minimum quantities;
    the credit limit when it is submitted."""
    _fill_person(session, order)
    if not order.number and order.order_date:
        order.number = next_number(session, Order, "DH", order.order_date, order.division_id)
    if order.distributor_id is not None and _submitted_now(order):
        check_credit(session, order)
    if (order.state or "saved") != "saved" or order.distributor_id is None or order.order_date is None:
        return
    agreed = _agreement_lines(session, order.distributor_id, order.order_date)
    errors: dict[str, str] = {}
    for index, line in enumerate(order.lines):
        terms = agreed.get(line.product_id)
        if terms is not None:
            order.agreement_id = order.agreement_id or terms.id
            if line.price is None:
                line.price = terms.supply_price
            if terms.min_quantity and (line.quantity or 0) < terms.min_quantity:
                errors[f"lines.{index}.quantity"] = _(
                    "Order at least {count} (the agreement's minimum).").format(
                        count=terms.min_quantity)
        if (line.quantity or 0) <= 0:
            errors[f"lines.{index}.quantity"] = _("Enter a quantity above zero.")
        if line.price is None:
            errors[f"lines.{index}.price"] = _("No agreement in force gives a price: enter one.")
    refuse(errors)
    order.compute()


def _returnable(session: Session, request: ReturnRequest) -> dict[int, int]:
    """Per product: shipped on the order less what other live returns hold."""
    shipped = dict(session.execute(
        sa.select(OrderLine.product_id, sa.func.sum(OrderLine.shipped_qty))
        .where(OrderLine.order_id == request.order_id).group_by(OrderLine.product_id)).all())
    others = session.execute(
        sa.select(ReturnLine.product_id, sa.func.sum(ReturnLine.quantity))
        .join(ReturnRequest, ReturnRequest.id == ReturnLine.return_id)
        .where(ReturnRequest.order_id == request.order_id,
               ReturnRequest.state.in_(LIVE_RETURNS),
               ReturnRequest.id != (request.id or 0))
        .group_by(ReturnLine.product_id))
    left = {product: int(quantity or 0) for product, quantity in shipped.items()}
    for product, quantity in others:
        left[product] = left.get(product, 0) - int(quantity or 0)
    return left


def prepare_return(session: Session, request: ReturnRequest) -> None:
    """A return names a shipped order and returns at most what is left of the shipment."""
    _fill_person(session, request)
    with system_context():
        order = session.get(Order, request.order_id) if request.order_id else None
    if order is None:
        refuse({"order_id": _("Choose the order the goods came with.")})
    request.distributor_id = order.distributor_id
    if not request.number and request.return_date:
        request.number = next_number(session, ReturnRequest, "TH", request.return_date,
                                     request.division_id)
    if (request.state or "saved") != "saved":
        return
    with system_context():
        left = _returnable(session, request)
        prices = dict(session.execute(sa.select(OrderLine.product_id, OrderLine.price)
                                      .where(OrderLine.order_id == order.id)).all())
    errors: dict[str, str] = {}
    asked: dict[int, int] = {}
    for index, line in enumerate(request.lines):
        asked[line.product_id] = asked.get(line.product_id, 0) + (line.quantity or 0)
        if (line.quantity or 0) <= 0:
            errors[f"lines.{index}.quantity"] = _("Enter a quantity above zero.")
        elif asked[line.product_id] > left.get(line.product_id, 0):
            errors[f"lines.{index}.quantity"] = _(
                "At most {count} can be returned: that is what was shipped and not "
                "returned yet.").format(count=max(left.get(line.product_id, 0), 0))
        if line.price is None:
            line.price = prices.get(line.product_id)
    if not request.lines:
        errors["lines"] = _("Add the products to return.")
    refuse(errors)
    request.compute()


def prepare_receipt(session: Session, receipt: Receipt) -> None:
    """A receipt names a shipped order and products on it; differences are computed."""
    _fill_person(session, receipt)
    with system_context():
        order = session.get(Order, receipt.order_id) if receipt.order_id else None
    if order is None:
        raise ValidationError(_("Choose the order the goods came with."),
                              fields={"order_id": _("Choose the order the goods came with.")})
    if order.state not in ("shipped", "closed") and not any(
            (line.shipped_qty or 0) > 0 for line in order.lines):
        refuse({"order_id": _("Nothing of this order was shipped yet.")})
    receipt.distributor_id = order.distributor_id
    if receipt.contact_id is not None:
        with system_context():
            company = session.scalar(sa.select(Contact.customer_id).where(
                Contact.id == receipt.contact_id))
        if company != order.distributor_id:
            refuse({"contact_id": _("Choose a contact of the distributor.")})
    shipped = {line.product_id: line.shipped_qty or 0 for line in order.lines}
    errors: dict[str, str] = {}
    for index, line in enumerate(receipt.lines):
        if line.product_id not in shipped:
            errors[f"lines.{index}.product_id"] = _("This product is not on the order.")
            continue
        if (line.quantity or 0) < 0:
            errors[f"lines.{index}.quantity"] = _("Enter the quantity received (0 or more).")
        if not line.shipped_qty:
            line.shipped_qty = shipped[line.product_id]
        line.difference = (line.quantity or 0) - line.shipped_qty
        if receipt.division_id is not None:
            line.division_id = receipt.division_id
    if not receipt.lines:
        errors["lines"] = _("Add the products received.")
    refuse(errors)
    receipt.has_differences = any(line.difference for line in receipt.lines)


def closed_periods(session: Session, ids: set[int]) -> set[int]:
    """Which of the periods `ids` are closed."""
    if not ids:
        return set()
    with system_context():
        return set(session.scalars(sa.select(Period.id).where(
            Period.id.in_(ids), Period.state == "closed")))


def check_periods(session: Session, records: list[Any]) -> None:
    """Nothing of a closed period may be added, changed or removed (#15)."""
    bound = [r for r in records if isinstance(r, PERIOD_BOUND)]
    closed = closed_periods(session, {r.period_id for r in bound if r.period_id})
    if any(r.period_id in closed for r in bound):
        refuse({"period_id": _("This period is closed: reopen it first.")})
    codes = {(r.division_id, r.period) for r in records if isinstance(r, FlowLine)}
    if codes and _closed_codes(session, codes):
        refuse({"period": _("This period is closed: reopen it first.")})


def _closed_codes(session: Session, codes: set[tuple[int | None, str]]) -> bool:
    with system_context():
        return session.scalar(sa.select(sa.func.count()).select_from(Period).where(
            Period.state == "closed",
            sa.tuple_(Period.division_id, Period.code).in_(list(codes)))) != 0


def trace_inspection(session: Session, inspection: Inspection) -> None:
    """Where the batch is known, the distributor it came from: the flow data first."""
    if inspection.distributor_id is not None or not inspection.batch:
        return
    _fill_person(session, inspection)
    with system_context():
        found = session.scalar(
            sa.select(FlowLine.distributor_id).where(
                FlowLine.product_id == inspection.product_id, FlowLine.batch == inspection.batch,
                FlowLine.division_id == inspection.division_id)
            .order_by(FlowLine.sale_date.desc()).limit(1))
        if found is None:
            found = session.scalar(sa.select(ShipmentLine.distributor_id).where(
                ShipmentLine.product_id == inspection.product_id,
                ShipmentLine.batch == inspection.batch).limit(1))
    if found is not None:
        inspection.distributor_id = found
        inspection.traced = True


def prepare_supplier(session: Session, link: SupplierLink) -> None:
    """The current supplier (no end date) becomes the customer's upstream."""
    if link.date_to is not None and link.date_from and link.date_to < link.date_from:
        refuse({"date_to": _("The period ends before it starts.")})
    if link.customer_id == link.upstream_id:
        refuse({"upstream_id": _("A customer cannot supply itself.")})
    if link.date_to is None or link.date_to >= dt.date.today():
        customer = session.get(Customer, link.customer_id)
        if customer is not None:
            customer.upstream_id = link.upstream_id


def prepare(session: Session, records: list[Any], deleted: list[Any]) -> None:
    """Complete and check every channel record of one flush."""
    with session.no_autoflush:
        check_periods(session, [*records, *deleted])
        # A document whose lines alone changed is completed and checked too.
        parents: list[Any] = [line.order for line in records
                              if isinstance(line, OrderLine) and line.order]
        parents += [line.request for line in records
                    if isinstance(line, ReturnLine) and line.request]
        parents += [line.receipt for line in records
                    if isinstance(line, ReceiptLine) and line.receipt]
        for record in dict.fromkeys([*records, *parents]):
            if isinstance(record, Order):
                prepare_order(session, record)
            elif isinstance(record, ReturnRequest):
                prepare_return(session, record)
            elif isinstance(record, Receipt):
                prepare_receipt(session, record)
            elif isinstance(record, OrderPlan):
                _fill_person(session, record)
                refuse(plans.check_plan(session, record))
            elif isinstance(record, Agreement):
                _fill_person(session, record)
                if not record.number and record.date_from:
                    record.number = next_number(session, Agreement, "XY", record.date_from,
                                                record.division_id)
                if record.date_from and record.date_to and record.date_to < record.date_from:
                    refuse({"date_to": _("The period ends before it starts.")})
            elif isinstance(record, Inspection):
                _fill_person(session, record)
                trace_inspection(session, record)
            elif isinstance(record, SupplierLink):
                prepare_supplier(session, record)
            elif isinstance(record, TerminalRequest):
                _fill_person(session, record)
                if record.distributor_id is None and record.terminal_id is not None:
                    with system_context():
                        record.distributor_id = session.scalar(
                            sa.select(Customer.upstream_id).where(
                                Customer.id == record.terminal_id))
            elif isinstance(record, StockAdjustment):
                _fill_person(session, record)
