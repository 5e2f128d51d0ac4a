"""What the bridge adds: the campaign on leads and deals, and competitor intelligence.

The competitor master is crm_customer's (`Competitor`, the funnel's
`CompetitorCompany`), the one every deal's competitors and "competitor that won"
point at; crm_marketing keeps its company record (size, strengths, weaknesses,
regions, key customers). This bridge adds the competitor's products and the moves
reps report, and the reports that need deals (lost to a competitor, collision rate).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_customer.models import Product
from addons.crm_funnel.models import CompetitorCompany, Lead, Opportunity
from addons.crm_marketing.models import Campaign
from core.i18n import _l
from core.orm import Model, extends, ref

MOVE_KINDS = [("price_change", _l("Price change")), ("new_product", _l("New product")),
              ("promotion", _l("Promotion")), ("other", _l("Other"))]


@extends(Lead)
class LeadCampaign:
    """The campaign a lead came from (线索来源活动)."""

    campaign_id: Mapped[int | None] = ref(Campaign, nullable=True, ondelete="SET NULL",
                                          label=_l("Campaign"))


@extends(Opportunity)
class OpportunityCampaign:
    """The campaign an opportunity came from, carried over from its lead."""

    campaign_id: Mapped[int | None] = ref(Campaign, nullable=True, ondelete="SET NULL",
                                          label=_l("Campaign"))


class CompetitorProduct(Model):
    """A competitor's product, its price and the own product it competes with."""

    __tablename__ = "crm_marketing_funnel_product"
    __label__ = _l("Competitor product")

    competitor_id: Mapped[int] = ref(CompetitorCompany, ondelete="CASCADE",
                                     label=_l("Competitor"))
    name: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Name")})
    price: Mapped[Decimal | None] = mapped_column(info={"label": _l("Price")})
    own_product_id: Mapped[int | None] = ref(Product, nullable=True, ondelete="SET NULL",
                                             label=_l("Competes with our product"))
    note: Mapped[str | None] = mapped_column(sa.String(500), info={"label": _l("Note")})


class CompetitorMove(Model):
    """A competitor move (竞品动态) reported by a rep: price cut, new product, promotion."""

    __tablename__ = "crm_marketing_funnel_move"
    __label__ = _l("Competitor move")
    __display__ = "summary"
    __owner__ = "reporter_id"
    __region__ = "region_id"
    __attachments__ = True  # the evidence: photos, price lists
    __table_args__ = (sa.Index("ix_crm_marketing_funnel_move_day", "seen_on", "id"),)

    competitor_id: Mapped[int] = ref(CompetitorCompany, label=_l("Competitor"))
    kind: Mapped[str] = mapped_column(sa.String(16), default="price_change",
                                      info={"label": _l("Kind"), "choices": MOVE_KINDS})
    seen_on: Mapped[dt.date] = mapped_column(default=dt.date.today, info={"label": _l("Date")})
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    product_id: Mapped[int | None] = ref(CompetitorProduct, nullable=True, ondelete="SET NULL",
                                         label=_l("Competitor product"))
    old_price: Mapped[Decimal | None] = mapped_column(info={"label": _l("Price before")})
    new_price: Mapped[Decimal | None] = mapped_column(info={"label": _l("Price now")})
    summary: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Summary")})
    evidence: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Evidence")})
    reporter_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                          label=_l("Reported by"))


TENDER_RESULTS = [("pending", _l("Pending")), ("won", _l("Won")), ("lost", _l("Lost")),
                  ("cancelled", _l("Cancelled"))]


class Tender(Model):
    """A tender (招投标) we bid in for an opportunity: the terms, our bid, who won at what price."""

    __tablename__ = "crm_marketing_funnel_tender"
    __label__ = _l("Tender")
    __display__ = "title"
    __owner__ = "owner_id"
    __region__ = "region_id"
    __attachments__ = True  # the tender documents and our bid
    __tracked__ = ("result", "bid_price")
    __table_args__ = (sa.Index("ix_crm_marketing_funnel_tender_deadline", "deadline", "id"),)

    title: Mapped[str] = mapped_column(sa.String(200), info={"label": _l("Title")})
    opportunity_id: Mapped[int] = ref(Opportunity, label=_l("Opportunity"))
    issuer: Mapped[str | None] = mapped_column(sa.String(200),
                                               info={"label": _l("Tendering party")})
    tender_number: Mapped[str | None] = mapped_column(sa.String(64),
                                                      info={"label": _l("Tender number")})
    budget: Mapped[Decimal | None] = mapped_column(info={"label": _l("Tender budget")})
    deadline: Mapped[dt.date] = mapped_column(info={"label": _l("Bid deadline")})
    bid_price: Mapped[Decimal | None] = mapped_column(info={"label": _l("Our bid")})
    result: Mapped[str] = mapped_column(sa.String(16), default="pending",
                                        server_default="pending",
                                        info={"label": _l("Result"), "choices": TENDER_RESULTS})
    winner_id: Mapped[int | None] = ref(CompetitorCompany, nullable=True, ondelete="SET NULL",
                                        label=_l("Winning competitor"))
    winning_price: Mapped[Decimal | None] = mapped_column(info={"label": _l("Winning price")})
    region_id: Mapped[int | None] = ref("kehu_region", nullable=True, label=_l("Region"))
    owner_id: Mapped[int | None] = ref("kehu_user", nullable=True, ondelete="SET NULL",
                                       label=_l("Owner"))
    note: Mapped[str | None] = mapped_column(sa.Text, info={"label": _l("Note")})


MODELS = [LeadCampaign, OpportunityCampaign, CompetitorProduct, CompetitorMove, Tender]
