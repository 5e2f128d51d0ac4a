"""Demo for the bridge: leads and deals attributed to the demo campaigns, the division's
competitors (crm_marketing's demo made them, with their products and moves, #16) on
deals, and deals lost to them.

Runs after crm_funnel's and crm_marketing's demo (dependency order) and only
updates their rows in bulk (one UPDATE per campaign), so it stays fast.
"""

from __future__ import annotations

import random
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from addons.crm_customer.models import Customer
from addons.crm_funnel.models import (
    CompetitorCompany,
    DealCompetitor,
    Lead,
    LostReason,
    Opportunity,
)
from addons.crm_marketing.models import Campaign
from core.models import Division


def _deal_competitors(session: Session, rng: random.Random, division: Division,
                      rivals: list[int]) -> None:
    """A third of the deals meet a competitor; most deals lost to competition name it."""
    deals = list(session.execute(sa.select(Opportunity.id, Opportunity.state,
                                           Opportunity.amount)
                                 .where(Opportunity.division_id == division.id)))
    links, lost = [], {}
    for deal_id, state, amount in deals:
        if rng.random() < 0.35 or state == "lost":
            rival = rng.choice(rivals)
            links.append({"division_id": division.id, "version": 1, "opportunity_id": deal_id,
                          "competitor_id": rival,
                          "offer": (amount * Decimal("0.92")).quantize(Decimal("1"))})
            if state == "lost" and rng.random() < 0.7:
                lost[deal_id] = rival
    if links:
        session.execute(sa.insert(DealCompetitor), links)
    reason = session.scalar(sa.select(LostReason.id).where(
        LostReason.code == "competitor",
        sa.or_(LostReason.division_id == division.id, LostReason.division_id.is_(None)))
        .order_by(LostReason.id).limit(1))
    for deal_id, rival in lost.items():
        session.execute(sa.update(Opportunity).where(Opportunity.id == deal_id).values(
            won_competitor_id=rival, lost_reason_id=reason or Opportunity.lost_reason_id)
            .execution_options(synchronize_session=False))


def _attribute(session: Session, rng: random.Random, division: Division) -> None:
    """Each past or running campaign brought leads (new rows) and some deals: a few of its
    leads were qualified into those deals (its ROI)."""
    campaigns = list(session.execute(sa.select(Campaign.id, Campaign.name).where(
        Campaign.division_id == division.id, Campaign.state.in_(("approved", "closed")))))
    if not campaigns:
        return
    deals = list(session.execute(sa.select(Opportunity.id, Opportunity.customer_id,
                                           Opportunity.owner_id)
                                 .where(Opportunity.division_id == division.id)
                                 .order_by(Opportunity.id)))
    companies = dict(session.execute(sa.select(Customer.id, Customer.name).where(
        Customer.division_id == division.id)).all())
    rng.shuffle(deals)
    rows = []
    for index, (campaign_id, name) in enumerate(campaigns):
        some_deals = deals[index::len(campaigns)][:rng.randint(2, 6)]
        if some_deals:
            session.execute(sa.update(Opportunity)
                            .where(Opportunity.id.in_([deal[0] for deal in some_deals]))
                            .values(campaign_id=campaign_id)
                            .execution_options(synchronize_session=False))
        for number in range(rng.randint(8, 16)):
            deal = some_deals[number] if number < len(some_deals) else None
            rows.append({
                "division_id": division.id, "version": 1, "campaign_id": campaign_id,
                "name": f"{name}现场需求", "company": companies.get(deal[1], "潜在客户")
                if deal else f"{name}来访单位{number + 1}",
                "customer_id": deal[1] if deal else None,
                "owner_id": deal[2] if deal else None,
                "state": "converted" if deal else "pool",
                "opportunity_id": deal[0] if deal else None,
                "amount": Decimal(rng.randint(5, 80) * 10_000)})
    session.execute(sa.insert(Lead), rows)


def create_demo_bridge(session: Session, divisions: list[Division]) -> None:
    """Competitors on deals and campaign attribution in the first two divisions (once)."""
    rng = random.Random(20261208)
    for division in divisions[:2]:
        has_deals = session.scalar(sa.select(Opportunity.id).where(
            Opportunity.division_id == division.id).limit(1))
        done = session.scalar(sa.select(DealCompetitor.id).where(
            DealCompetitor.division_id == division.id).limit(1))
        if has_deals is None or done is not None:
            continue
        rivals = list(session.scalars(sa.select(CompetitorCompany.id).where(
            CompetitorCompany.division_id == division.id).order_by(CompetitorCompany.id)))
        if rivals:
            _deal_competitors(session, rng, division, rivals)
        _attribute(session, rng, division)
        session.flush()
