"""Cross-region selling inspections (窜货) and rebate policies (返利政策) with tiers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from addons.crm_channel.models.network import TIERS
from addons.crm_customer.models import Customer, Product
from core.i18n import _l
from core.orm import Model, Money, ref

INSPECTION_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                     ("approved", _l("Confirmed")), ("closed", _l("Closed"))]
BASES = [("purchases", _l("Purchases (our shipments)")),
         ("sellout", _l("Sell-out (flow data)"))]
REBATE_STATES = [("draft", _l("Draft")), ("submitted", _l("Submitted")),
                 ("approved", _l("Approved"))]


class Inspection(Model):
    """A cross-region selling case (窜货稽查): goods found outside their territory."""

    __tablename__ = "crm_channel_inspection"
    __label__ = _l("Cross-region inspection")
    __display__ = "place"
    __owner__ = "owner_id"
    __attachments__ = True
    __tracked__ = ("state", "penalty")

    found_on: Mapped[dt.date] = mapped_column(info={"label": _l("Found on")})
    product_id: Mapped[int] = ref(Product, label=_l("Product"))
    batch: Mapped[str | None] = mapped_column(sa.String(40), info={"label": _l("Batch")})
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Found in region"))
    place: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Where found")})
    distributor_id: Mapped[int | None] = ref(Customer, nullable=True,
                                             label=_l("Came from distributor"))
    traced: Mapped[bool] = mapped_column(default=False, server_default=sa.false(),
                                         info={"label": _l("Traced through flow data")})
    quantity: Mapped[int | None] = mapped_column(sa.Integer, info={"label": _l("Quantity")})
    finding: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Finding")})
    penalty: Mapped[Decimal | None] = mapped_column(Money(), info={"label": _l("Penalty")})
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Inspector"))
    state: Mapped[str] = mapped_column(
        sa.String(16), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": INSPECTION_STATES})


class RebatePolicy(Model):
    """A rebate or incentive policy (返利政策) for one distributor or a whole tier."""

    __tablename__ = "crm_channel_rebate_policy"
    __label__ = _l("Rebate policy")
    __display__ = "name"

    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    distributor_id: Mapped[int | None] = ref(Customer, nullable=True, label=_l("Distributor"))
    tier: Mapped[str | None] = mapped_column(sa.String(16), info={"label": _l("Channel tier"),
                                                                 "choices": TIERS})
    basis: Mapped[str] = mapped_column(sa.String(16), default="purchases",
                                       server_default="purchases",
                                       info={"label": _l("Basis"), "choices": BASES})
    date_from: Mapped[dt.date] = mapped_column(info={"label": _l("From")})
    date_to: Mapped[dt.date] = mapped_column(info={"label": _l("Until")})
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true(),
                                         info={"label": _l("Active")})

    tiers: Mapped[list[RebateTier]] = relationship(
        back_populates="policy", cascade="all, delete-orphan", order_by="RebateTier.threshold")

    def compute(self) -> None:
        """Tiers carry the policy's division."""
        for tier in self.tiers:
            if self.division_id is not None:
                tier.division_id = self.division_id


class RebateTier(Model):
    """From `threshold` (yuan of the basis) on, the rebate is `rate` percent of all of it."""

    __tablename__ = "crm_channel_rebate_tier"
    __label__ = _l("Rebate tier")
    __display__ = "threshold"

    policy_id: Mapped[int] = mapped_column(
        sa.ForeignKey("crm_channel_rebate_policy.id", ondelete="CASCADE"), index=True,
        info={"label": _l("Rebate policy")})
    threshold: Mapped[Decimal] = mapped_column(Money(), info={"label": _l("From amount")})
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(7, 4), info={"label": _l("Rate (%)")})

    policy: Mapped[RebatePolicy] = relationship(back_populates="tiers")


class Rebate(Model):
    """The rebate a policy earns a distributor for a period (返利计算), then approved."""

    __tablename__ = "crm_channel_rebate"
    __label__ = _l("Rebate")
    __display__ = "period"
    __table_args__ = (sa.UniqueConstraint("policy_id", "distributor_id", "period"),)

    policy_id: Mapped[int] = ref(RebatePolicy, ondelete="CASCADE", label=_l("Rebate policy"))
    distributor_id: Mapped[int] = ref(Customer, label=_l("Distributor"))
    period: Mapped[str] = mapped_column(sa.String(16), info={"label": _l("Period")})
    basis_amount: Mapped[Decimal] = mapped_column(Money(), info={"label": _l("Basis amount")})
    rate: Mapped[Decimal] = mapped_column(sa.Numeric(7, 4), info={"label": _l("Rate (%)")})
    amount: Mapped[Decimal] = mapped_column(Money(), info={"label": _l("Rebate")})
    state: Mapped[str] = mapped_column(
        sa.String(16), default="draft", server_default="draft", index=True,
        info={"label": _l("State"), "choices": REBATE_STATES})
