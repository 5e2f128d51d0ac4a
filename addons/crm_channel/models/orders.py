"""Orders of distributors (订货单) with their shipments, returns (退货申请), monthly
order plans (订货计划) and terminals' requests (终端要货申请)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_channel.models.network import Agreement
from addons.crm_customer.models import Contact, Customer, Product
from core.i18n import _l
from core.orm import Model, Money, ref

ORDER_STATES = [("saved", _l("Saved")), ("submitted", _l("Submitted")),
                ("approved", _l("Approved")), ("processed", _l("Processed in the ERP")),
                ("shipped", _l("Shipped")), ("closed", _l("Closed")), ("void", _l("Void"))]
RETURN_STATES = [("saved", _l("Saved")), ("submitted", _l("Submitted")),
                 ("approved", _l("Approved")), ("processed", _l("Processed in the ERP")),
                 ("void", _l("Void"))]
RETURN_REASONS = [("quality", _l("Quality problem")), ("expiry", _l("Near expiry")),
                  ("damaged", _l("Damaged in transport")), ("wrong", _l("Wrong goods")),
                  ("overstock", _l("Overstock")), ("other", _l("Other"))]
REQUEST_STATES = [("draft", _l("Draft")), ("ordered", _l("Ordered")),
                  ("refused", _l("Refused"))]


def _lines_total(lines: list[OrderLine] | list[ReturnLine]) -> Decimal:
    total = Decimal("0")
    for line in lines:
        line.amount = Decimal(line.quantity or 0) * (line.price or Decimal("0"))
        total += line.amount
    return total


class Order(Model):
    """A distributor's order (订货单): approved here, processed and shipped by the ERP."""

    __tablename__ = "crm_channel_order"
    __label__ = _l("Order")
    __display__ = "number"
    __owner__ = "owner_id"
    __department__ = "department_id"
    __tracked__ = ("state", "erp_order_no", "total")

    number: Mapped[str | None] = mapped_column(sa.String(32), index=True,
                                               info={"label": _l("Number")})
    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    order_date: Mapped[dt.date] = mapped_column(info={"label": _l("Order date")})
    agreement_id: Mapped[int | None] = ref(Agreement, nullable=True, label=_l("Agreement"))
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Sales rep"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0",
                                           info={"label": _l("Total")})
    erp_order_no: Mapped[str | None] = mapped_column(sa.String(40), index=True,
                                                     info={"label": _l("ERP order no.")})
    received_on: Mapped[dt.date | None] = mapped_column(info={"label": _l("Received on")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})
    state: Mapped[str] = mapped_column(
        sa.String(16), default="saved", server_default="saved", index=True,
        info={"label": _l("State"), "choices": ORDER_STATES})

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.id")

    def compute(self) -> None:
        """Line amounts and the total; back-orders from what was shipped."""
        self.total = _lines_total(self.lines)
        for line in self.lines:
            line.backorder_qty = max((line.quantity or 0) - (line.shipped_qty or 0), 0)
            line.order_date = self.order_date
            if self.division_id is not None:
                line.division_id = self.division_id


class OrderLine(Model):
    """A product of an order: quantity, price, and what was shipped and returned."""

    __tablename__ = "crm_channel_order_line"
    __label__ = _l("Order line")
    __display__ = "product_id"

    order_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_channel_order.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Order")})
    # Copied from the order, so reports group lines by month in one query.
    order_date: Mapped[dt.date | None] = mapped_column(index=True,
                                                       info={"label": _l("Order date")})
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    quantity: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Quantity")})
    price: Mapped[Decimal | None] = mapped_column(Money(), info={"label": _l("Price")})
    amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0",
                                            info={"label": _l("Amount")})
    shipped_qty: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0",
                                             info={"label": _l("Shipped")})
    backorder_qty: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0",
                                               info={"label": _l("Back-order")})
    returned_qty: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0",
                                              info={"label": _l("Returned")})

    order: Mapped[Order] = relationship(back_populates="lines")


