"""Competitor intelligence: one master (crm_customer's, with marketing's record), products
and moves (crm_marketing's, #16), lost-to-competitor and collision rate (the funnel
bridge's: they need deals) and the price report."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from addons.crm_funnel.closing import close_lost
from addons.crm_funnel.models import (
    CompetitorCompany,
    LostReason,
    Opportunity,
    SalesMode,
    Stage,
)
from addons.crm_marketing.models import CompetitorMove, CompetitorProduct
from core.context import acting_as, system_context
from core.errors import ValidationError
from core.models import Region
from core.reports import run_report
from tests.addons.crm_marketing.conftest import MarketingWorld


def _ids(world: MarketingWorld) -> tuple[int, int, int]:
    with system_context(), world.kernel.session() as session:
        hq = world.divisions["HQ"]
        mode = session.scalars(sa.select(SalesMode.id).where(sa.or_(
            SalesMode.division_id == hq, SalesMode.division_id.is_(None)))
            .order_by(SalesMode.id)).first()
        stage = session.scalars(sa.select(Stage.id).where(Stage.sales_mode_id == mode)
                                .order_by(Stage.sequence)).first()
        region = session.scalars(sa.select(Region.id).where(Region.code.like("33%"))
                                 .order_by(Region.code)).first()
        return int(mode), int(stage), int(region)


def _deal(world: MarketingWorld, name: str, amount: str, region: int,
          competitors: list[int]) -> int:
    mode, stage, _region = _ids(world)
    return world.create("li.na", Opportunity, {
        "name": name, "customer_id": world.customers["nanjing"], "sales_mode_id": mode,
        "stage_id": stage, "amount": amount, "expected_close": "2026-12-15",
        "region_id": region,
        "competitors": [{"competitor_id": c, "offer": "90000"} for c in competitors]})


def _rival(world: MarketingWorld, name: str) -> int:
    return world.create("liu.yang", CompetitorCompany, {
        "name": name, "size": "large", "strengths": "价格低、交货快", "weaknesses": "售后网点少",
        "regions": "浙江、江苏", "key_customers": "杭州地铁"})


def test_a_reported_price_cut_shows_in_the_lost_to_competitor_report(
        world: MarketingWorld) -> None:
    _mode, _stage, region = _ids(world)
    rival = _rival(world, "北京华控科技")
    product = world.create("liu.yang", CompetitorProduct, {
        "competitor_id": rival, "name": "HK-200 控制柜", "price": "12000"})
    move = world.create("li.na", CompetitorMove, {
        "competitor_id": rival, "kind": "price_change", "seen_on": "2026-11-20",
        "region_id": region, "product_id": product, "new_price": "9800",
        "summary": "华控 HK-200 在浙江降价 18%", "evidence": "客户转来的报价单"})
    with system_context(), world.kernel.session() as session:
        reported = session.get(CompetitorMove, move)
        assert (reported.old_price, reported.reporter_id) == (Decimal("12000"),
                                                              world.users["li.na"])
        assert session.get(CompetitorProduct, product).price == Decimal("9800")
    with pytest.raises(ValidationError) as missing:
        world.create("li.na", CompetitorMove, {"competitor_id": rival, "kind": "price_change",
                                               "summary": "又降价了"})
    assert "new_price" in missing.value.fields

    lost = _deal(world, "杭州地铁控制柜", "120000", region, [rival])
    _deal(world, "南京二期", "50000", region, [])
    with acting_as(world.actor("li.na")), world.kernel.sessions.begin() as session:
        reason = session.scalar(sa.select(LostReason.id).where(LostReason.code == "competitor")
                                .order_by(LostReason.id))
        close_lost(session, session.get(Opportunity, lost), world.actor("li.na"),
                   {"reason": reason, "competitor": rival, "note": "对方降价"})

    reports = world.kernel.reports
    with acting_as(world.actor("mgr")), world.kernel.session() as session:
        lost_report = run_report(session, reports["lost_to_competitor"].report,
                                 rows="competitor", columns="")
        assert lost_report.row(rival)["deals"] == 1
        assert lost_report.row(rival)["amount"] == Decimal("120000")
        collision = run_report(session, reports["competitor_collision"].report,
                               rows="region", columns="")
        assert collision.totals["deals"] == 2 and collision.totals["met"] == 1
        assert float(collision.totals["rate"]) == pytest.approx(50.0)
        prices = run_report(session, reports["competitor_prices"].report,
                            rows="product", columns="month")
        assert prices.cell(product, "2026-11")["price"] == Decimal("9800")


@pytest.mark.sqlite_only
def test_reps_report_moves_and_read_the_division_s(world: MarketingWorld) -> None:
    rival = _rival(world, "北京华控科技")
    world.create("li.na", CompetitorMove, {"competitor_id": rival, "kind": "promotion",
                                           "summary": "买十送一"})
    with acting_as(world.actor("liu.yang")), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count(CompetitorMove.id))) == 1
    # EAST runs crm_marketing without the funnel: its own moves, not HQ's (#16).
    with acting_as(world.actor("east.mkt")), world.kernel.session() as session:
        assert session.scalar(sa.select(sa.func.count(CompetitorMove.id))) == 0
    other = _rival(world, "上海同创电气")
    product = world.create("liu.yang", CompetitorProduct, {"competitor_id": other,
                                                           "name": "TC-500 配电柜"})
    with pytest.raises(ValidationError) as wrong:
        world.create("li.na", CompetitorMove, {"competitor_id": rival, "kind": "promotion",
                                               "product_id": product, "summary": "张冠李戴"})
    assert "product_id" in wrong.value.fields
