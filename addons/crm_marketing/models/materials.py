"""Promotional material (广促品): items, warehouses, suppliers, stock, receipts and requests.

Stock is a row per item and warehouse, changed only by posting a receipt (a
purchase or a return) and by approving a request (the issue). The issue is one
conditional UPDATE (`quantity >= wanted`), so concurrent approvals can never
take the stock below zero.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_marketing.models.campaigns import Campaign
from core.i18n import _l
from core.orm import Model, ref

RECEIPT_KINDS = [("purchase", _l("Purchase")), ("return", _l("Return"))]
RECEIPT_STATES = [("draft", _l("Draft")), ("posted", _l("Posted"))]
REQUEST_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                  ("issued", _l("Issued"))]


class MaterialWarehouse(Model):
    """A store of promotional material (广促品仓库), e.g. per region."""

    __tablename__ = "crm_marketing_warehouse"
    __label__ = _l("Material warehouse")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(100), info={"label": _l("Name")})
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))


class MaterialSupplier(Model):
    """A supplier of promotional material."""

    __tablename__ = "crm_marketing_supplier"
    __label__ = _l("Material supplier")

    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    contact_name: Mapped[str | None] = mapped_column(sa.String(64),
                                                     info={"label": _l("Contact person")})
    phone: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Phone")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})


class MaterialItem(Model):
    """A promotional item (广促品): brochures, samples, gifts, display stands."""

    __tablename__ = "crm_marketing_material"
    __label__ = _l("Promotional item")
    __table_args__ = (sa.UniqueConstraint("division_id", "code"),)

    code: Mapped[str] = mapped_column(sa.String(32), info={"label": _l("Code")})
    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    unit: Mapped[str] = mapped_column(sa.String(16), default="件", info={"label": _l("Unit")})
    unit_cost: Mapped[Decimal] = mapped_column(default=Decimal("0"), server_default="0",
                                               info={"label": _l("Unit cost")})
    supplier_id: Mapped[int | None] = ref(MaterialSupplier, nullable=True, ondelete="SET NULL",
                                          label=_l("Supplier"))
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})


class MaterialStock(Model):
    """How many of an item a warehouse holds (written by receipts and issues only)."""

    __tablename__ = "crm_marketing_stock"
    __label__ = _l("Material stock")
    __table_args__ = (sa.UniqueConstraint("item_id", "warehouse_id"),
                      sa.CheckConstraint("quantity >= 0", name="not_negative"))

    item_id: Mapped[int] = ref(MaterialItem, label=_l("Promotional item"))
    warehouse_id: Mapped[int] = ref(MaterialWarehouse, label=_l("Warehouse"))
    quantity: Mapped[int] = mapped_column(default=0, server_default="0",
                                          info={"label": _l("In stock")})


class MaterialReceipt(Model):
    """Material into stock (入库单): a purchase from a supplier, or a return of unused items."""

    __tablename__ = "crm_marketing_receipt"
    __label__ = _l("Material receipt")
    __display__ = "reference"

    reference: Mapped[str] = mapped_column(sa.String(64), info={"label": _l("Reference")})
    kind: Mapped[str] = mapped_column(sa.String(16), default="purchase",
                                      info={"label": _l("Kind"), "choices": RECEIPT_KINDS})
    warehouse_id: Mapped[int] = ref(MaterialWarehouse, label=_l("Warehouse"))
    supplier_id: Mapped[int | None] = ref(MaterialSupplier, nullable=True,
                                          label=_l("Supplier"))
    request_id: Mapped[int | None] = ref("crm_marketing_request", nullable=True,
                                         ondelete="SET NULL", label=_l("Returned from request"))
    received_on: Mapped[dt.date] = mapped_column(default=dt.date.today,
                                                 info={"label": _l("Date")})
    state: Mapped[str] = mapped_column(sa.String(16), default="draft", server_default="draft",
                                       info={"label": _l("State"), "choices": RECEIPT_STATES})

    lines: Mapped[list[MaterialReceiptLine]] = relationship(
        back_populates="receipt", cascade="all, delete-orphan",
        order_by="MaterialReceiptLine.id", info={"label": _l("Items")})


class MaterialReceiptLine(Model):
    """An item and quantity received."""

    __tablename__ = "crm_marketing_receipt_line"
    __label__ = _l("Receipt line")

    receipt_id: Mapped[int] = ref(MaterialReceipt, ondelete="CASCADE",
                                  label=_l("Material receipt"))
    item_id: Mapped[int] = ref(MaterialItem, label=_l("Promotional item"))
    quantity: Mapped[int] = mapped_column(info={"label": _l("Quantity")})
    unit_cost: Mapped[Decimal | None] = mapped_column(info={"label": _l("Unit cost")})

    receipt: Mapped[MaterialReceipt] = relationship(back_populates="lines")


class MaterialRequest(Model):
    """A request for promotional material (广促品申请) by a rep or for a campaign."""

    __tablename__ = "crm_marketing_request"
    __label__ = _l("Material request")
    __display__ = "purpose"
    __owner__ = "requester_id"
    __department__ = "department_id"
    __region__ = "region_id"

    purpose: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Purpose")})
    warehouse_id: Mapped[int] = ref(MaterialWarehouse, label=_l("Warehouse"))
    campaign_id: Mapped[int | None] = ref(Campaign, nullable=True, ondelete="SET NULL",
                                          label=_l("Campaign"))
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    requester_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                           label=_l("Requested by"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    issued_on: Mapped[dt.date | None] = mapped_column(info={"label": _l("Issued on")})
    state: Mapped[str] = mapped_column(sa.String(16), default="draft", server_default="draft",
                                       index=True,
                                       info={"label": _l("State"), "choices": REQUEST_STATES})

    lines: Mapped[list[MaterialRequestLine]] = relationship(
        back_populates="request", cascade="all, delete-orphan",
        order_by="MaterialRequestLine.id", info={"label": _l("Items")})


class MaterialRequestLine(Model):
    """An item and quantity requested; copies the request's campaign and region for reports."""

    __tablename__ = "crm_marketing_request_line"
    __label__ = _l("Request line")
    __owner__ = "requester_id"

    request_id: Mapped[int] = ref(MaterialRequest, ondelete="CASCADE",
                                  label=_l("Material request"))
    item_id: Mapped[int] = ref(MaterialItem, label=_l("Promotional item"))
    quantity: Mapped[int] = mapped_column(info={"label": _l("Quantity")})
    requester_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                           label=_l("Requested by"))

    request: Mapped[MaterialRequest] = relationship(back_populates="lines")