class Shipment(Model):
    """A delivery of an order reported by the ERP (发货): one order, many shipments."""

    __tablename__ = "crm_channel_shipment"
    __label__ = _l("Shipment")
    __display__ = "delivery_no"

    order_id: Mapped[int] = ref(Order, ondelete="CASCADE", label=_l("Order"))
    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    delivery_no: Mapped[str] = mapped_column(sa.String(40), info={"label": _l("Delivery no.")})
    outbound_no: Mapped[str | None] = mapped_column(sa.String(40),
                                                    info={"label": _l("Outbound no.")})
    ship_date: Mapped[dt.date] = mapped_column(index=True, info={"label": _l("Shipped on")})

    lines: Mapped[list[ShipmentLine]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="ShipmentLine.id")


class ShipmentLine(Model):
    """A product and quantity of a shipment, with its batch (批号)."""

    __tablename__ = "crm_channel_shipment_line"
    __label__ = _l("Shipment line")
    __display__ = "product_id"

    shipment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_channel_shipment.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Shipment")})
    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    ship_date: Mapped[dt.date] = mapped_column(info={"label": _l("Shipped on")})
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    quantity: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Quantity")})
    amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0",
                                            info={"label": _l("Amount")})
    batch: Mapped[str | None] = mapped_column(sa.String(40), index=True,
                                              info={"label": _l("Batch")})

    shipment: Mapped[Shipment] = relationship(back_populates="lines")


class ReturnRequest(Model):
    """A distributor's return of shipped goods (退货申请): at most what was shipped."""

    __tablename__ = "crm_channel_return"
    __label__ = _l("Return")
    __display__ = "number"
    __owner__ = "owner_id"
    __department__ = "department_id"
    __attachments__ = True
    __tracked__ = ("state", "erp_return_no")

    number: Mapped[str | None] = mapped_column(sa.String(32), index=True,
                                               info={"label": _l("Number")})
    order_id: Mapped[int] = ref(Order, label=_l("Order"))
    distributor_id: Mapped[int | None] = ref(Customer, nullable=True, label=_l("Distributor"))
    return_date: Mapped[dt.date] = mapped_column(info={"label": _l("Return date")})
    reason: Mapped[str] = mapped_column(sa.String(16), info={"label": _l("Reason"),
                                                            "choices": RETURN_REASONS})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Sales rep"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    total: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0",
                                           info={"label": _l("Total")})
    erp_return_no: Mapped[str | None] = mapped_column(sa.String(40),
                                                      info={"label": _l("ERP return no.")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})
    state: Mapped[str] = mapped_column(
        sa.String(16), default="saved", server_default="saved", index=True,
        info={"label": _l("State"), "choices": RETURN_STATES})

    lines: Mapped[list[ReturnLine]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="ReturnLine.id")

    def compute(self) -> None:
        """Line amounts and the total."""
        self.total = _lines_total(self.lines)
        for line in self.lines:
            if self.division_id is not None:
                line.division_id = self.division_id


class ReturnLine(Model):
    """A product and quantity returned."""

    __tablename__ = "crm_channel_return_line"
    __label__ = _l("Return line")
    __display__ = "product_id"

    return_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_channel_return.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Return")})
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    quantity: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Quantity")})
    price: Mapped[Decimal | None] = mapped_column(Money(), info={"label": _l("Price")})
    amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"), server_default="0",
                                            info={"label": _l("Amount")})
    batch: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Batch")})

    request: Mapped[ReturnRequest] = relationship(back_populates="lines")


