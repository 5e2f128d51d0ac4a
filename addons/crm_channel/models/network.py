"""The channel network (渠道层级): tiers, dated suppliers, territories, authorised
products, and the yearly distribution agreements (协议管理)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_customer.models import Customer, Product
from core.i18n import _l
from core.orm import Model, Money, extends, ref

TIERS = [("tier1", _l("Tier-1 distributor")), ("tier2", _l("Tier-2 distributor")),
         ("chain", _l("Chain head office")), ("terminal", _l("Terminal"))]
AGREEMENT_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                    ("approved", _l("In force")), ("terminated", _l("Terminated"))]


@extends(Customer)
class CustomerChannel:
    """Where a customer sits in the channel: its tier (the upstream is crm_customer's),
    and the credit its open orders may reach (none: no limit)."""

    channel_tier: Mapped[str | None] = mapped_column(
        sa.String(16), index=True, info={"label": _l("Channel tier"), "choices": TIERS})
    # Not "credit_limit": the crm_credit addon names its own column so.
    channel_credit_limit: Mapped[Decimal | None] = mapped_column(
        Money(), info={"label": _l("Order credit limit")})


class SupplierLink(Model):
    """Who supplied a customer from when to when (a store may switch supplier)."""

    __tablename__ = "crm_channel_supplier"
    __label__ = _l("Supplier")
    __display__ = "date_from"

    customer_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Customer"))
    upstream_id: Mapped[int] = ref(Customer, label=_l("Supplied by"))
    date_from: Mapped[dt.date] = mapped_column(info={"label": _l("From")})
    date_to: Mapped[dt.date | None] = mapped_column(info={"label": _l("Until")})


class Territory(Model):
    """A region a distributor is assigned to serve (负责区域)."""

    __tablename__ = "crm_channel_territory"
    __label__ = _l("Territory")
    __display__ = "region_id"
    __region__ = "region_id"
    __table_args__ = (sa.UniqueConstraint("distributor_id", "region_id"),)

    distributor_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Distributor"))
    region_id: Mapped[int] = ref("kehu_region", label=_l("Region"))


class AuthorisedProduct(Model):
    """A product a distributor is authorised to carry (授权产品)."""

    __tablename__ = "crm_channel_authorised_product"
    __label__ = _l("Authorised product")
    __display__ = "product_id"
    __table_args__ = (sa.UniqueConstraint("distributor_id", "product_id"),)

    distributor_id: Mapped[int] = ref(Customer, ondelete="CASCADE", label=_l("Distributor"))
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    date_from: Mapped[dt.date | None] = mapped_column(info={"label": _l("From")})
    date_to: Mapped[dt.date | None] = mapped_column(info={"label": _l("Until")})


class Agreement(Model):
    """A yearly distribution agreement (经销协议) with a distributor, approved before it holds."""

    __tablename__ = "crm_channel_agreement"
    __label__ = _l("Agreement")
    __display__ = "number"
    __owner__ = "owner_id"
    __department__ = "department_id"
    __attachments__ = True
    __tracked__ = ("state", "date_to")

    number: Mapped[str | None] = mapped_column(sa.String(32), index=True,
                                               info={"label": _l("Number")})
    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    year: Mapped[int] = mapped_column(sa.Integer, info={"label": _l("Year")})
    date_from: Mapped[dt.date] = mapped_column(info={"label": _l("Valid from")})
    date_to: Mapped[dt.date] = mapped_column(info={"label": _l("Valid until")})
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Territory"))
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    department_id: Mapped[int | None] = ref("kehu_department", nullable=True,
                                            label=_l("Department"))
    target_amount: Mapped[Decimal] = mapped_column(
        Money(), default=Decimal("0"), server_default="0", info={"label": _l("Yearly target")})
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})
    state: Mapped[str] = mapped_column(
        sa.String(16), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": AGREEMENT_STATES})

    lines: Mapped[list[AgreementLine]] = relationship(
        back_populates="agreement", cascade="all, delete-orphan", order_by="AgreementLine.id")

    def compute(self) -> None:
        """The yearly target is the lines' quarterly targets at the supply price."""
        total = Decimal("0")
        for line in self.lines:
            quantity = sum((q or 0) for q in (line.q1, line.q2, line.q3, line.q4))
            total += Decimal(quantity) * (line.supply_price or Decimal("0"))
            if self.division_id is not None:
                line.division_id = self.division_id
        self.target_amount = total


class AgreementLine(Model):
    """A product of an agreement: prices and the purchase target per quarter."""

    __tablename__ = "crm_channel_agreement_line"
    __label__ = _l("Agreement line")
    __display__ = "product_id"

    agreement_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_channel_agreement.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Agreement")})
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    supply_price: Mapped[Decimal] = mapped_column(Money(), info={"label": _l("Supply price")})
    min_resale_price: Mapped[Decimal | None] = mapped_column(
        Money(), info={"label": _l("Minimum resale price")})
    min_quantity: Mapped[int | None] = mapped_column(
        sa.Integer, info={"label": _l("Minimum order quantity")})
    q1: Mapped[int | None] = mapped_column(sa.Integer, info={"label": _l("Target Q1")})
    q2: Mapped[int | None] = mapped_column(sa.Integer, info={"label": _l("Target Q2")})
    q3: Mapped[int | None] = mapped_column(sa.Integer, info={"label": _l("Target Q3")})
    q4: Mapped[int | None] = mapped_column(sa.Integer, info={"label": _l("Target Q4")})

    agreement: Mapped[Agreement] = relationship(back_populates="lines")
