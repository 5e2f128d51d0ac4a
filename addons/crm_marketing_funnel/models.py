"""What the bridge adds: the campaign on leads and deals, and tenders on deals.

The competitor master is crm_customer's (`Competitor`, the funnel's
`CompetitorCompany`), the one every deal's competitors and "competitor that won"
point at; crm_marketing keeps its company record, its products and the moves reps
report (#16: they were this bridge's until crm_marketing_0008 moved them, ids kept).
This bridge keeps what needs deals: the campaign on leads and deals, tenders
linked to an opportunity, and the reports on deals (lost to a competitor,
collision rate, campaign ROI).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from addons.crm_funnel.models import CompetitorCompany, Lead, Opportunity
from addons.crm_marketing.models import Campaign
from core.i18n import _l
from core.orm import Model, extends, ref


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


MODELS = [LeadCampaign, OpportunityCampaign, Tender]