class Receipt(Model):
    """A distributor's confirmation that a shipment arrived (签收): the date, what was
    received of each product and the differences noted, by its contact or the rep."""

    __tablename__ = "crm_channel_receipt"
    __label__ = _l("Receipt")
    __display__ = "received_on"
    __owner__ = "owner_id"
    __tracked__ = ("received_on", "note")

    order_id: Mapped[int] = ref(Order, ondelete="CASCADE", label=_l("Order"))
    shipment_id: Mapped[int | None] = ref(Shipment, nullable=True, ondelete="SET NULL",
                                          label=_l("Shipment"))
    distributor_id: Mapped[int | None] = ref(Customer, nullable=True, label=_l("Distributor"))
    received_on: Mapped[dt.date] = mapped_column(info={"label": _l("Received on")})
    contact_id: Mapped[int | None] = ref(Contact, nullable=True, ondelete="SET NULL",
                                         label=_l("Confirmed by (distributor's contact)"))
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Recorded by"))
    has_differences: Mapped[bool] = mapped_column(
        default=False, server_default=sa.false(), info={"label": _l("Differences noted")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})

    lines: Mapped[list[ReceiptLine]] = relationship(
        back_populates="receipt", cascade="all, delete-orphan", order_by="ReceiptLine.id")


class ReceiptLine(Model):
    """A product of a receipt: shipped, received, the difference and why."""

    __tablename__ = "crm_channel_receipt_line"
    __label__ = _l("Receipt line")
    __display__ = "product_id"

    receipt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_channel_receipt.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Receipt")})
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    shipped_qty: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0",
                                             info={"label": _l("Shipped")})
    quantity: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Received")})
    difference: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0",
                                            info={"label": _l("Difference")})
    note: Mapped[str | None] = mapped_column(sa.String(255),
                                             info={"label": _l("Difference noted")})

    receipt: Mapped[Receipt] = relationship(back_populates="lines")


class OrderPlan(Model):
    """A monthly forecast (订货计划) of one distributor for one product."""

    __tablename__ = "crm_channel_plan"
    __label__ = _l("Order plan")
    __display__ = "month"
    __owner__ = "owner_id"
    __table_args__ = (sa.UniqueConstraint("division_id", "month", "distributor_id",
                                          "product_id"),)

    month: Mapped[str] = mapped_column(sa.String(7), index=True,
                                       info={"label": _l("Month (YYYY-MM)")})
    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    quantity: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Planned quantity")})
    amount: Mapped[Decimal | None] = mapped_column(Money(), info={"label": _l("Planned amount")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Entered by"))


class TerminalRequest(Model):
    """A pharmacy's or store's request (终端要货申请), turned into its distributor's order."""

    __tablename__ = "crm_channel_terminal_request"
    __label__ = _l("Terminal request")
    __display__ = "request_date"
    __owner__ = "owner_id"

    terminal_id: Mapped[int] = ref(Customer, label=_l("Terminal"))
    distributor_id: Mapped[int | None] = ref(Customer, nullable=True, label=_l("Distributor"))
    request_date: Mapped[dt.date] = mapped_column(info={"label": _l("Requested on")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Sales rep"))
    order_id: Mapped[int | None] = ref(Order, nullable=True, ondelete="SET NULL",
                                       label=_l("Order"))
    note: Mapped[str | None] = mapped_column(sa.String(500), info={"label": _l("Note")})
    state: Mapped[str] = mapped_column(
        sa.String(16), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": REQUEST_STATES})

    lines: Mapped[list[TerminalRequestLine]] = relationship(
        back_populates="request", cascade="all, delete-orphan", order_by="TerminalRequestLine.id")

    def compute(self) -> None:
        """Lines carry the request's division."""
        for line in self.lines:
            if self.division_id is not None:
                line.division_id = self.division_id


class TerminalRequestLine(Model):
    """A product and quantity a terminal asks for."""

    __tablename__ = "crm_channel_terminal_request_line"
    __label__ = _l("Requested product")
    __display__ = "product_id"

    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_channel_terminal_request.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Terminal request")})
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    quantity: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Quantity")})

    request: Mapped[TerminalRequest] = relationship(back_populates="lines")
