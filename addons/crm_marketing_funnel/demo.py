"""Demo for the bridge: leads and deals attributed to the demo campaigns, competitors with
their products and moves, competitors on deals and deals lost to them.

Runs after crm_funnel's and crm_marketing's demo (dependency order) and only
updates their rows in bulk (one UPDATE per campaign), so it stays fast.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

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
from addons.crm_marketing_funnel.models import CompetitorMove, CompetitorProduct
from core.models import Division, Region, User

RIVALS = [  # name, size, strengths, weaknesses, regions, key customers, products (name, price)
    ("北京华控科技", "large", "价格低、交货快", "售后网点少", "华北、华东", "杭州地铁、宁波港",
     [("HK-200 控制柜", 12000), ("HK-VF 变频器", 3800)]),
    ("上海同创电气", "medium", "本地服务好", "产品线窄", "上海、江苏", "上汽配套厂",
     [("TC-500 配电柜", 26000)]),
    ("深圳英锐自动化", "medium", "软件功能强", "价格偏高", "华南", "比亚迪配套厂",
     [("YR-PLC 控制器", 5600)]),
]


# The second demo division (华中) meets other rivals.
SECOND_RIVALS = [
    ("武汉恒通医疗设备", "medium", "本地关系强", "产品老旧", "湖北、湖南", "同济医院",
     [("HT-M3 监护仪", 23000)]),
    ("长沙锐康科技", "small", "价格灵活", "资质不全", "湖南", "湘雅附属医院",
     [("RK-100 输液泵", 6800)]),
]


def _competitors(session: Session, division: Division,
                 rivals: list[tuple[Any, ...]]) -> list[tuple[int, list[int]]]:
    made = []
    for name, size, strengths, weaknesses, regions, customers, products in rivals:
        rival = CompetitorCompany(division_id=division.id, name=name)
        rival.size, rival.strengths, rival.weaknesses = size, strengths, weaknesses  # type: ignore[attr-defined]
        rival.regions, rival.key_customers = regions, customers  # type: ignore[attr-defined]
        session.add(rival)
        session.flush()
        ids = []
        for product, price in products:
            row = CompetitorProduct(division_id=division.id, competitor_id=rival.id, name=product,
                                    price=Decimal(price))
            session.add(row)
            session.flush()
            ids.append(row.id)
        made.append((rival.id, ids))
    return made


def _moves(session: Session, rng: random.Random, division: Division,
           rivals: list[tuple[int, list[int]]]) -> None:
    reps = list(session.scalars(sa.select(User.id).where(User.division_id == division.id)))
    regions = list(session.scalars(sa.select(Region.id).where(
        Region.code.in_(("330000", "320000", "310000", "440000")))))
    for rival_id, products in rivals:
        for product_id in products:
            price = session.get(CompetitorProduct, product_id).price or Decimal(0)  # type: ignore[union-attr]
            for months in (9, 5, 1):
                new_price = (price * Decimal(rng.randint(88, 97)) / 100).quantize(Decimal("1"))
                session.add(CompetitorMove(
                    division_id=division.id, competitor_id=rival_id, kind="price_change",
                    seen_on=dt.date.today() - dt.timedelta(days=30 * months),
                    region_id=rng.choice(regions) if regions else None, product_id=product_id,
                    old_price=price, new_price=new_price, reporter_id=rng.choice(reps),
                    summary="竞品降价抢单", evidence="客户提供的报价单"))
                price = new_price
            session.get(CompetitorProduct, product_id).price = price  # type: ignore[union-attr]
        session.add(CompetitorMove(division_id=division.id, competitor_id=rival_id,
                                   kind="promotion", seen_on=dt.date.today(),
                                   reporter_id=rng.choice(reps), summary="年底买赠促销"))


def _deal_competitors(session: Session, rng: random.Random, division: Division,
                      rivals: list[tuple[int, list[int]]]) -> None:
    """A third of the deals meet a competitor; most deals lost to competition name it."""
    deals = list(session.execute(sa.select(Opportunity.id, Opportunity.state,
                                           Opportunity.amount)
                                 .where(Opportunity.division_id == division.id)))
    links, lost = [], {}
    for deal_id, state, amount in deals:
        if rng.random() < 0.35 or state == "lost":
            rival = rng.choice(rivals)[0]
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
    """Competitors and campaign attribution in the first two divisions (once)."""
    rng = random.Random(20261208)
    for division in divisions[:2]:
        has_deals = session.scalar(sa.select(Opportunity.id).where(
            Opportunity.division_id == division.id).limit(1))
        done = session.scalar(sa.select(CompetitorProduct.id).where(
            CompetitorProduct.division_id == division.id).limit(1))
        if has_deals is None or done is not None:
            continue
        rivals = _competitors(session, division,
                              RIVALS if division is divisions[0] else SECOND_RIVALS)
        _moves(session, rng, division, rivals)
        _deal_competitors(session, rng, division, rivals)
        _attribute(session, rng, division)
        session.flush()
